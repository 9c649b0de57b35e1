/* cmd_packets: `tcplab packets`: totals and per-connection ladders from a run's client and server captures. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <sys/stat.h>

#include "commands.h"
#include "packets/packets.h"
#include "parse.h"
#include "path.h"
#include "report/doc_check.h"

static void packets_usage(FILE *out)
{
	fprintf(out, "usage: tcplab packets [--json] [--ladders N | --port PORT] --server ADDR:PORT CLIENT.pcap [SERVER.pcap]\n"
		     "       tcplab packets [--json] [--ladders N | --port PORT] [--server ADDR:PORT] RESULTS_DIR\n"
		     "  read a run's captures (raw/client.pcap, raw/server.pcap): count the SYNs, SYN-ACKs, FINs and\n"
		     "  RSTs of every connection to ADDR:PORT (0.0.0.0:PORT: any address) and print the totals and the\n"
		     "  ladders of at most N connections (default %d): the first of each SYN band, the slowest\n"
		     "  handshakes, the resets and those never completed\n"
		     "  RESULTS_DIR  a run's folder: its raw/client.pcap and raw/server.pcap, and the server its\n"
		     "         run.json names\n"
		     "  --port PORT  the ladders of the connections from client port PORT instead of a selection\n"
		     "  --json  the totals and ladders as one JSON document (docs/packets.md)\n",
		PK_LADDERS_DEFAULT);
}

/* The connections from client port port, in order of first packet, into picks (room for every connection). */
static size_t pick_port(const struct pk_analysis *a, long port, struct pk_pick *picks)
{
	size_t n = 0;

	for (size_t i = 0; i < packets_conn_count(a); i++) {
		const struct pk_conn *c = packets_conn(a, i);

		if (c->client_port == port)
			picks[n++] = (struct pk_pick){ .conn = c, .reasons = 0 };
	}
	return n;
}

/* The ladders to show: a selection of at most ladders, or every connection of one client port (port >= 0). */
static struct pk_pick *choose(const struct pk_analysis *a, size_t ladders, long port, size_t *n)
{
	size_t room = port >= 0 ? packets_conn_count(a) : ladders;
	struct pk_pick *picks = calloc(room > 0 ? room : 1, sizeof(*picks));

	if (picks == NULL)
		return NULL;
	*n = port >= 0 ? pick_port(a, port, picks) : packets_select(a, ladders, picks);
	return picks;
}

static int print_text(const struct pk_analysis *a, size_t ladders, long port)
{
	size_t n = 0;
	struct pk_pick *picks = choose(a, ladders, port, &n);

	if (picks == NULL) {
		fprintf(stderr, "tcplab: out of memory\n");
		return EXIT_ENVIRONMENT;
	}
	packets_print_totals(stdout, a);
	if (port >= 0 && n == 0)
		printf("no connection from client port %ld\n", port);
	if (n > 0)
		printf("ladders of %zu of %zu connections (time from the connection's first packet, seconds):\n", n,
		       packets_conn_count(a));
	for (size_t i = 0; i < n; i++)
		packets_print_ladder(stdout, a, &picks[i]);
	free(picks);
	return EXIT_PASS;
}

/* packets_doc_json's document with the ladders of one client port instead of the selection. */
static json_t *port_doc_json(const struct pk_analysis *a, long port)
{
	size_t n = 0;
	struct pk_pick *picks = choose(a, 0, port, &n);
	json_t *doc = picks != NULL ? packets_doc_json(a, 0) : NULL;
	json_t *ladders = json_object_get(doc, "ladders");

	for (size_t i = 0; ladders != NULL && i < n; i++) {
		if (json_array_append_new(ladders, packets_conn_json(a, picks[i].conn, 0)) != 0) {
			json_decref(doc);
			doc = NULL;
		}
		ladders = json_object_get(doc, "ladders");
	}
	free(picks);
	return doc;
}

