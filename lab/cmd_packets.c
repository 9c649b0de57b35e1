/* cmd_packets: `tcplab packets`: totals and per-connection ladders from a run's client and server captures. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <sys/stat.h>

#include "commands.h"
#include "ipv4_prefix.h"
#include "packets/packets.h"
#include "parse.h"
#include "path.h"
#include "report/doc_check.h"

static const struct option packets_long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "ladders", required_argument, NULL, 'n' },
	{ "server", required_argument, NULL, 's' },
	{ "port", required_argument, NULL, 'p' },
	{ "client", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void packets_usage(FILE *out)
{
	fprintf(out, "usage: tcplab packets [--json] [--ladders N | --port PORT [--client ADDR]...] --server ADDR:PORT\n"
		     "                      CLIENT.pcap [SERVER.pcap]\n"
		     "       tcplab packets [--json] [--ladders N | --port PORT [--client ADDR]...] [--server ADDR:PORT]\n"
		     "                      RESULTS_DIR\n"
		     "  read a run's captures (raw/client.pcap, raw/server.pcap): count the SYNs, SYN-ACKs, FINs and\n"
		     "  RSTs of every connection to ADDR:PORT (0.0.0.0:PORT: any address) and print the totals and the\n"
		     "  ladders of at most N connections (default %d): the first of each SYN band, the slowest\n"
		     "  handshakes, the resets and those never completed\n"
		     "  RESULTS_DIR  a run's folder: its raw/client.pcap and raw/server.pcap, and the server its\n"
		     "         run.json names\n"
		     "  --server ADDR:PORT  the listener: needed with capture files, from run.json with RESULTS_DIR\n"
		     "  --ladders N  print at most N ladders (0: the totals only)\n"
		     "  --port PORT  the ladders of the connections from client port PORT instead of a selection:\n"
		     "         the client's own, as run.json names its addresses or --client gives them; those of\n"
		     "         other addresses on that port (a SYN flood's spoofed sources) are counted, not listed\n"
		     "  --client ADDR  the client's address (repeat for each of its addresses) for --port; with a\n"
		     "         results folder it replaces the addresses run.json names\n"
		     "  --json  the totals and ladders as one JSON document (docs/packets.md)\n",
		PK_LADDERS_DEFAULT);
}

const struct command command_packets = {
	.name = "packets",
	.summary = "a ladder per connection from a run's captures",
	.needs_home = 0,
	.run = cmd_packets,
	.shortopts = "h",
	.long_opts = packets_long_opts,
	.usage = packets_usage,
};

/* Whose ladders --port shows: one client port, of the client's addresses (count 0: not known, any address). */
struct port_choice {
	long port; /* -1: no --port, the selection instead */
	struct in_addr clients[LAB_SOURCE_ADDRS_MAX];
	size_t client_count;
	size_t left_out; /* connections on that port from other addresses, set by choose */
};

/* The ladders to show: a selection of at most ladders, or every connection of one client port (pc->port >= 0). */
static struct pk_pick *choose(const struct pk_analysis *a, size_t ladders, struct port_choice *pc, size_t *n)
{
	size_t room = pc->port >= 0 ? packets_conn_count(a) : ladders;
	struct pk_pick *picks = calloc(room > 0 ? room : 1, sizeof(*picks));

	if (picks == NULL)
		return NULL;
	*n = pc->port >= 0 ? packets_port_conns(a, (uint16_t)pc->port, pc->clients, pc->client_count, picks,
						&pc->left_out)
			   : packets_select(a, ladders, picks);
	return picks;
}

/* Whether the picks come from more than one client address. */
static int several_addresses(const struct pk_pick *picks, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (picks[i].conn->client_addr.s_addr != picks[0].conn->client_addr.s_addr)
			return 1;
	}
	return 0;
}

