/* opts: getopt_long parsing of the tcplab-client command line and the checks between options. */
#include "opts.h"
#include "client_options.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <string.h>

#include "parse.h"

enum {
	OPT_RATE = 256,
	OPT_VERSION,
	OPT_DURATION,
	OPT_CONNECT_TIMEOUT,
	OPT_TIMEOUT,
	OPT_AFTER,
	OPT_HOLD,
	OPT_SOURCE,
	OPT_RECORDS,
	OPT_RECORDS_FORMAT,
	OPT_JSON,
	OPT_SERVER_WORKERS,
	OPT_HANDLE_TIME,
	OPT_GRID,
	OPT_TOTAL,
	OPT_CHECK,
	OPT_SPOOF,
	OPT_PROBE_RATE,
	OPT_ENGINE,
};

const struct option client_long_options[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "requests", required_argument, NULL, 'n' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "threads", required_argument, NULL, 'T' },
	{ "keepalive", required_argument, NULL, 'k' },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "records", required_argument, NULL, OPT_RECORDS },
	{ "records-format", required_argument, NULL, OPT_RECORDS_FORMAT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "server-workers", required_argument, NULL, OPT_SERVER_WORKERS },
	{ "handle-time", required_argument, NULL, OPT_HANDLE_TIME },
	{ "grid", required_argument, NULL, OPT_GRID },
	{ "total", required_argument, NULL, OPT_TOTAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "spoof", required_argument, NULL, OPT_SPOOF },
	{ "probe-rate", required_argument, NULL, OPT_PROBE_RATE },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const char client_short_options[] = ":m:c:n:T:k:qh";

/* Bounds of the time options: a day of running, holding or waiting for a reply, an hour for a connect. */
#define SEC_US (1000 * 1000LL)
#define MAX_CONNECT_US (3600 * SEC_US)
#define MAX_DURATION_US (24 * 3600 * SEC_US)

void client_opts_usage(FILE *out)
{
	fputs("Usage: tcplab-client [OPTIONS] TARGET\n"
	      "Load client of tcplab: HTTP requests (libcurl) or bare TCP connects, one record per connection.\n"
	      "TARGET is ADDR:PORT or http://ADDR:PORT/path (IPv4).\n"
	      "\n"
	      "  -m, --mode http|connect|synflood\n"
	      "                              http: GET requests; connect: handshake only; synflood: see\n"
	      "                              below (default http)\n"
	      "      --engine lean|curl      HTTP engine: lean (the connect loop with http-parser, as wrk\n"
	      "                              parses) or curl (libcurl's multi interface); default lean\n"
	      "  -c, --concurrency P         workers, each one request at a time (default 1, max 100000)\n"
	      "  -n, --requests R            requests (or connects) per worker, closed loop (default 1)\n"
	      "      --rate N                open loop: start N new connections per second ...\n"
	      "      --duration DUR          ... for DUR (required with --rate); closed loop: start nothing\n"
	      "                              new after DUR; connect mode with --after hold: hold limit too\n"
	      "  -T, --threads T             event-loop threads, workers spread over them (default 1)\n"
	      "  -k, --keepalive on|off      HTTP keep-alive (default off: \"Connection: close\", no reuse)\n"
	      "      --connect-timeout DUR   give up connecting after DUR (default 0: the kernel decides,\n"
	      "                              tcp_syn_retries)\n"
	      "      --timeout DUR           per request, whole exchange (default 0: none; connect mode:\n"
	      "                              limits the connect)\n"
	      "      --after close|rst|hold  connect mode, once connected: close (FIN), rst (SO_LINGER 0),\n"
	      "                              or hold it open until --hold, --duration or SIGINT (default close)\n"
	      "      --hold DUR              connect mode: how long to hold each connection\n"
	      "      --source A[,B,...]      bind source IPv4 addresses round-robin (more ephemeral ports)\n"
	      "      --records FILE          one record per connection, CSV (JSON lines with --json);\n"
	      "                              '-' = stdout, and the summary then goes to stderr\n"
	      "      --records-format csv|jsonl  override the records format chosen by --json\n"
	      "      --json                  summary as one JSON object (and records as JSON lines)\n"
	      "      --server-workers N      with --handle-time: requests the server handles at once;\n"
	      "      --handle-time DUR       theoretical minimum = ceil(P x R / min(P, N)) x DUR\n"
	      "      --grid P1,P2,...        for each P: P workers x (total / P) requests, one cell after\n"
	      "                              the other, one table (HTTP only)\n"
	      "      --total N               requests per grid cell (default 160)\n"
	      "      --spoof PREFIX          synflood: source prefix of the SYNs, e.g. 198.19.0.0/16\n"
	      "      --probe-rate N          synflood: meanwhile N real connects per second (recorded)\n"
	      "  -q, --quiet                 no human summary (records and --json output still written)\n"
	      "      --check                 validate the options only, exit 0 (or 2); with --json print the plan\n"
	      "                              {\"planned_connections\":N} (-1: not known in advance), else nothing\n"
	      "      --version               print the version and exit\n"
	      "  -h, --help                  this text\n"
	      "\n"
	      "--mode synflood sends --rate SYNs per second for --duration from a raw socket, each from a\n"
	      "random address of --spoof and never completed (root or CAP_NET_RAW). TARGET and PREFIX must\n"
	      "lie inside " LAB_RANGE_TEXT ", and PREFIX must be routed to a black hole on the way back,\n"
	      "or the SYN-ACKs reach someone who resets them. --probe-rate adds real connects (as --mode\n"
	      "connect --after close) whose records show what a client sees during the flood.\n"
	      "\n"
	      "Durations take a unit: 500us, 40ms, 1.5s, 2m; at most 1440m (--connect-timeout and\n"
	      "--handle-time: 60m). Numbers are plain digits: no blanks or signs.\n"
	      "Exit status: 0 the run completed (failed connections are data), 1 runtime failure,\n"
	      "2 bad options or unreachable target.\n",
	      out);
}

