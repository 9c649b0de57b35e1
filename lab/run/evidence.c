/* evidence: what a run records besides samples and counters: each side's packets (pcap) and the kernel's drops. */
#include "evidence.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path.h"
#include "run/drop_join.h"
#include "run/program_counts.h"
#include "side/side_stop.h"

/* A recorder flushes what the kernel still holds and closes its file; a large file takes a moment. */
#define CAPTURE_STOP_GRACE_US 5000000

/* Ladders kept in run.json: enough for every band, the slowest, resets and failures, never the whole run. */
#define EVIDENCE_LADDERS 50

static const char *const side_names[EVIDENCE_SIDES] = { "server", "client" };

void evidence_plan(struct evidence *e, const struct scenario *sc, int force)
{
	const struct scenario_value *packets = scenario_get(sc, "capture", "packets");
	const struct scenario_value *drops = scenario_get(sc, "capture", "drops");
	const struct scenario_value *snaplen = scenario_get(sc, "capture", "snaplen");
	const struct scenario_value *max_mb = scenario_get(sc, "capture", "max_mb");

	memset(e, 0, sizeof(*e));
	e->record_packets = force >= 0 ? force : packets != NULL && packets->number != 0;
	/* Drops are part of the evidence: on with packet capture unless the scenario says otherwise. */
	e->trace_drops = force >= 0 ? force : drops != NULL && drops->present && drops->line > 0 ? drops->number != 0
												  : e->record_packets;
	e->snaplen_bytes = (int)snaplen->number;
	e->max_bytes = max_mb->number << 20;
	for (int i = 0; i < EVIDENCE_SIDES; i++)
		e->capture_proc[i] = -1;
}

/* The drop tracer on both sides' namespaces; where it cannot run, e->drops says why and the run goes on. */
static void start_tracer(struct evidence *e, struct side *const sides[EVIDENCE_SIDES])
{
	struct tl_err why;

	if (!e->trace_drops) {
		e->drops = json_pack("{s:s, s:b, s:s}", "status", "off", "available", 0, "reason",
				     "drop tracing was off ([capture] drops = off, or --no-capture)");
		return;
	}
	if (drops_start(sides[EVIDENCE_SERVER]->ops->netns_ino(sides[EVIDENCE_SERVER]),
			sides[EVIDENCE_CLIENT]->ops->netns_ino(sides[EVIDENCE_CLIENT]), &e->tracer, &why) != 0)
		e->drops = json_pack("{s:s, s:b, s:s}", "status", "unavailable", "available", 0, "reason", why.msg);
}

int evidence_start(struct evidence *e, struct side *const sides[EVIDENCE_SIDES], const char *bindir,
		   struct tl_err *err)
{
	char program[TL_PATH_LEN];
	struct side_capture c = { .program = program, .snaplen_bytes = e->snaplen_bytes, .max_bytes = e->max_bytes };

	start_tracer(e, sides);
	if (!e->record_packets)
		return 0;
	if (tl_path_fmt(program, sizeof(program), err, "%s/tcplab-capture", bindir) != 0)
		return -1;
	for (int i = 0; i < EVIDENCE_SIDES; i++) {
		if (sides[i]->ops->capture_start(sides[i], &c, &e->capture_proc[i], err) != 0)
			return -1;
	}
	return 0;
}

/* The recorder's counts: the last line of its stdout, checked field by field (an agent's file is input). */
static json_t *recorder_counts(const char *stdout_path, int wait_status)
{
	static const char *const counts[] = { "packets_written",  "bytes_written",  "packets_after_cap",
					      "kernel_received", "kernel_dropped", "interface_dropped" };
	json_t *in = program_counts(stdout_path, counts, sizeof(counts) / sizeof(counts[0]));
	json_t *out;

	if (in == NULL)
		return json_pack("{s:b, s:s}", "complete", 0, "error",
				 "the recorder gave no counts (it was killed or failed)");
	out = json_deep_copy(in);
	json_object_del(out, "capped");
	json_object_set_new(out, "capped", json_boolean(json_is_true(json_object_get(in, "capped"))));
	json_object_set_new(out, "complete",
			    json_boolean(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0 &&
					 !json_is_true(json_object_get(in, "capped")) &&
					 json_integer_value(json_object_get(in, "kernel_dropped")) == 0 &&
					 json_integer_value(json_object_get(in, "interface_dropped")) == 0));
	json_decref(in);
	return out;
}

