/* link: network conditions on the lab link (delay, jitter, loss, rate), planned from [link], made on each side's
 * way out by the kernel's own tools, and measured. */
#ifndef TL_LINK_H
#define TL_LINK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "side/side.h"
#include "tl_err.h"

/* The two ways across the link: each is made on the way out of the side that sends. */
enum link_dir { LINK_CLIENT_TO_SERVER, LINK_SERVER_TO_CLIENT, LINK_DIRS };

/* What [link] asks for, each way (a side_link per direction, without the program's path). */
struct link_plan {
	struct side_link dir[LINK_DIRS];
	int any; /* some condition is asked for */
};

/* The conditions of a run and what they measured. */
struct link_run {
	struct link_plan plan;
	int started;               /* link_start ran: delay_proc and applied say what it made */
	int delay_proc[LINK_DIRS]; /* the delay line's program on the sending side, -1 when none */
	int applied[LINK_DIRS];    /* link_apply succeeded on that side */
	json_t *doc;               /* run.json "link", filled by link_stop */
};

/* Each direction's conditions: its own client_to_server.KEY / server_to_client.KEY, else the plain KEY. */
void link_plan_from_scenario(const struct scenario *sc, struct link_plan *plan);

/* The name of a direction as scenarios and run.json write it. */
const char *link_dir_name(enum link_dir d);

/* Make lr->plan's conditions (link_plan_from_scenario) on both sides (the client sends client_to_server, the
 * server server_to_client), with the delay line from bindir. A condition that cannot be made is an error naming
 * it; what was made goes with the sides. */
int link_start(struct link_run *lr, struct side *server, struct side *client, const char *bindir,
	       struct tl_err *err);

/* Read what each direction measured (packets sent and lost on the wire, the delay line's counts), stop the delay
 * lines and fill lr->doc; rawdir receives each delay line's output. Nothing when no condition was asked for. */
void link_stop(struct link_run *lr, struct side *server, struct side *client, const char *rawdir);

/* Release lr->doc. */
void link_free(struct link_run *lr);

#endif