const char *client_mode_name(enum client_mode mode)
{
	switch (mode) {
	case MODE_HTTP:
		return "http";
	case MODE_CONNECT:
		return "connect";
	case MODE_SYNFLOOD:
		return "synflood";
	}
	return "?";
}

const char *client_engine_name(enum client_engine engine)
{
	switch (engine) {
	case ENGINE_CURL:
		return "curl";
	case ENGINE_LEAN:
		return "lean";
	}
	return "?";
}

const char *after_connect_name(enum after_connect after)
{
	switch (after) {
	case AFTER_CLOSE:
		return "close";
	case AFTER_RST:
		return "rst";
	case AFTER_HOLD:
		return "hold";
	}
	return "?";
}

static void opts_defaults(struct client_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->records_jsonl = -1;
	opts->mode = MODE_HTTP;
	opts->engine = ENGINE_LEAN;
	opts->concurrency = 1;
	opts->requests = 1;
	opts->threads = 1;
	opts->after = AFTER_CLOSE;
	opts->grid_total = 160;
}

static int parse_mode(const char *s, enum client_mode *out, struct tl_err *err)
{
	if (strcmp(s, "http") == 0)
		*out = MODE_HTTP;
	else if (strcmp(s, "connect") == 0)
		*out = MODE_CONNECT;
	else if (strcmp(s, "synflood") == 0)
		*out = MODE_SYNFLOOD;
	else
		return tl_errf(err, "--mode: '%s' is not http, connect or synflood", s);
	return 0;
}

static int parse_engine(const char *s, enum client_engine *out, struct tl_err *err)
{
	if (strcmp(s, "lean") == 0)
		*out = ENGINE_LEAN;
	else if (strcmp(s, "curl") == 0)
		*out = ENGINE_CURL;
	else
		return tl_errf(err, "--engine: '%s' is not lean or curl", s);
	return 0;
}

static int parse_after(const char *s, enum after_connect *out, struct tl_err *err)
{
	if (strcmp(s, "close") == 0)
		*out = AFTER_CLOSE;
	else if (strcmp(s, "rst") == 0)
		*out = AFTER_RST;
	else if (strcmp(s, "hold") == 0)
		*out = AFTER_HOLD;
	else
		return tl_errf(err, "--after: '%s' is not close, rst or hold", s);
	return 0;
}

