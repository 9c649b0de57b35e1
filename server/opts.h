/* opts: the tcplab-server command line, parsed and validated into one struct. */
#ifndef TL_SERVER_OPTS_H
#define TL_SERVER_OPTS_H

#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "tl_err.h"

/* How accepted connections are taken off the listen queue and handled. */
enum discipline {
	DISC_SERIAL,    /* accept, handle every request of the connection, close; one at a time */
	DISC_THREADS,   /* one detached thread per accepted connection */
	DISC_ACCEPTORS, /* N threads blocked in accept() on the one socket */
	DISC_PREFORK,   /* N processes, each a serial server (shared socket or SO_REUSEPORT each) */
	DISC_EPOLL,     /* one non-blocking event loop */
	DISC_NONE,      /* listen and never accept */
	DISC_PAUSE,     /* serial, but sleep after every K accepts */
};

/* How the server closes a connection. */
enum close_style {
	CLOSE_FIN, /* plain close(): FIN, and TIME_WAIT on the server when it closes first */
	CLOSE_RST, /* SO_LINGER {1, 0} then close(): RST, no TIME_WAIT */
};

/* Whether HTTP is spoken at all. */
enum raw_mode {
	RAW_OFF,   /* HTTP requests and responses */
	RAW_HOLD,  /* accept and hold the connection until exit, never read */
	RAW_CLOSE, /* accept, wait the handle time, close, never read */
};

/* Which code serves the connections. */
enum engine {
	ENGINE_NATIVE, /* this program's own accept disciplines */
	ENGINE_MHD,    /* libmicrohttpd */
};

/* What the parser decided the program should do. */
enum opts_action {
	OPTS_RUN,   /* serve */
	OPTS_HELP,  /* print the help text and exit 0 */
	OPTS_VERSION, /* print the version and exit 0 */
	OPTS_CHECK, /* options are valid: exit 0 silently */
};

struct server_opts {
	struct sockaddr_in listen_addr;
	char listen_text[64];        /* the address as given, for messages */
	long backlog;                /* listen() backlog as requested */
	enum discipline discipline;
	int discipline_set;          /* --discipline was given */
	long workers;                /* N of acceptors:N and prefork:N */
	long pause_every;            /* K of pause:K:DUR */
	int64_t pause_us;            /* DUR of pause:K:DUR */
	char pause_text[24];         /* DUR as given, for messages */
	int reuseport;               /* prefork: one SO_REUSEPORT listener per process */
	int64_t handle_us;           /* per-request work (a sleep) */
	int64_t body_bytes;          /* response body size */
	int keepalive;               /* honour HTTP/1.1 keep-alive */
	enum close_style close_style;
	enum raw_mode raw;
	enum engine engine;
	long mhd_conn_limit;         /* 0 = libmicrohttpd's default */
	int mhd_conn_limit_set;
	long mhd_threads;            /* 1 = one internal thread, N > 1 = pool, 0 = thread per connection */
	int mhd_threads_set;
	int64_t duration_us;         /* 0 = run until SIGINT/SIGTERM */
	int json;
	int quiet;
};

/* Fill opts with the defaults (0.0.0.0:8080, backlog 128, threads, native engine, ...). */
void opts_defaults(struct server_opts *opts);

/* Parse argv (getopt_long) and validate the combination; returns 0 and sets *action, or -1 with err ("--flag: problem"). */
int opts_parse(int argc, char **argv, struct server_opts *opts, enum opts_action *action, struct tl_err *err);

/* Parse a --discipline value (serial, threads, acceptors:N, prefork:N, epoll, none, pause:K:DUR) into opts. */
int opts_parse_discipline(const char *s, struct server_opts *opts, struct tl_err *err);

/* Write the discipline as the user would spell it ("prefork:4", "pause:3:1s") into buf. */
void opts_format_discipline(const struct server_opts *opts, char *buf, size_t len);

/* Short engine name: "native" or "mhd". */
const char *opts_engine_name(enum engine engine);

/* Print the --help text. */
void opts_print_help(FILE *out);

#endif
