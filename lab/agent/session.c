/* session: each run starts from an empty folder, so files of an earlier run can never be handed back as this one's. */
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path.h"
#include "side/caps.h"
#include "side/local.h"

/* Remove name inside dir_fd and, when it is a folder, what it holds; links are removed, never followed. With
 * open_up, each folder is first made 0700 (the programs' user opening up folders it made closed). */
static void remove_at(int dir_fd, const char *name, int depth, int open_up)
{
	struct dirent *e;
	DIR *d;
	int fd;

	if (unlinkat(dir_fd, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth > 8)
		return;
	if (open_up)
		fchmodat(dir_fd, name, 0700, 0);
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
			remove_at(dirfd(d), e->d_name, depth + 1, open_up);
	}
	closedir(d);
	unlinkat(dir_fd, name, AT_REMOVEDIR);
}

/* What the programs' user made in the session folder name, removed as that user in a child process (a folder it
 * made closed is closed to the agent too); then the agent removes the rest. Nothing to do without such a user. */
static void remove_session(int workdir_fd, const char *name, const struct exec_user *user)
{
	if (user != NULL) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct tl_err ignored;
			int fd;
			DIR *d;
			struct dirent *e;

			/* What the folder holds, not the folder (the work folder is not the user's to write in); only
			 * its own entries go: the folder is sticky, and the agent's files are not its. */
			if (caps_become(user->uid, user->gid, &ignored) != 0)
				_exit(1);
			fd = openat(workdir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			d = fd >= 0 ? fdopendir(fd) : NULL;
			while (d != NULL && (e = readdir(d)) != NULL) {
				if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
					remove_at(dirfd(d), e->d_name, 1, 1);
			}
			_exit(0);
		}
		while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	remove_at(workdir_fd, name, 0, 0);
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
	remove_session(workdir_fd, s->name, user);
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
	s->user_set = user != NULL;
	if (user != NULL)
		s->user = *user;
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
	remove_session(s->workdir_fd, s->name, s->user_set ? &s->user : NULL);
	memset(s, 0, sizeof(*s));
}
