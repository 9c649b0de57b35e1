/* main: tcplab-capture: record a lab interface's TCP packets into a pcap file until SIGTERM or SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "probe/capture.h"
#include "version.h"
#include "capture/capture_options.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: tcplab-capture --interface NAME --output FILE [--snaplen BYTES] [--max-bytes SIZE]\n"
		     "  records the interface's TCP packets (libpcap, pcap format) until SIGTERM or SIGINT;\n"
		     "  prints {\"ready\": true, ...} once recording, and its counts as the last line of stdout.\n"
		     "  --snaplen BYTES   bytes kept of each packet, %d..%d (default %d: headers only)\n"
		     "  --max-bytes SIZE  the file stops growing at SIZE (k/m suffixes; default %dm, at most %dm)\n"
		     "  --version         print the version\n"
		     "  --help            print this usage\n",
		CAPTURE_MIN_SNAPLEN, CAPTURE_MAX_SNAPLEN, CAPTURE_DEFAULT_SNAPLEN, CAPTURE_DEFAULT_MAX_MB,
		CAPTURE_MAX_MB);
}

/* An interface name the kernel could have: short, printable, no '/' or blank. */
static int interface_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IFNAMSIZ)
		return 0;
	for (const char *p = name; *p != '\0'; p++) {
		if (*p <= ' ' || *p > '~' || *p == '/' || *p == ':')
			return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct capture_config *cfg, const char **output, struct tl_err *err)
{
	long snaplen;
	int c;

	cfg->snaplen_bytes = CAPTURE_DEFAULT_SNAPLEN;
	cfg->max_bytes = (int64_t)CAPTURE_DEFAULT_MAX_MB << 20;
	opterr = 0;
	while ((c = getopt_long(argc, argv, capture_short_options, capture_long_options, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!interface_name_ok(optarg))
				return tl_errf(err, "--interface '%s': not an interface name", optarg);
			cfg->interface = optarg;
			break;
		case 'o':
			*output = optarg;
			break;
		case 's':
			if (parse_long(optarg, CAPTURE_MIN_SNAPLEN, CAPTURE_MAX_SNAPLEN, &snaplen, "--snaplen", err) != 0)
				return -1;
			cfg->snaplen_bytes = (int)snaplen;
			break;
		case 'm':
			if (parse_size_bytes(optarg, &cfg->max_bytes, "--max-bytes", err) != 0)
				return -1;
			if (cfg->max_bytes < 4096 || cfg->max_bytes > ((int64_t)CAPTURE_MAX_MB << 20))
				return tl_errf(err, "--max-bytes %s: give 4k .. %dm", optarg, CAPTURE_MAX_MB);
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("tcplab-capture %s\n", tl_version());
			return 1;
		case ':':
			return tl_errf(err, "%s needs a value", argv[optind - 1]);
		default:
			return tl_errf(err, "unknown option '%s' (--help lists them)", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return tl_errf(err, "unexpected argument '%s'", argv[optind]);
	if (cfg->interface == NULL || *output == NULL)
		return tl_errf(err, "--interface and --output are required");
	return 0;
}

/* One JSON object as a line of stdout, flushed: the controller reads it while we run. */
static void print_line(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);

	if (text != NULL)
		printf("%s\n", text);
	fflush(stdout);
	free(text);
	json_decref(o);
}

static void print_stats(const struct capture_stats *s)
{
	print_line(json_pack("{s:I, s:I, s:b, s:I, s:I, s:I, s:I, s:s}", "packets_written",
			     (json_int_t)s->packets_written, "bytes_written", (json_int_t)s->bytes_written, "capped",
			     s->capped, "packets_after_cap", (json_int_t)s->packets_after_cap, "kernel_received",
			     (json_int_t)s->kernel_received, "kernel_dropped", (json_int_t)s->kernel_dropped,
			     "interface_dropped", (json_int_t)s->interface_dropped, "link_type", s->link_type));
}

int main(int argc, char **argv)
{
	struct capture_config cfg = { 0 };
	struct capture_stats stats;
	struct capture *running;
	struct sigaction sa;
	const char *output = NULL;
	struct tl_err err;
	int rc;

	rc = parse_args(argc, argv, &cfg, &output, &err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "tcplab-capture: %s\n", err.msg);
		return rc < 0 ? 2 : 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Never an existing file, never through a symlink: the folder may be shared with others. */
	cfg.out_fd = open(output, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (cfg.out_fd < 0) {
		fprintf(stderr, "tcplab-capture: create %s: %s\n", output, strerror(errno));
		return 3;
	}
	if (capture_open(&cfg, &running, &err) != 0) {
		close(cfg.out_fd);
		unlink(output);
		fprintf(stderr, "tcplab-capture: %s\n", err.msg);
		return 3;
	}
	print_line(json_pack("{s:b, s:s, s:i}", "ready", 1, "interface", cfg.interface, "snaplen", cfg.snaplen_bytes));
	rc = capture_loop(running, &stop_requested, &err);
	if (rc != 0)
		fprintf(stderr, "tcplab-capture: %s\n", err.msg);
	if (capture_close(running, &stats, &err) != 0) {
		fprintf(stderr, "tcplab-capture: %s\n", err.msg);
		rc = -1;
	}
	print_stats(&stats);
	return rc == 0 ? 0 : 3;
}