void evidence_stop(struct evidence *e, struct side *const sides[EVIDENCE_SIDES], const char *rawdir)
{
	json_t *capture = json_pack("{s:b}", "packets", e->record_packets);

	if (e->tracer != NULL) {
		char csv[TL_PATH_LEN];
		struct tl_err err;
		int cut = tl_path_fmt(csv, sizeof(csv), &err, "%s/drops.csv", rawdir);

		/* Stopped whatever the path: the counts hold without the events' file. */
		json_decref(e->drops);
		e->drops = drops_stop(e->tracer, csv);
		e->tracer = NULL;
		if (cut != 0)
			json_object_set_new(e->drops, "file_error", json_string(err.msg));
	}
	/* A run that ended before the evidence started still says what drop tracing was. */
	if (e->drops == NULL)
		e->drops = json_pack("{s:s, s:b, s:s}", "status", "unavailable", "available", 0, "reason",
				     "the run ended before drop tracing started");

	if (e->record_packets) {
		json_object_set_new(capture, "snaplen", json_integer(e->snaplen_bytes));
		json_object_set_new(capture, "max_bytes", json_integer(e->max_bytes));
	}
	for (int i = 0; i < EVIDENCE_SIDES && e->record_packets; i++) {
		char path[TL_PATH_LEN];
		struct tl_err err;
		int status = -1;
		json_t *side;

		if (e->capture_proc[i] < 0) {
			json_object_set_new(capture, side_names[i],
					    json_pack("{s:b, s:s}", "complete", 0, "error", "no recorder was started"));
			continue;
		}
		side_stop_program(sides[i], e->capture_proc[i], CAPTURE_STOP_GRACE_US, &status);
		if (tl_path_fmt(path, sizeof(path), &err, "%s/%s-capture.stdout", rawdir, side_names[i]) != 0) {
			json_object_set_new(capture, side_names[i], json_pack("{s:b, s:s}", "complete", 0, "error", err.msg));
			continue;
		}
		sides[i]->ops->fetch(sides[i], e->capture_proc[i], "stdout", path, &err);
		side = recorder_counts(path, status);
		if (tl_path_fmt(path, sizeof(path), &err, "%s/%s.pcap", rawdir, side_names[i]) != 0 ||
		    sides[i]->ops->fetch(sides[i], e->capture_proc[i], strrchr(path, '/') + 1, path, &err) != 0) {
			json_object_set_new(side, "complete", json_false());
			json_object_set_new(side, "error", json_string(err.msg));
		} else {
			char file[32];

			snprintf(file, sizeof(file), "raw/%s.pcap", side_names[i]);
			json_object_set_new(side, "file", json_string(file));
		}
		json_object_set_new(capture, side_names[i], side);
	}
	e->capture = capture;
}

int evidence_packets_complete(const struct evidence *e)
{
	if (!e->record_packets || e->capture == NULL)
		return 0;
	for (int i = 0; i < EVIDENCE_SIDES; i++) {
		if (!json_is_true(json_object_get(json_object_get(e->capture, side_names[i]), "complete")))
			return 0;
	}
	return 1;
}

/* The ladders of a bounded selection: the slowest handshakes, one per SYN band, resets, connections that never
 * completed. */
static json_t *ladders_json(const struct pk_analysis *a)
{
	struct pk_pick picks[EVIDENCE_LADDERS];
	size_t n = packets_select(a, EVIDENCE_LADDERS, picks);
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, packets_conn_json(a, picks[i].conn, picks[i].reasons));
	return list;
}

