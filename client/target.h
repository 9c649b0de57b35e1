/* target: the TARGET argument (ADDR:PORT or http://ADDR:PORT/path) and the reachability check before a run. */
#ifndef TL_CLIENT_TARGET_H
#define TL_CLIENT_TARGET_H

#include <netinet/in.h>

#include "tl_err.h"

struct target {
	struct sockaddr_in addr; /* IPv4 address and port to connect to */
	char url[512];           /* http://ADDR:PORT/path for libcurl */
	char display[512];       /* what the user wrote, for summaries */
};

/* Parse TARGET: "ADDR:PORT" (path "/") or "http://ADDR:PORT[/path]"; IPv4 only. */
int target_parse(const char *s, struct target *out, struct tl_err *err);

/* Fail with "target X: Network is unreachable" when no route leads to the target (sends no packet). */
int target_check_reachable(const struct target *target, struct tl_err *err);

#endif
