/* spoof_routes: where a SYN flood's spoofed prefix leads in the lab: from the server to a black hole beside the client. */
#ifndef TL_SPOOF_ROUTES_H
#define TL_SPOOF_ROUTES_H

#include "run/backend.h"
#include "scenario/scenario.h"
#include "tl_err.h"

/*
 * With [client] spoof = PREFIX: route PREFIX from the server namespace to the client's address, and drop it
 * there on a blackhole route, so the server has a path for its SYN-ACKs (without one it drops the SYN) and
 * they reach nobody (nobody resets them, no ICMP error removes the half-open entry). The sides remove the
 * routes when they are destroyed. No key: nothing.
 */
int spoof_routes_add(const struct scenario *sc, const struct lab *lab, struct tl_err *err);

#endif