/* What --port left out, or that it could not tell the client's connections from others'. */
static void print_port_note(const struct port_choice *pc, const struct pk_pick *picks, size_t n)
{
	char ip[INET_ADDRSTRLEN];

	if (pc->client_count == 0) {
		if (several_addresses(picks, n))
			printf("client port %ld: connections from several addresses, listed together; --client ADDR lists\n"
			       "the client's own and leaves out the others (a SYN flood's spoofed sources)\n",
			       pc->port);
		return;
	}
	if (pc->left_out == 0)
		return;
	printf("client port %ld: %zu connection%s from other addresses than the client's (", pc->port, pc->left_out,
	       pc->left_out == 1 ? "" : "s");
	for (size_t i = 0; i < pc->client_count; i++) {
		inet_ntop(AF_INET, &pc->clients[i], ip, sizeof(ip));
		printf("%s%s", i > 0 ? ", " : "", ip);
	}
	printf(") left out (in a lab run: a SYN flood's spoofed sources)\n");
}

static int print_text(const struct pk_analysis *a, size_t ladders, struct port_choice *pc)
{
	size_t n = 0;
	struct pk_pick *picks = choose(a, ladders, pc, &n);

	if (picks == NULL) {
		fprintf(stderr, "tcplab: out of memory\n");
		return EXIT_ENVIRONMENT;
	}
	packets_print_totals(stdout, a);
	if (pc->port >= 0 && n == 0)
		printf("no connection from client port %ld%s\n", pc->port, pc->client_count > 0 ? " of the client" : "");
	if (pc->port >= 0)
		print_port_note(pc, picks, n);
	if (n > 0)
		printf("ladders of %zu of %zu connections (time from the connection's first packet, seconds):\n", n,
		       packets_conn_count(a));
	for (size_t i = 0; i < n; i++)
		packets_print_ladder(stdout, a, &picks[i]);
	free(picks);
	return EXIT_PASS;
}

/* {"client_port", "client_addresses" (null when not known), "listed", "left_out"}: what --port chose. */
static json_t *port_choice_json(const struct port_choice *pc, size_t listed)
{
	json_t *clients = pc->client_count > 0 ? json_array() : json_null();
	char ip[INET_ADDRSTRLEN];

	for (size_t i = 0; i < pc->client_count; i++) {
		inet_ntop(AF_INET, &pc->clients[i], ip, sizeof(ip));
		json_array_append_new(clients, json_string(ip));
	}
	return json_pack("{s:I, s:o, s:I, s:I}", "client_port", (json_int_t)pc->port, "client_addresses", clients,
			 "listed", (json_int_t)listed, "left_out", (json_int_t)pc->left_out);
}

