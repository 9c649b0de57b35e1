/* test_packets_port: `tcplab packets --port` lists the client's own connections, not a SYN flood's spoofed ones, and
 * the client's records (connections.csv) are joined to the client's own connections only. */
#include "unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "packets/frame.h"
#include "packets/packets.h"
#include "pcap_frames.h"
#include "run/conn_join.h"

#define CLI "198.18.0.2"
#define SPOOF_A "198.19.3.4"
#define SPOOF_B "198.19.200.7"
#define SRV "198.18.0.1"
#define SRV_PORT 8080
#define CPORT 41000       /* the client's port, which two spoofed SYNs use too */
#define OTHER_CPORT 41001 /* the client's only */
#define LOST_CPORT 41002  /* a spoofed SYN's only: the client's connection on it is not in the captures */
#define T0 1700000000000000LL

/* A results folder as a run leaves it: run.json and raw/client.pcap, raw/server.pcap. */
struct folder {
	char dir[64];
	char raw[96];
	char path[PK_SIDES][128];
	char doc[96];
	struct pf_writer cap[PK_SIDES];
};

/* One packet between src:sport and the server, in the sender's capture at t_us and the receiver's 20 us later. */
static void wire(struct folder *f, int64_t t_us, const char *client, uint16_t cport, int from_client, uint8_t flags,
		 uint32_t seq, uint32_t ack)
{
	int sender = from_client ? PK_CLIENT : PK_SERVER;
	const char *src = from_client ? client : SRV;
	const char *dst = from_client ? SRV : client;
	uint16_t sport = from_client ? cport : SRV_PORT;
	uint16_t dport = from_client ? SRV_PORT : cport;

	pf_tcp(&f->cap[sender], T0 + t_us, src, sport, dst, dport, flags, seq, ack, 0);
	pf_tcp(&f->cap[1 - sender], T0 + t_us + 20, src, sport, dst, dport, flags, seq, ack, 0);
}

/* The client's handshake on cport at t_us. */
static void handshake(struct folder *f, int64_t t_us, uint16_t cport, uint32_t isn)
{
	wire(f, t_us, CLI, cport, 1, TCPF_SYN, isn, 0);
	wire(f, t_us + 100, CLI, cport, 0, TCPF_SYN | TCPF_ACK, 9000, isn + 1);
	wire(f, t_us + 200, CLI, cport, 1, TCPF_ACK, isn + 1, 9001);
}

/* run.json: the report fixture's document, with the packets object a run with captures writes. */
static int write_run_json(const struct folder *f, int with_clients)
{
	json_t *doc = json_load_file("tests/report/run/run.json", 0, NULL);
	json_t *packets = json_pack("{s:s}", "server", SRV ":8080");
	int rc;

	if (doc == NULL || packets == NULL)
		return -1;
	if (with_clients)
		json_object_set_new(packets, "clients", json_pack("[s]", CLI));
	json_object_set_new(doc, "packets", packets);
	rc = json_dump_file(doc, f->doc, JSON_INDENT(2));
	json_decref(doc);
	return rc;
}

/* The captures of a SYN flood run: the client's two connections, and spoofed SYNs (one answered, one not) that
 * happen to use the client's port; the server answers spoofed SYNs too, into a black hole. */
static int folder_make(struct folder *f, int with_clients)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/tcplab-unit-port.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->raw, sizeof(f->raw), "%s/raw", f->dir);
	snprintf(f->doc, sizeof(f->doc), "%s/run.json", f->dir);
	snprintf(f->path[PK_CLIENT], sizeof(f->path[PK_CLIENT]), "%s/client.pcap", f->raw);
	snprintf(f->path[PK_SERVER], sizeof(f->path[PK_SERVER]), "%s/server.pcap", f->raw);
	if (mkdir(f->raw, 0700) != 0 || pf_open(&f->cap[PK_CLIENT], f->path[PK_CLIENT], DLT_EN10MB, 128) != 0 ||
	    pf_open(&f->cap[PK_SERVER], f->path[PK_SERVER], DLT_EN10MB, 128) != 0)
		return -1;
	wire(f, 0, SPOOF_A, CPORT, 1, TCPF_SYN, 111, 0);
	wire(f, 50, SPOOF_A, CPORT, 0, TCPF_SYN | TCPF_ACK, 7000, 112);
	handshake(f, 1000, CPORT, 5000);
	wire(f, 2000, SPOOF_B, CPORT, 1, TCPF_SYN, 222, 0);
	handshake(f, 3000, OTHER_CPORT, 6000);
	wire(f, 4100, SPOOF_A, LOST_CPORT, 1, TCPF_SYN, 333, 0);
	pf_close(&f->cap[PK_CLIENT]);
	pf_close(&f->cap[PK_SERVER]);
	return write_run_json(f, with_clients);
}

