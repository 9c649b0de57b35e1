/* mhd_engine: the same responses served by libmicrohttpd, to compare a real HTTP library under the same pressure. */
#ifndef TL_SERVER_MHD_ENGINE_H
#define TL_SERVER_MHD_ENGINE_H

#include <stdatomic.h>

#include "run.h"
#include "tl_err.h"

struct MHD_Daemon;
struct MHD_Response;

/* A libmicrohttpd daemon and what its callbacks need: each of them gets it as its closure (cls). */
struct mhd_engine {
	const struct server_run *run;
	struct MHD_Daemon *daemon;
	struct MHD_Response *response; /* the one response every request gets, shared across threads */
	char last_log[256];            /* libmicrohttpd's last message before the daemon ran: why it did not */
	atomic_int started;            /* the daemon runs: its messages go to stderr (a few) */
	atomic_int log_lines;          /* messages printed so far */
};

/* Start a libmicrohttpd daemon on run->opts's address and backlog, counting into run->slot, its state in e
 * (which must outlive it); 0 or -1 with err. */
int mhd_engine_start(struct mhd_engine *e, const struct server_run *run, struct tl_err *err);

/* Stop accepting (MHD_quiesce_daemon) and close the listening socket; requests in progress go on. */
void mhd_engine_quiesce(struct mhd_engine *e);

#endif