static int print_json(const struct pk_analysis *a, size_t ladders, long port)
{
	json_t *doc = port >= 0 ? port_doc_json(a, port) : packets_doc_json(a, ladders);
	int rc;

	if (doc == NULL) {
		fprintf(stderr, "tcplab: out of memory\n");
		return EXIT_ENVIRONMENT;
	}
	rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc != 0 || fputc('\n', stdout) == EOF) {
		fprintf(stderr, "tcplab: cannot write the JSON document\n");
		return EXIT_ENVIRONMENT;
	}
	return EXIT_PASS;
}

static int is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A run's folder: its two captures, and (server != NULL) the listener its run.json names in packets.server. */
static int results_dir_files(const char *dir, char client_pcap[PATH_MAX], char server_pcap[PATH_MAX],
			     struct sockaddr_in *server, struct tl_err *err)
{
	char doc_path[PATH_MAX];
	json_t *doc;
	const char *listener;
	int rc = 0;

	if (tl_path_fmt(client_pcap, PATH_MAX, err, "%s/raw/client.pcap", dir) != 0 ||
	    tl_path_fmt(server_pcap, PATH_MAX, err, "%s/raw/server.pcap", dir) != 0 ||
	    tl_path_fmt(doc_path, sizeof(doc_path), err, "%s/run.json", dir) != 0)
		return -1;
	if (server == NULL)
		return 0;
	doc = doc_load_run(doc_path, err);
	if (doc == NULL)
		return -1;
	listener = json_string_value(json_object_get(json_object_get(doc, "packets"), "server"));
	if (listener == NULL)
		rc = tl_errf(err, "%s: packets.server is missing (a run without captures?): name it with --server",
			     doc_path);
	else
		rc = parse_ipv4_port(listener, server, "packets.server", err);
	json_decref(doc);
	return rc;
}

int cmd_packets(const struct home *h, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ladders", required_argument, NULL, 'n' },
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pk_options opt;
	struct pk_analysis *a;
	struct tl_err err;
	long ladders = PK_LADDERS_DEFAULT;
	long port = -1;
	char client_pcap[PATH_MAX];
	char server_pcap[PATH_MAX];
	const char *files[2] = { NULL, NULL };
	int have_server = 0;
	int json_out = 0;
	int rc;
	int c;

	(void)h;
	packets_options_default(&opt);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_out = 1;
			break;
		case 'n':
			if (parse_long(optarg, 0, 100000, &ladders, "--ladders", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 's':
			if (parse_ipv4_port(optarg, &opt.server, "--server", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			have_server = 1;
			break;
		case 'p':
			if (parse_long(optarg, 1, 65535, &port, "--port", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'h':
			packets_usage(stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		fprintf(stderr, "tcplab: packets needs a results folder or one or two capture files (tcplab packets --help)\n");
		return EXIT_BAD_INPUT;
	}
	files[0] = argv[optind];
	files[1] = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (files[1] == NULL && is_directory(files[0])) {
		if (results_dir_files(files[0], client_pcap, server_pcap, have_server ? NULL : &opt.server, &err) != 0) {
			fprintf(stderr, "tcplab: %s\n", err.msg);
			return EXIT_BAD_INPUT;
		}
		files[0] = client_pcap;
		files[1] = server_pcap;
		have_server = 1;
	}
	if (!have_server) {
		fprintf(stderr, "tcplab: packets needs --server ADDR:PORT with capture files (tcplab packets --help)\n");
		return EXIT_BAD_INPUT;
	}
	rc = packets_analyse(files[0], files[1], &opt, &a, &err);
	if (rc != 0) {
		fprintf(stderr, "tcplab: %s\n", err.msg);
		return rc == -2 ? EXIT_ENVIRONMENT : EXIT_BAD_INPUT;
	}
	rc = json_out ? print_json(a, (size_t)ladders, port) : print_text(a, (size_t)ladders, port);
	packets_free(a);
	return rc;
}
