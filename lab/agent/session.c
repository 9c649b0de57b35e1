/* session: each run starts from an empty folder, so files of an earlier run can never be handed back as this one's. */
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "side/local.h"

/* Remove name inside dir_fd and, when it is a folder, what it holds; links are removed, never followed. */
static void remove_at(int dir_fd, const char *name, int depth)
{
	struct dirent *e;
	DIR *d;
	int fd;

	if (unlinkat(dir_fd, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth > 8)
		return;
	fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			remove_at(dirfd(d), e->d_name, depth + 1);
	}
	closedir(d);
	unlinkat(dir_fd, name, AT_REMOVEDIR);
}

int session_open(struct agent_session *s, int workdir_fd, const char *workdir, const char *role, unsigned long id,
		 const struct exec_user *user, struct tl_err *err)
{
	memset(s, 0, sizeof(*s));
	s->workdir_fd = workdir_fd;
	snprintf(s->name, sizeof(s->name), "session-%lu", id);
	if (tl_path_fmt(s->dir, sizeof(s->dir), err, "%s/%s", workdir, s->name) != 0)
		return tl_err_wrap(err, "session folder");
	/* A folder of that name is left from an agent that was killed: start afresh. Everything below is
	 * relative to the checked work folder, and nothing follows a link found in it. */
	remove_at(workdir_fd, s->name, 0);
	if (mkdirat(workdir_fd, s->name, 0700) != 0)
		return tl_errf(err, "mkdir %s: %s", s->dir, strerror(errno));
	/* The programs' user writes its records and captures here (group), nobody else gets in; sticky, so that
	 * a program cannot remove or replace what the agent wrote. */
	if (user != NULL && (fchownat(workdir_fd, s->name, (uid_t)-1, user->gid, AT_SYMLINK_NOFOLLOW) != 0 ||
			     fchmodat(workdir_fd, s->name, 01770, 0) != 0)) {
		tl_errf(err, "%s: giving it to group %u: %s", s->dir, (unsigned)user->gid, strerror(errno));
		unlinkat(workdir_fd, s->name, AT_REMOVEDIR);
		return -1;
	}
	/* -1: the agent already lives in the namespace it serves. */
	if (side_local_create(role, -1, s->dir, &s->side, err) != 0) {
		unlinkat(workdir_fd, s->name, AT_REMOVEDIR);
		return -1;
	}
	side_local_run_as(s->side, user);
	s->id = id;
	s->open = 1;
	return 0;
}

void session_close(struct agent_session *s)
{
	if (!s->open)
		return;
	/* The local side kills and reaps every program that still runs. */
	s->side->ops->destroy(s->side);
	remove_at(s->workdir_fd, s->name, 0);
	memset(s, 0, sizeof(*s));
}
