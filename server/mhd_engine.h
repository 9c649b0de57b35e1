/* mhd_engine: the same responses served by libmicrohttpd, to compare a real HTTP library under the same pressure. */
#ifndef TL_SERVER_MHD_ENGINE_H
#define TL_SERVER_MHD_ENGINE_H

#include "run.h"
#include "tl_err.h"

/* Start a libmicrohttpd daemon on run->opts's address and backlog, counting into run->slot; 0 or -1 with err. */
int mhd_engine_start(const struct server_run *run, struct tl_err *err);

/* Stop accepting (MHD_quiesce_daemon) and close the listening socket; requests in progress go on. */
void mhd_engine_quiesce(void);

#endif