/* Split a comma list into items of at most item_len - 1 characters; calls fn for each. */
static int for_each_item(const char *list, const char *what, size_t max_items, struct tl_err *err,
			 int (*fn)(const char *item, size_t index, void *ctx), void *ctx)
{
	char item[64];
	const char *p = list;
	size_t index = 0;

	if (*list == '\0')
		return tl_errf(err, "%s: empty list", what);
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (len == 0)
			return tl_errf(err, "%s: '%s' has an empty item", what, list);
		if (len >= sizeof(item))
			return tl_errf(err, "%s: item '%.*s...' is too long", what, 20, p);
		if (index >= max_items)
			return tl_errf(err, "%s: more than %zu items", what, max_items);
		memcpy(item, p, len);
		item[len] = '\0';
		if (fn(item, index, ctx) != 0)
			return -1;
		index++;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

struct item_ctx {
	struct client_opts *opts;
	struct tl_err *err;
};

static int add_source(const char *item, size_t index, void *ctx_)
{
	struct item_ctx *ctx = ctx_;

	if (inet_pton(AF_INET, item, &ctx->opts->sources[index]) != 1)
		return tl_errf(ctx->err, "--source: '%s' is not an IPv4 address", item);
	ctx->opts->source_count = index + 1;
	return 0;
}

static int add_grid_cell(const char *item, size_t index, void *ctx_)
{
	struct item_ctx *ctx = ctx_;

	if (parse_long(item, 1, CLIENT_MAX_WORKERS, &ctx->opts->grid[index], "--grid", ctx->err) != 0)
		return -1;
	ctx->opts->grid_count = index + 1;
	return 0;
}

/* Which options were given, for the checks between them. */
struct given {
	int concurrency, requests, rate, duration, keepalive, after, hold, server_workers, handle_time;
	int grid, total, records, timeout, connect_timeout;
	int spoof, probe_rate, source, engine;
	long probe_rate_per_s;
};

static int parse_one(int c, const char *arg, struct client_opts *opts, struct given *given, struct tl_err *err)
{
	struct item_ctx ctx = { opts, err };

	switch (c) {
	case 'm':
		return parse_mode(arg, &opts->mode, err);
	case 'c':
		given->concurrency = 1;
		return parse_long(arg, 1, CLIENT_MAX_WORKERS, &opts->concurrency, "--concurrency", err);
	case 'n':
		given->requests = 1;
		return parse_long(arg, 1, CLIENT_MAX_RECORDS, &opts->requests, "--requests", err);
	case OPT_RATE:
		given->rate = 1;
		return parse_long(arg, 1, 10000000, &opts->rate_per_s, "--rate", err);
	case OPT_DURATION:
		given->duration = 1;
		return parse_duration_range_us(arg, 1, MAX_DURATION_US, &opts->duration_us, "--duration", err);
	case 'T':
		return parse_long(arg, 1, CLIENT_MAX_THREADS, &opts->threads, "--threads", err);
	case 'k':
		given->keepalive = 1;
		return parse_onoff(arg, &opts->keepalive, "--keepalive", err);
	case OPT_CONNECT_TIMEOUT:
		given->connect_timeout = 1;
		return parse_duration_range_us(arg, 0, MAX_CONNECT_US, &opts->connect_timeout_us, "--connect-timeout",
					       err);
	case OPT_TIMEOUT:
		given->timeout = 1;
		return parse_duration_range_us(arg, 0, MAX_DURATION_US, &opts->timeout_us, "--timeout", err);
	case OPT_AFTER:
		given->after = 1;
		return parse_after(arg, &opts->after, err);
	case OPT_HOLD:
		given->hold = 1;
		if (parse_duration_range_us(arg, 1, MAX_DURATION_US, &opts->hold_us, "--hold", err) != 0)
			return -1;
		return 0;
	case OPT_SOURCE:
		given->source = 1;
		opts->source_count = 0;
		return for_each_item(arg, "--source", LAB_SOURCE_ADDRS_MAX, err, add_source, &ctx);
	case OPT_RECORDS:
		given->records = 1;
		if (*arg == '\0')
			return tl_errf(err, "--records: empty file name (use '-' for stdout)");
		opts->records_path = arg;
		return 0;
	case OPT_RECORDS_FORMAT:
		if (strcmp(arg, "csv") == 0)
			opts->records_jsonl = 0;
		else if (strcmp(arg, "jsonl") == 0)
			opts->records_jsonl = 1;
		else
			return tl_errf(err, "--records-format: '%s' is not csv or jsonl", arg);
		return 0;
	case OPT_JSON:
		opts->json = 1;
		return 0;
	case OPT_SERVER_WORKERS:
		given->server_workers = 1;
		return parse_long(arg, 1, 100000000, &opts->server_workers, "--server-workers", err);
	case OPT_HANDLE_TIME:
		given->handle_time = 1;
		return parse_duration_range_us(arg, 1, MAX_CONNECT_US, &opts->handle_us, "--handle-time", err);
	case OPT_GRID:
		given->grid = 1;
		opts->grid_count = 0;
		return for_each_item(arg, "--grid", CLIENT_MAX_GRID, err, add_grid_cell, &ctx);
	case OPT_TOTAL:
		given->total = 1;
		return parse_long(arg, 1, CLIENT_MAX_RECORDS, &opts->grid_total, "--total", err);
	case OPT_SPOOF:
		given->spoof = 1;
		return spoof_prefix_parse(arg, &opts->spoof, err);
	case OPT_PROBE_RATE:
		given->probe_rate = 1;
		return parse_long(arg, 1, 100000, &given->probe_rate_per_s, "--probe-rate", err);
	case OPT_ENGINE:
		given->engine = 1;
		return parse_engine(arg, &opts->engine, err);
	case 'q':
		opts->quiet = 1;
		return 0;
	case OPT_CHECK:
		opts->check = 1;
		return 0;
	case 'h':
		opts->help = 1;
		return 0;
	case OPT_VERSION:
		opts->version = 1;
		return 0;
	default:
		return tl_errf(err, "internal: unhandled option %d", c);
	}
}

/* Which option of a list was given, for "--X: not with --mode synflood". */
static const char *first_given(const struct given *given)
{
	if (given->concurrency)
		return "concurrency";
	if (given->requests)
		return "requests";
	if (given->keepalive)
		return "keepalive";
	if (given->after)
		return "after";
	if (given->hold)
		return "hold";
	if (given->server_workers)
		return "server-workers";
	if (given->handle_time)
		return "handle-time";
	if (given->grid)
		return "grid";
	if (given->total)
		return "total";
	if (given->source)
		return "source";
	if (given->engine)
		return "engine";
	return NULL;
}

/*
 * The flood may only ever hit the lab: its target and every address it claims to come from lie in
 * 198.18.0.0/15, and the prefix does not hold the target (SYN-ACKs to itself would never leave the server).
 * --rate moves to flood_rate_per_s; rate_per_s becomes the probes' open-loop rate.
 */
static int check_synflood(struct client_opts *opts, const struct given *given, struct tl_err *err)
{
	char target_ip[INET_ADDRSTRLEN];
	const char *extra = first_given(given);

	if (opts->mode != MODE_SYNFLOOD) {
		if (given->spoof || given->probe_rate)
			return tl_errf(err, "--%s: only with --mode synflood", given->spoof ? "spoof" : "probe-rate");
		return 0;
	}
	inet_ntop(AF_INET, &opts->target.addr.sin_addr, target_ip, sizeof(target_ip));
	if (!lab_range_contains(opts->target.addr.sin_addr))
		return tl_errf(err, "--mode synflood: target %s is outside %s; a SYN flood only runs inside the lab",
			       target_ip, LAB_RANGE_TEXT);
	if (!given->spoof)
		return tl_errf(err, "--mode synflood: needs --spoof PREFIX (inside %s)", LAB_RANGE_TEXT);
	if (ipv4_prefix_contains(&opts->spoof, opts->target.addr.sin_addr))
		return tl_errf(err, "--spoof: %s contains the target %s", opts->spoof.text, target_ip);
	if (!given->rate || !given->duration)
		return tl_errf(err, "--mode synflood: needs --rate (SYNs per second) and --duration");
	if (extra != NULL)
		return tl_errf(err, "--%s: not with --mode synflood (probes are --probe-rate connects)", extra);
	if ((double)opts->rate_per_s * ((double)opts->duration_us / 1e6) < 1.0)
		return tl_errf(err, "--rate: %ld/s for --duration sends no SYN", opts->rate_per_s);
	if ((double)given->probe_rate_per_s * ((double)opts->duration_us / 1e6) > (double)CLIENT_MAX_RECORDS)
		return tl_errf(err, "--probe-rate: %ld/s for --duration gives more than %ld connections",
			       given->probe_rate_per_s, CLIENT_MAX_RECORDS);
	opts->flood_rate_per_s = opts->rate_per_s;
	opts->rate_per_s = given->probe_rate_per_s;
	opts->after = AFTER_CLOSE;
	return 0;
}

static int check_connect_mode(const struct client_opts *opts, const struct given *given, struct tl_err *err)
{
	if (opts->mode == MODE_SYNFLOOD)
		return 0;
	if (opts->mode == MODE_CONNECT) {
		if (given->keepalive || given->engine)
			return tl_errf(err, "--%s: only with --mode http", given->keepalive ? "keepalive" : "engine");
		if (given->server_workers || given->handle_time)
			return tl_errf(err, "--%s: only with --mode http (closed loop)",
				       given->server_workers ? "server-workers" : "handle-time");
		if (given->hold && opts->after != AFTER_HOLD)
			return tl_errf(err, "--hold: needs --after hold");
		return 0;
	}
	if (given->after)
		return tl_errf(err, "--after: only with --mode connect");
	if (given->hold)
		return tl_errf(err, "--hold: only with --mode connect --after hold");
	return 0;
}

static int check_loop(struct client_opts *opts, const struct given *given, struct tl_err *err)
{
	if (given->server_workers != given->handle_time)
		return tl_errf(err, "--%s: needs --%s too", given->server_workers ? "server-workers" : "handle-time",
			       given->server_workers ? "handle-time" : "server-workers");
	if (given->total && !given->grid)
		return tl_errf(err, "--total: only with --grid");
	if (given->grid) {
		if (opts->mode != MODE_HTTP)
			return tl_errf(err, "--grid: only with --mode http");
		if (given->rate || given->concurrency || given->requests || given->duration || given->records)
			return tl_errf(err, "--grid: sets workers and requests itself; drop --%s",
				       given->rate ? "rate" : given->concurrency ? "concurrency" :
				       given->requests ? "requests" : given->duration ? "duration" : "records");
		for (size_t i = 0; i < opts->grid_count; i++)
			if (opts->grid[i] > opts->grid_total)
				return tl_errf(err, "--grid: %ld workers is more than --total %ld requests",
					       opts->grid[i], opts->grid_total);
		return 0;
	}
	if (opts->mode == MODE_SYNFLOOD)
		return 0;
	if (given->rate) {
		if (!given->duration)
			return tl_errf(err, "--rate: needs --duration");
		if (given->concurrency || given->requests)
			return tl_errf(err, "--%s: not used with --rate (open loop starts rate x duration connections)",
				       given->concurrency ? "concurrency" : "requests");
		if (given->server_workers)
			return tl_errf(err, "--server-workers: the theoretical minimum is for closed loop only");
		if ((double)opts->rate_per_s * ((double)opts->duration_us / 1e6) > (double)CLIENT_MAX_RECORDS)
			return tl_errf(err, "--rate: %ld/s for --duration gives more than %ld connections", opts->rate_per_s,
				       CLIENT_MAX_RECORDS);
		if ((double)opts->rate_per_s * ((double)opts->duration_us / 1e6) < 1.0)
			return tl_errf(err, "--rate: %ld/s for --duration starts no connection", opts->rate_per_s);
		return 0;
	}
	if (opts->concurrency * opts->requests > CLIENT_MAX_RECORDS)
		return tl_errf(err, "--requests: %ld workers x %ld requests is more than %ld records", opts->concurrency,
			       opts->requests, CLIENT_MAX_RECORDS);
	/* Threads beyond the workers would sit idle. */
	if (opts->threads > opts->concurrency)
		opts->threads = opts->concurrency;
	return 0;
}

int client_opts_parse(int argc, char **argv, struct client_opts *opts, struct tl_err *err)
{
	struct given given;
	int c;

	opts_defaults(opts);
	memset(&given, 0, sizeof(given));
	/* optind 0 makes glibc start over, so the parser can run more than once (tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, client_short_options, client_long_options, NULL)) != -1) {
		if (c == '?') {
			for (const struct option *o = client_long_options; o->name != NULL && optopt != 0; o++)
				if (o->val == optopt && o->has_arg == no_argument && optopt >= 256)
					return tl_errf(err, "--%s: takes no value", o->name);
			if (optopt != 0 && optopt < 256)
				return tl_errf(err, "unknown option '-%c' (see --help)", optopt);
			return tl_errf(err, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
		if (c == ':') {
			for (const struct option *o = client_long_options; o->name != NULL; o++)
				if (o->val == optopt)
					return tl_errf(err, "--%s: needs a value", o->name);
			return tl_errf(err, "'%s' needs a value", argv[optind - 1]);
		}
		if (parse_one(c, optarg, opts, &given, err) != 0)
			return -1;
		if (opts->help || opts->version)
			return 0;
	}
	if (optind >= argc)
		return tl_errf(err, "missing TARGET (ADDR:PORT or http://ADDR:PORT/path); see --help");
	if (optind + 1 < argc)
		return tl_errf(err, "one TARGET expected, got '%s' and '%s'", argv[optind], argv[optind + 1]);
	if (target_parse(argv[optind], &opts->target, err) != 0)
		return -1;
	if (check_synflood(opts, &given, err) != 0)
		return -1;
	if (check_connect_mode(opts, &given, err) != 0)
		return -1;
	return check_loop(opts, &given, err);
}
