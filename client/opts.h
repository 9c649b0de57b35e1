/* opts: the tcplab-client command line, parsed and cross-checked before anything runs. */
#ifndef TL_CLIENT_OPTS_H
#define TL_CLIENT_OPTS_H

#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "ipv4_prefix.h"
#include "spoof.h"
#include "target.h"
#include "tl_err.h"

#define CLIENT_MAX_GRID 64
#define CLIENT_MAX_WORKERS 100000
#define CLIENT_MAX_THREADS 256
/* Every connection gets a preallocated 64-byte record: cap the run at ~640 MB of them. */
#define CLIENT_MAX_RECORDS 10000000L

enum client_mode {
	MODE_HTTP,    /* libcurl multi: HTTP GETs */
	MODE_CONNECT, /* raw non-blocking connect(), no data */
	MODE_SYNFLOOD, /* spoofed SYNs from a raw socket, never completed; optional real connects as probes */
};

/* Which code speaks HTTP in --mode http. */
enum client_engine {
	ENGINE_CURL, /* libcurl's multi interface */
	ENGINE_LEAN, /* the socket loop of connect mode with an http-parser response parser */
};

enum after_connect {
	AFTER_CLOSE, /* close() right away: FIN */
	AFTER_RST,   /* SO_LINGER {1, 0} then close(): RST, no TIME_WAIT */
	AFTER_HOLD,  /* keep it open for --hold, until --duration, or until SIGINT */
};

struct client_opts {
	enum client_mode mode;
	enum client_engine engine;   /* HTTP mode only */
	long concurrency;            /* workers (closed loop) */
	long requests;               /* requests or connects per worker (closed loop) */
	long rate_per_s;             /* open loop: new connections per second; 0 = closed loop
	                                (synflood: the probes' --probe-rate, 0 = no probes) */
	int64_t duration_us;         /* open loop length; closed loop: stop starting after it; 0 = none */
	long threads;                /* event-loop threads */
	int keepalive;               /* HTTP keep-alive on/off */
	int64_t connect_timeout_us;  /* 0 = the kernel decides (tcp_syn_retries) */
	int64_t timeout_us;          /* per request total; 0 = none */
	enum after_connect after;    /* connect mode: what to do once connected */
	int64_t hold_us;             /* connect mode hold per connection; 0 = until --duration or SIGINT */
	struct in_addr sources[LAB_SOURCE_ADDRS_MAX];
	size_t source_count;         /* 0 = let the kernel pick the source address */
	const char *records_path;    /* NULL = no records; "-" = stdout */
	int records_jsonl;           /* 1 JSON lines, 0 CSV, -1 follow --json */
	int json;
	int quiet;
	int check;
	int help;
	int version;                 /* --version: print it and exit */
	long server_workers;         /* with handle_us: requests the server handles at once */
	int64_t handle_us;           /* server handle time per request */
	long grid[CLIENT_MAX_GRID];  /* worker counts of the grid cells */
	size_t grid_count;           /* 0 = no grid */
	long grid_total;             /* requests per grid cell */
	long flood_rate_per_s;       /* synflood: SYNs per second (--rate) */
	struct ipv4_prefix spoof;   /* synflood: where the SYNs claim to come from (--spoof) */
	struct target target;
};

/* Parse argv into opts (defaults first) and cross-check the options; help sets opts->help and returns 0. */
int client_opts_parse(int argc, char **argv, struct client_opts *opts, struct tl_err *err);

/* Print the --help text. */
void client_opts_usage(FILE *out);

/* Short name of a mode ("http", "connect", "synflood"). */
const char *client_mode_name(enum client_mode mode);

/* Short name of an HTTP engine ("curl", "lean"). */
const char *client_engine_name(enum client_engine engine);

/* Short name of an after-connect action ("close", "rst", "hold"). */
const char *after_connect_name(enum after_connect after);

#endif