/* Why the packets cannot be trusted to be all there, "" when they can: caps reached, kernel drops. */
static void incomplete_reason(const struct evidence *e, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < EVIDENCE_SIDES; i++) {
		json_t *side = json_object_get(e->capture, side_names[i]);
		const char *error = json_string_value(json_object_get(side, "error"));
		int w = 0;

		if (json_is_true(json_object_get(side, "complete")))
			continue;
		if (error != NULL)
			w = snprintf(buf + used, len - used, "%s%s capture: %s", used ? "; " : "", side_names[i], error);
		else
			w = snprintf(buf + used, len - used,
				     "%s%s capture %s (%lld packets not written, %lld lost in the kernel)",
				     used ? "; " : "", side_names[i],
				     json_is_true(json_object_get(side, "capped")) ? "reached its size cap" : "lost packets",
				     (long long)json_integer_value(json_object_get(side, "packets_after_cap")),
				     (long long)(json_integer_value(json_object_get(side, "kernel_dropped")) +
						 json_integer_value(json_object_get(side, "interface_dropped"))));
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

/* The ladders' packets that a kernel dropped get their drop reason (raw/drops.csv); packets.ladder_drops counts
 * them, or packets.ladder_drops_error says why they could not be marked. */
static void mark_drops(const struct evidence *e, const char *rawdir, json_t *packets)
{
	const char *status = json_string_value(json_object_get(e->drops, "status"));
	json_t *started = json_object_get(e->drops, "started_wall_us");
	char csv[TL_PATH_LEN];
	struct tl_err err;
	size_t marked = 0;

	if (status == NULL || strcmp(status, "on") != 0 || !json_is_integer(started))
		return;
	if (tl_path_fmt(csv, sizeof(csv), &err, "%s/drops.csv", rawdir) != 0 ||
	    drop_join_ladders(json_object_get(packets, "ladders"), csv, json_integer_value(started), &marked, &err) != 0)
		json_object_set_new(packets, "ladder_drops_error", json_string(err.msg));
	else
		json_object_set_new(packets, "ladder_drops", json_integer((json_int_t)marked));
}

/* The client's own addresses "a,b,c" into e->clients: which connections are the client's, apart from a SYN
 * flood's spoofed sources. */
static void take_clients(struct evidence *e, const char *client_addrs)
{
	const char *p = client_addrs;

	e->client_count = 0;
	while (*p != '\0' && e->client_count < LAB_SOURCE_ADDRS_MAX) {
		size_t len = strcspn(p, ",");
		char item[INET_ADDRSTRLEN];

		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		if (len < sizeof(item) && inet_pton(AF_INET, item, &e->clients[e->client_count]) == 1)
			e->client_count++;
		p += len + (p[len] == ',');
	}
}

/* e->clients as run.json's packets.clients (tcplab packets --port reads it back). */
static json_t *clients_json(const struct evidence *e)
{
	json_t *list = json_array();
	char ip[INET_ADDRSTRLEN];

	for (size_t i = 0; list != NULL && i < e->client_count; i++) {
		inet_ntop(AF_INET, &e->clients[i], ip, sizeof(ip));
		json_array_append_new(list, json_string(ip));
	}
	return list;
}

void evidence_analyse(struct evidence *e, const char *rawdir, const char *server_addr, const char *client_addrs,
		      unsigned port)
{
	char client_pcap[TL_PATH_LEN], server_pcap[TL_PATH_LEN], why[600];
	struct pk_options opt;
	struct tl_err err;
	json_t *doc;
	int rc;

	take_clients(e, client_addrs);
	if (!e->record_packets) {
		e->packets = json_pack("{s:b, s:s}", "available", 0, "reason",
				       "packet capture was off ([capture] packets = off, or --no-capture)");
		return;
	}
	packets_options_default(&opt);
	opt.server.sin_family = AF_INET;
	opt.server.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, server_addr, &opt.server.sin_addr) != 1) {
		e->packets = json_pack("{s:b, s:s}", "available", 0, "reason", "the server's address is unknown");
		return;
	}
	if (tl_path_fmt(client_pcap, sizeof(client_pcap), &err, "%s/client.pcap", rawdir) != 0 ||
	    tl_path_fmt(server_pcap, sizeof(server_pcap), &err, "%s/server.pcap", rawdir) != 0) {
		e->packets = json_pack("{s:b, s:s}", "available", 0, "reason", err.msg);
		return;
	}
	rc = packets_analyse(access(client_pcap, R_OK) == 0 ? client_pcap : NULL,
			     access(server_pcap, R_OK) == 0 ? server_pcap : NULL, &opt, &e->analysis, &err);
	if (rc != 0) {
		e->analysis = NULL;
		e->packets = json_pack("{s:b, s:s}", "available", 0, "reason",
				       rc == -2 ? "out of memory reading the captures" : err.msg);
		return;
	}
	doc = packets_totals_json(e->analysis);
	if (doc == NULL) {
		e->packets = json_pack("{s:b, s:s}", "available", 0, "reason", "out of memory");
		return;
	}
	/* The files as the results folder names them, not where the run built it. */
	for (int i = 0; i < EVIDENCE_SIDES; i++) {
		char file[32];

		snprintf(file, sizeof(file), "raw/%s.pcap", side_names[i]);
		json_object_set_new(json_object_get(json_object_get(doc, "captures"), side_names[i]), "file",
				    json_string(file));
	}
	/* The listener the captures were read for: `tcplab packets RESULTS_DIR` reads them again the same way. */
	snprintf(why, sizeof(why), "%s:%u", server_addr, port);
	json_object_set_new(doc, "server", json_string(why));
	json_object_set_new(doc, "clients", clients_json(e));
	incomplete_reason(e, why, sizeof(why));
	json_object_set_new(doc, "available", json_true());
	json_object_set_new(doc, "complete", json_boolean(why[0] == '\0'));
	if (why[0] != '\0')
		json_object_set_new(doc, "reason", json_string(why));
	json_object_set_new(doc, "ladders", ladders_json(e->analysis));
	mark_drops(e, rawdir, doc);
	e->packets = doc;
}

void evidence_free(struct evidence *e)
{
	drops_discard(e->tracer);
	json_decref(e->drops);
	json_decref(e->capture);
	json_decref(e->packets);
	packets_free(e->analysis);
	e->tracer = NULL;
	e->capture = e->packets = e->drops = NULL;
	e->analysis = NULL;
}
