/* session: each run starts from an empty folder, so files of an earlier run can never be handed back as this one's. */
#include "session.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "side/local.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int session_open(struct agent_session *s, const char *workdir, const char *role, unsigned long id,
		 struct tl_err *err)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/session-%lu", workdir, id);
	/* A folder of that name is left from an agent that was killed: start afresh. */
	nftw(s->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (mkdir(s->dir, 0700) != 0)
		return tl_errf(err, "mkdir %s: %s", s->dir, strerror(errno));
	/* -1: the agent already lives in the namespace it serves. */
	if (side_local_create(role, -1, s->dir, &s->side, err) != 0) {
		rmdir(s->dir);
		return -1;
	}
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
	nftw(s->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	memset(s, 0, sizeof(*s));
}
