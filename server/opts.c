/* opts: getopt_long parsing and validation of the tcplab-server command line. */
#include "opts.h"
#include "server_options.h"

#include <getopt.h>
#include <string.h>

#include "parse.h"

/* Values for options that have no short form. */
enum {
	OPT_REUSEPORT = 256,
	OPT_KEEPALIVE,
	OPT_CLOSE,
	OPT_RAW,
	OPT_ENGINE,
	OPT_MHD_CONN_LIMIT,
	OPT_MHD_THREADS,
	OPT_DURATION,
	OPT_JSON,
	OPT_CHECK,
	OPT_VERSION,
};

const struct option server_long_options[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "backlog", required_argument, NULL, 'b' },
	{ "discipline", required_argument, NULL, 'd' },
	{ "reuseport", no_argument, NULL, OPT_REUSEPORT },
	{ "handle-time", required_argument, NULL, 't' },
	{ "body-size", required_argument, NULL, 's' },
	{ "keepalive", required_argument, NULL, OPT_KEEPALIVE },
	{ "close", required_argument, NULL, OPT_CLOSE },
	{ "raw", required_argument, NULL, OPT_RAW },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "mhd-conn-limit", required_argument, NULL, OPT_MHD_CONN_LIMIT },
	{ "mhd-threads", required_argument, NULL, OPT_MHD_THREADS },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Leading ':' makes getopt report a missing value as ':' instead of printing its own message. */
const char server_short_options[] = ":l:b:d:t:s:qh";

/* Largest N for acceptors:N and prefork:N: far beyond what a lab needs, small enough to stay sane. */
#define MAX_WORKERS 1024

/* Bounds of the time options: an hour of handling or pausing, a day of running. */
#define SEC_US (1000 * 1000LL)
#define MAX_HANDLE_US (3600 * SEC_US)
#define MAX_DURATION_US (24 * 3600 * SEC_US)

void opts_defaults(struct server_opts *opts)
{
	struct tl_err ignored;

	memset(opts, 0, sizeof(*opts));
	parse_ipv4_port("0.0.0.0:8080", &opts->listen_addr, "--listen", &ignored);
	snprintf(opts->listen_text, sizeof(opts->listen_text), "0.0.0.0:8080");
	opts->backlog = 128;
	opts->discipline = DISC_THREADS;
	opts->workers = 1;
	opts->body_bytes = 2;
	opts->keepalive = 1;
	opts->close_style = CLOSE_FIN;
	opts->raw = RAW_OFF;
	opts->engine = ENGINE_NATIVE;
	opts->mhd_threads = 1;
}

/* Parse the N after "name:" as a worker count. */
static int parse_workers(const char *s, const char *form, long *out, struct tl_err *err)
{
	char what[64];

	snprintf(what, sizeof(what), "--discipline: %s", form);
	return parse_long(s, 1, MAX_WORKERS, out, what, err);
}

/* Parse "K:DUR" of pause:K:DUR. */
static int parse_pause(const char *s, struct server_opts *opts, struct tl_err *err)
{
	char count[24];
	const char *colon = strchr(s, ':');
	size_t count_len;

	if (colon == NULL)
		return tl_errf(err, "--discipline: 'pause:%s' needs K and DUR: pause:K:DUR (e.g. pause:3:1s)", s);
	count_len = (size_t)(colon - s);
	if (count_len >= sizeof(count))
		return tl_errf(err, "--discipline: 'pause:%s': K is too long", s);
	memcpy(count, s, count_len);
	count[count_len] = '\0';
	if (parse_long(count, 1, 1000000, &opts->pause_every, "--discipline: pause:K:DUR: K", err) != 0)
		return -1;
	if (parse_duration_range_us(colon + 1, 0, MAX_HANDLE_US, &opts->pause_us, "--discipline: pause:K:DUR: DUR",
				    err) != 0)
		return -1;
	if (strlen(colon + 1) >= sizeof(opts->pause_text))
		return tl_errf(err, "--discipline: pause:K:DUR: DUR '%s' is too long", colon + 1);
	snprintf(opts->pause_text, sizeof(opts->pause_text), "%s", colon + 1);
	return 0;
}