static void folder_remove(const struct folder *f)
{
	unlink(f->path[PK_CLIENT]);
	unlink(f->path[PK_SERVER]);
	unlink(f->doc);
	rmdir(f->raw);
	rmdir(f->dir);
}

/* Run `tcplab packets ARGS...` with its stdout into a string (the caller frees it); NULL when it failed. */
static char *run_packets(int *status, const char *const *args, int nargs)
{
	char *argv[16] = { "packets" };
	char out_path[] = "/tmp/tcplab-unit-port-out.XXXXXX";
	int saved = dup(STDOUT_FILENO);
	int fd = mkstemp(out_path);
	char *text = NULL;
	long len;
	FILE *in;

	for (int i = 0; i < nargs && i + 1 < 15; i++)
		argv[i + 1] = (char *)args[i];
	if (fd < 0 || saved < 0)
		return NULL;
	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	*status = cmd_packets(NULL, nargs + 1, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	in = fopen(out_path, "r");
	if (in != NULL && fseek(in, 0, SEEK_END) == 0 && (len = ftell(in)) >= 0 && fseek(in, 0, SEEK_SET) == 0 &&
	    (text = calloc(1, (size_t)len + 1)) != NULL && fread(text, 1, (size_t)len, in) != (size_t)len) {
		free(text);
		text = NULL;
	}
	if (in != NULL)
		fclose(in);
	unlink(out_path);
	return text;
}

/* The analysis: the client's port holds three connections, one of them the client's. */
static void test_port_conns(void)
{
	struct pk_options opt;
	struct pk_analysis *a = NULL;
	struct pk_pick picks[8];
	struct in_addr client;
	struct tl_err err;
	struct folder f;
	size_t others = 99;
	size_t n;

	CHECK(folder_make(&f, 1) == 0);
	packets_options_default(&opt);
	opt.server.sin_port = htons(SRV_PORT);
	inet_pton(AF_INET, SRV, &opt.server.sin_addr);
	inet_pton(AF_INET, CLI, &client);
	CHECK(packets_analyse(f.path[PK_CLIENT], f.path[PK_SERVER], &opt, &a, &err) == 0);
	if (a == NULL)
		goto out;
	CHECK(packets_conn_count(a) == 5);
	n = packets_port_conns(a, CPORT, &client, 1, picks, &others);
	CHECK(n == 1 && others == 2);
	CHECK(n == 1 && picks[0].conn->client_addr.s_addr == client.s_addr && picks[0].conn->completed);
	/* Without the client's address every connection on the port is listed, none counted apart. */
	n = packets_port_conns(a, CPORT, NULL, 0, picks, &others);
	CHECK(n == 3 && others == 0);
	n = packets_port_conns(a, OTHER_CPORT, &client, 1, picks, &others);
	CHECK(n == 1 && others == 0);
out:
	packets_free(a);
	folder_remove(&f);
}

/* The client's records gain the wire columns of the client's own connections only: a record whose connection the
 * captures lack stays empty rather than take a spoofed SYN's on its port. */
static void test_records_join(void)
{
	struct pk_options opt;
	struct pk_analysis *a = NULL;
	struct in_addr client;
	struct tl_err err;
	struct folder f;
	char csv[128];
	char line[512];
	size_t matched = 0;
	FILE *io;
	int row = 0;

	CHECK(folder_make(&f, 1) == 0);
	packets_options_default(&opt);
	opt.server.sin_port = htons(SRV_PORT);
	inet_pton(AF_INET, SRV, &opt.server.sin_addr);
	inet_pton(AF_INET, CLI, &client);
	snprintf(csv, sizeof(csv), "%s/connections.csv", f.dir);
	io = fopen(csv, "w");
	CHECK(io != NULL);
	if (io == NULL)
		goto out;
	/* Each record starts a little before its SYN. */
	fprintf(io, "id,start_wall_us,local_port,reused\n0,%lld,%d,0\n1,%lld,%d,0\n2,%lld,%d,0\n", T0 + 990, CPORT,
		T0 + 2990, OTHER_CPORT, T0 + 4000, LOST_CPORT);
	fclose(io);
	CHECK(packets_analyse(f.path[PK_CLIENT], f.path[PK_SERVER], &opt, &a, &err) == 0);
	if (a == NULL)
		goto out;
	CHECK(conn_join_wire(csv, a, &client, 1, &matched, &err) == 0);
	CHECK(matched == 2);
	io = fopen(csv, "r");
	while (io != NULL && fgets(line, sizeof(line), io) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (row == 1)
			CHECK(strstr(line, ",41000,0,1,0,1,0,0,0,200,1") != NULL);
		if (row == 3)
			CHECK_STR(line, "2,1700000000004000,41002,0,,,,,,,,");
		row++;
	}
	CHECK(row == 4);
	if (io != NULL)
		fclose(io);
out:
	unlink(csv);
	packets_free(a);
	folder_remove(&f);
}

/* The ladders of one --port document: how many, all from the client, and how many were left out. */
static void check_port_doc(const char *text, size_t want_listed, size_t want_left_out)
{
	json_t *doc = text != NULL ? json_loads(text, 0, NULL) : NULL;
	json_t *ladders = json_object_get(doc, "ladders");
	json_t *port = json_object_get(doc, "port");
	json_t *ladder;
	size_t i;

	CHECK(json_array_size(ladders) == want_listed);
	json_array_foreach(ladders, i, ladder)
		CHECK_STR(json_string_value(json_object_get(ladder, "client")), CLI ":41000");
	CHECK(json_integer_value(json_object_get(port, "client_port")) == CPORT);
	CHECK(json_integer_value(json_object_get(port, "listed")) == (json_int_t)want_listed);
	CHECK(json_integer_value(json_object_get(port, "left_out")) == (json_int_t)want_left_out);
	json_decref(doc);
}

/* A results folder: the client's addresses come from run.json's packets.clients. */
static void test_results_folder(void)
{
	struct folder f;
	char *text;
	int status = -1;

	CHECK(folder_make(&f, 1) == 0);
	text = run_packets(&status, (const char *const[]){ "--json", "--port", "41000", f.dir }, 4);
	CHECK(status == EXIT_PASS);
	check_port_doc(text, 1, 2);
	CHECK(text != NULL && strstr(text, "\"client_addresses\": [\n      \"" CLI "\"") != NULL);
	free(text);
	text = run_packets(&status, (const char *const[]){ "--port", "41000", f.dir }, 3);
	CHECK(status == EXIT_PASS);
	CHECK(text != NULL && strstr(text, "ladders of 1 of 5 connections") != NULL);
	CHECK(text != NULL && strstr(text, "client port 41000: 2 connections from other addresses than the client's "
					   "(" CLI ") left out") != NULL);
	CHECK(text != NULL && strstr(text, SPOOF_A) == NULL && strstr(text, SPOOF_B) == NULL);
	free(text);
	folder_remove(&f);
}

/* A folder from before run.json named the client: every address is listed, and the text says so. */
static void test_folder_without_clients(void)
{
	struct folder f;
	char *text;
	int status = -1;

	CHECK(folder_make(&f, 0) == 0);
	text = run_packets(&status, (const char *const[]){ "--json", "--port", "41000", f.dir }, 4);
	CHECK(status == EXIT_PASS);
	CHECK(text != NULL && strstr(text, "\"client_addresses\": null") != NULL);
	free(text);
	text = run_packets(&status, (const char *const[]){ "--port", "41000", f.dir }, 3);
	CHECK(text != NULL && strstr(text, "client port 41000: connections from several addresses, listed together") != NULL);
	free(text);
	/* --client names it. */
	text = run_packets(&status, (const char *const[]){ "--json", "--port", "41000", "--client", CLI, f.dir }, 6);
	CHECK(status == EXIT_PASS);
	check_port_doc(text, 1, 2);
	free(text);
	folder_remove(&f);
}

/* Capture files: --client gives the client's address; bad uses are refused. */
static void test_capture_files(void)
{
	struct folder f;
	char *text;
	int status = -1;

	CHECK(folder_make(&f, 1) == 0);
	text = run_packets(&status,
			   (const char *const[]){ "--json", "--port", "41000", "--client", CLI, "--server", SRV ":8080",
						  f.path[PK_CLIENT], f.path[PK_SERVER] },
			   9);
	CHECK(status == EXIT_PASS);
	check_port_doc(text, 1, 2);
	free(text);
	text = run_packets(&status, (const char *const[]){ "--client", CLI, "--server", SRV ":8080", f.path[PK_CLIENT] },
			   5);
	CHECK(status == EXIT_BAD_INPUT);
	free(text);
	text = run_packets(&status,
			   (const char *const[]){ "--port", "41000", "--client", "198.18.0", "--server", SRV ":8080",
						  f.path[PK_CLIENT] },
			   7);
	CHECK(status == EXIT_BAD_INPUT);
	free(text);
	folder_remove(&f);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");

	/* run.json comes from the report fixture, relative to the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	RUN(test_port_conns);
	RUN(test_results_folder);
	RUN(test_folder_without_clients);
	RUN(test_capture_files);
	RUN(test_records_join);
	return UNIT_END();
}