/* packets_doc_json's document with the ladders of one client port instead of the selection, and "port". */
static json_t *port_doc_json(const struct pk_analysis *a, struct port_choice *pc)
{
	size_t n = 0;
	struct pk_pick *picks = choose(a, 0, pc, &n);
	json_t *doc = picks != NULL ? packets_doc_json(a, 0) : NULL;
	json_t *ladders;

	if (doc != NULL && json_object_set_new(doc, "port", port_choice_json(pc, n)) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	/* Taken after the document may have gone: never a pointer into a freed one. */
	ladders = json_object_get(doc, "ladders");
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

static int print_json(const struct pk_analysis *a, size_t ladders, struct port_choice *pc)
{
	json_t *doc = pc->port >= 0 ? port_doc_json(a, pc) : packets_doc_json(a, ladders);
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

/* Add one client address; what names where it came from in messages. */
static int add_client(struct port_choice *pc, const char *text, const char *what, struct tl_err *err)
{
	if (pc->client_count >= LAB_SOURCE_ADDRS_MAX)
		return tl_errf(err, "%s: more than %d client addresses", what, LAB_SOURCE_ADDRS_MAX);
	if (text == NULL || inet_pton(AF_INET, text, &pc->clients[pc->client_count]) != 1)
		return tl_errf(err, "%s: '%s' is not an IPv4 address", what, text != NULL ? text : "(not a string)");
	pc->client_count++;
	return 0;
}

/* The client's own addresses run.json names in packets.clients (none in a folder from before it did). */
static int run_clients(json_t *doc, const char *doc_path, struct port_choice *pc, struct tl_err *err)
{
	json_t *clients = json_object_get(json_object_get(doc, "packets"), "clients");
	char what[TL_PATH_LEN + 32];
	size_t i;
	json_t *v;

	if (clients == NULL)
		return 0;
	snprintf(what, sizeof(what), "%s: packets.clients", doc_path);
	if (!json_is_array(clients))
		return tl_errf(err, "%s is not an array", what);
	json_array_foreach(clients, i, v) {
		if (add_client(pc, json_string_value(v), what, err) != 0)
			return -1;
	}
	return 0;
}

/* A run's folder: its two captures, the listener its run.json names in packets.server (server != NULL), and the
 * client's addresses it names in packets.clients (pc != NULL). */
static int results_dir_files(const char *dir, char client_pcap[PATH_MAX], char server_pcap[PATH_MAX],
			     struct sockaddr_in *server, struct port_choice *pc, struct tl_err *err)
{
	char doc_path[PATH_MAX];
	json_t *doc;
	const char *listener;
	int rc = 0;

	if (tl_path_fmt(client_pcap, PATH_MAX, err, "%s/raw/client.pcap", dir) != 0 ||
	    tl_path_fmt(server_pcap, PATH_MAX, err, "%s/raw/server.pcap", dir) != 0 ||
	    tl_path_fmt(doc_path, sizeof(doc_path), err, "%s/run.json", dir) != 0)
		return -1;
	if (server == NULL && pc == NULL)
		return 0;
	doc = doc_load_run(doc_path, err);
	if (doc == NULL)
		return -1;
	listener = json_string_value(json_object_get(json_object_get(doc, "packets"), "server"));
	if (server != NULL && listener == NULL)
		rc = tl_errf(err, "%s: packets.server is missing (a run without captures?): name it with --server",
			     doc_path);
	else if (server != NULL)
		rc = parse_ipv4_port(listener, server, "packets.server", err);
	if (rc == 0 && pc != NULL)
		rc = run_clients(doc, doc_path, pc, err);
	json_decref(doc);
	return rc;
}

int cmd_packets(const struct home *h, int argc, char **argv)
{
	struct pk_options opt;
	struct pk_analysis *a;
	struct tl_err err;
	struct port_choice pc = { .port = -1 };
	long ladders = PK_LADDERS_DEFAULT;
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
	while ((c = getopt_long(argc, argv, command_packets.shortopts, command_packets.long_opts, NULL)) != -1) {
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
			if (parse_long(optarg, 1, 65535, &pc.port, "--port", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'c':
			if (add_client(&pc, optarg, "--client", &err) != 0) {
				fprintf(stderr, "tcplab: %s\n", err.msg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'h':
			command_usage(&command_packets, stdout);
			return EXIT_PASS;
		default:
			return EXIT_BAD_INPUT;
		}
	}
	if (pc.client_count > 0 && pc.port < 0) {
		fprintf(stderr, "tcplab: --client picks the ladders of --port PORT: give both (tcplab packets --help)\n");
		return EXIT_BAD_INPUT;
	}
	if (optind >= argc || argc - optind > 2) {
		fprintf(stderr, "tcplab: packets needs a results folder or one or two capture files (tcplab packets --help)\n");
		return EXIT_BAD_INPUT;
	}
	files[0] = argv[optind];
	files[1] = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (files[1] == NULL && is_directory(files[0])) {
		if (results_dir_files(files[0], client_pcap, server_pcap, have_server ? NULL : &opt.server,
				      pc.port >= 0 && pc.client_count == 0 ? &pc : NULL, &err) != 0) {
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
	rc = json_out ? print_json(a, (size_t)ladders, &pc) : print_text(a, (size_t)ladders, &pc);
	packets_free(a);
	return rc;
}