int opts_parse_discipline(const char *s, struct server_opts *opts, struct tl_err *err)
{
	if (strcmp(s, "serial") == 0) {
		opts->discipline = DISC_SERIAL;
	} else if (strcmp(s, "threads") == 0) {
		opts->discipline = DISC_THREADS;
	} else if (strcmp(s, "epoll") == 0) {
		opts->discipline = DISC_EPOLL;
	} else if (strcmp(s, "none") == 0) {
		opts->discipline = DISC_NONE;
	} else if (strncmp(s, "acceptors:", 10) == 0) {
		if (parse_workers(s + 10, "acceptors:N", &opts->workers, err) != 0)
			return -1;
		opts->discipline = DISC_ACCEPTORS;
	} else if (strncmp(s, "prefork:", 8) == 0) {
		if (parse_workers(s + 8, "prefork:N", &opts->workers, err) != 0)
			return -1;
		opts->discipline = DISC_PREFORK;
	} else if (strncmp(s, "pause:", 6) == 0) {
		if (parse_pause(s + 6, opts, err) != 0)
			return -1;
		opts->discipline = DISC_PAUSE;
	} else {
		return tl_errf(err, "--discipline: '%s' is not one of serial, threads, acceptors:N, prefork:N, "
				    "epoll, none, pause:K:DUR", s);
	}
	return 0;
}

void opts_format_discipline(const struct server_opts *opts, char *buf, size_t len)
{
	if (opts->engine == ENGINE_MHD) {
		/* libmicrohttpd has no accept discipline of ours: name its threading mode instead. */
		if (opts->mhd_threads == 0)
			snprintf(buf, len, "mhd-thread-per-connection");
		else if (opts->mhd_threads == 1)
			snprintf(buf, len, "mhd-internal-thread");
		else
			snprintf(buf, len, "mhd-pool:%ld", opts->mhd_threads);
		return;
	}
	switch (opts->discipline) {
	case DISC_SERIAL:
		snprintf(buf, len, "serial");
		return;
	case DISC_THREADS:
		snprintf(buf, len, "threads");
		return;
	case DISC_ACCEPTORS:
		snprintf(buf, len, "acceptors:%ld", opts->workers);
		return;
	case DISC_PREFORK:
		snprintf(buf, len, "prefork:%ld", opts->workers);
		return;
	case DISC_EPOLL:
		snprintf(buf, len, "epoll");
		return;
	case DISC_NONE:
		snprintf(buf, len, "none");
		return;
	case DISC_PAUSE:
		snprintf(buf, len, "pause:%ld:%s", opts->pause_every, opts->pause_text);
		return;
	}
	snprintf(buf, len, "?");
}

const char *opts_engine_name(enum engine engine)
{
	switch (engine) {
	case ENGINE_NATIVE:
		return "native";
	case ENGINE_MHD:
		return "mhd";
	}
	return "?";
}

/* The long name of an option value, for "needs a value" messages. */
static const char *long_name_of(int val)
{
	for (const struct option *o = server_long_options; o->name != NULL; o++) {
		if (o->val == val)
			return o->name;
	}
	return "?";
}

/* Check the combination of options once every flag is read. */
static int opts_validate(const struct server_opts *opts, struct tl_err *err)
{
	if (opts->reuseport && opts->discipline != DISC_PREFORK)
		return tl_errf(err, "--reuseport: only applies to --discipline prefork:N");
	if (opts->engine == ENGINE_MHD) {
		if (opts->discipline_set && opts->discipline != DISC_THREADS)
			return tl_errf(err, "--discipline: --engine mhd has no accept disciplines "
					    "(libmicrohttpd accepts by itself; use --mhd-threads)");
		if (opts->raw != RAW_OFF)
			return tl_errf(err, "--raw: needs --engine native (libmicrohttpd always speaks HTTP)");
	} else {
		if (opts->mhd_conn_limit_set)
			return tl_errf(err, "--mhd-conn-limit: only applies to --engine mhd");
		if (opts->mhd_threads_set)
			return tl_errf(err, "--mhd-threads: only applies to --engine mhd");
	}
	return 0;
}

/* Apply one option; returns 0, 1 for --help, 2 for --version, -1 on error. */
static int apply_option(int c, const char *arg, struct server_opts *opts, int *check, struct tl_err *err)
{
	switch (c) {
	case OPT_VERSION:
		return 2;
	case 'l':
		if (parse_ipv4_port(arg, &opts->listen_addr, "--listen", err) != 0)
			return -1;
		if (strlen(arg) >= sizeof(opts->listen_text))
			return tl_errf(err, "--listen: '%s' is too long", arg);
		snprintf(opts->listen_text, sizeof(opts->listen_text), "%s", arg);
		return 0;
	case 'b':
		return parse_long(arg, 0, 1000000, &opts->backlog, "--backlog", err);
	case 'd':
		opts->discipline_set = 1;
		return opts_parse_discipline(arg, opts, err);
	case OPT_REUSEPORT:
		opts->reuseport = 1;
		return 0;
	case 't':
		return parse_duration_range_us(arg, 0, MAX_HANDLE_US, &opts->handle_us, "--handle-time", err);
	case 's':
		return parse_size_range_bytes(arg, 0, SIZE_MAX_BYTES, &opts->body_bytes, "--body-size", err);
	case OPT_KEEPALIVE:
		return parse_onoff(arg, &opts->keepalive, "--keepalive", err);
	case OPT_CLOSE:
		if (strcmp(arg, "fin") == 0)
			opts->close_style = CLOSE_FIN;
		else if (strcmp(arg, "rst") == 0)
			opts->close_style = CLOSE_RST;
		else
			return tl_errf(err, "--close: '%s' is not fin or rst", arg);
		return 0;
	case OPT_RAW:
		if (strcmp(arg, "hold") == 0)
			opts->raw = RAW_HOLD;
		else if (strcmp(arg, "close") == 0)
			opts->raw = RAW_CLOSE;
		else
			return tl_errf(err, "--raw: '%s' is not hold or close", arg);
		return 0;
	case OPT_ENGINE:
		if (strcmp(arg, "native") == 0)
			opts->engine = ENGINE_NATIVE;
		else if (strcmp(arg, "mhd") == 0)
			opts->engine = ENGINE_MHD;
		else
			return tl_errf(err, "--engine: '%s' is not native or mhd", arg);
		return 0;
	case OPT_MHD_CONN_LIMIT:
		opts->mhd_conn_limit_set = 1;
		return parse_long(arg, 1, 1000000, &opts->mhd_conn_limit, "--mhd-conn-limit", err);
	case OPT_MHD_THREADS:
		opts->mhd_threads_set = 1;
		return parse_long(arg, 0, MAX_WORKERS, &opts->mhd_threads, "--mhd-threads", err);
	case OPT_DURATION:
		return parse_duration_range_us(arg, 1, MAX_DURATION_US, &opts->duration_us, "--duration", err);
	case OPT_JSON:
		opts->json = 1;
		return 0;
	case 'q':
		opts->quiet = 1;
		return 0;
	case OPT_CHECK:
		*check = 1;
		return 0;
	case 'h':
		return 1;
	}
	return tl_errf(err, "internal: option %d has no handler", c);
}

int opts_parse(int argc, char **argv, struct server_opts *opts, enum opts_action *action, struct tl_err *err)
{
	int check = 0;
	int c;

	opts_defaults(opts);
	/* optind = 0 makes glibc start over, so the parser can run more than once (unit tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, server_short_options, server_long_options, NULL)) != -1) {
		const char *bad = argv[optind - 1];
		int rc;

		if (c == '?') {
			/* getopt sets optopt for a long flag given a value it does not take. */
			if (optopt != 0 && strncmp(bad, "--", 2) == 0)
				return tl_errf(err, "--%s: takes no value", long_name_of(optopt));
			if (optopt != 0)
				return tl_errf(err, "-%c: unknown option (see --help)", optopt);
			return tl_errf(err, "%s: unknown option (see --help)", bad);
		}
		if (c == ':') {
			if (optopt >= 256 || strchr("lbdts", optopt) != NULL)
				return tl_errf(err, "--%s: needs a value", long_name_of(optopt));
			return tl_errf(err, "%s: needs a value", bad);
		}
		rc = apply_option(c, optarg, opts, &check, err);
		if (rc < 0)
			return -1;
		if (rc == 1 || rc == 2) {
			*action = rc == 1 ? OPTS_HELP : OPTS_VERSION;
			return 0;
		}
	}
	if (optind < argc)
		return tl_errf(err, "unexpected argument '%s' (options only; see --help)", argv[optind]);
	if (opts_validate(opts, err) != 0)
		return -1;
	*action = check ? OPTS_CHECK : OPTS_RUN;
	return 0;
}
