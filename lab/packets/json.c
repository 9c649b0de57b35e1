/* json: the totals and the ladders of an analysis as JSON (jansson), in the shape docs/packets.md shows. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "packets/analysis.h"

/* {"client": n, "server": n} */
static json_t *by_side(const uint64_t *v)
{
	return json_pack("{s:I, s:I}", "client", (json_int_t)v[PK_CLIENT], "server", (json_int_t)v[PK_SERVER]);
}

static json_t *by_side32(const uint32_t *v)
{
	uint64_t w[PK_SIDES] = { v[PK_CLIENT], v[PK_SERVER] };

	return by_side(w);
}

static json_t *endpoint(struct in_addr addr, uint16_t port)
{
	char ip[INET_ADDRSTRLEN];
	char text[INET_ADDRSTRLEN + 8];

	inet_ntop(AF_INET, &addr, ip, sizeof(ip));
	snprintf(text, sizeof(text), "%s:%u", ip, port);
	return json_string(text);
}

/* The name of a band by SYN retransmissions: "0" .. "7", "more". */
static void band_retrans_name(unsigned band, char *buf, size_t len)
{
	if (band >= PK_BANDS_RETRANS - 1)
		snprintf(buf, len, "more");
	else
		snprintf(buf, len, "%u", band);
}

static json_t *capture_json(const struct pk_capture_stats *s)
{
	json_t *o;

	if (!s->given)
		return json_null();
	o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", s->path, "link_type", frame_linktype_name(s->linktype),
		      "packets", (json_int_t)s->packets, "undecodable", (json_int_t)s->undecodable, "not_ipv4_tcp",
		      (json_int_t)s->not_ipv4_tcp, "other_tcp", (json_int_t)s->other_tcp);
	if (o != NULL && s->read_error[0] != '\0')
		json_object_set_new(o, "read_error", json_string(s->read_error));
	return o;
}

static json_t *bands_json(const struct pk_totals *t)
{
	json_t *by_retrans = json_object();
	json_t *by_time = json_object();
	char name[16];

	for (unsigned b = 0; b < PK_BANDS_RETRANS; b++) {
		band_retrans_name(b, name, sizeof(name));
		json_object_set_new(by_retrans, name, json_integer((json_int_t)t->band_retrans[b]));
	}
	for (int b = 0; b < SYN_BAND_COUNT; b++)
		json_object_set_new(by_time, stats_syn_band_name((enum syn_band)b), json_integer((json_int_t)t->band_time[b]));
	return json_pack("{s:o, s:o}", "by_retrans", by_retrans, "by_time", by_time);
}

json_t *packets_totals_json(const struct pk_analysis *a)
{
	const struct pk_totals *t = &a->totals;
	json_t *o;

	o = json_pack("{s:{s:o, s:o}, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:o}",
		      "captures", "client", capture_json(&t->capture[PK_CLIENT]), "server",
		      capture_json(&t->capture[PK_SERVER]), "packets_read", (json_int_t)t->packets_read, "undecodable",
		      (json_int_t)t->undecodable, "not_ipv4_tcp", (json_int_t)t->not_ipv4_tcp, "other_tcp",
		      (json_int_t)t->other_tcp, "connections", (json_int_t)t->connections, "completed",
		      (json_int_t)t->completed, "never_completed", (json_int_t)t->never_completed, "unanswered_syn",
		      (json_int_t)t->unanswered, "syn", (json_int_t)t->syn, "syn_retrans", (json_int_t)t->syn_retrans,
		      "synack", (json_int_t)t->synack, "synack_retrans", (json_int_t)t->synack_retrans, "rst",
		      by_side(t->rst), "fin", by_side(t->fin), "events_not_stored", (json_int_t)t->events_not_stored,
		      "bands", bands_json(t));
	/* Which packets one capture lacks can only be told with both. */
	if (o != NULL && a->tab.captures == 2)
		json_object_set_new(o, "seen_one_side", json_pack("{s:I, s:I}", "sender", (json_int_t)t->only_sender,
								  "receiver", (json_int_t)t->only_receiver));
	return o;
}

static json_t *event_json(const struct pk_event *e)
{
	char flags[16];
	json_t *o;

	packets_flags_text(e->tcp_flags, flags, sizeof(flags));
	o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:b, s:b}", "t_us", (json_int_t)packets_event_us(e),
		      "from", packets_side_name((enum pk_side)e->from), "kind", packets_kind_name((enum pk_kind)e->kind),
		      "flags", flags, "seq", (json_int_t)e->seq, "ack", (json_int_t)e->ack, "len",
		      (json_int_t)e->payload_bytes, "seen", packets_seen_name(packets_event_seen(e)), "retrans",
		      (e->marks & PK_MARK_RETRANS) != 0, "first_data", (e->marks & PK_MARK_FIRST_DATA) != 0);
	if (o != NULL && e->arrive_us >= 0)
		json_object_set_new(o, "arrive_us", json_integer((json_int_t)e->arrive_us));
	return o;
}

static json_t *reasons_json(unsigned reasons)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ PK_REASON_BAND, "band" },
		{ PK_REASON_SLOWEST, "slowest" },
		{ PK_REASON_RESET, "reset" },
		{ PK_REASON_INCOMPLETE, "incomplete" },
	};
	json_t *arr = json_array();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (reasons & names[i].bit)
			json_array_append_new(arr, json_string(names[i].name));
	}
	return arr;
}

static json_t *time_or_null(int64_t us)
{
	return us >= 0 ? json_integer((json_int_t)us) : json_null();
}

json_t *packets_conn_json(const struct pk_analysis *a, const struct pk_conn *c, unsigned reasons)
{
	json_t *events = json_array();
	json_t *band = json_null();
	char name[16];
	json_t *o;

	for (uint32_t i = 0; i < c->event_count; i++)
		json_array_append_new(events, event_json(&c->events[i]));
	if (c->completed && c->has_syn) {
		band_retrans_name(c->syn_retrans, name, sizeof(name));
		band = json_pack("{s:s, s:o}", "retrans", name, "time",
				 c->handshake_us >= 0 ? json_string(stats_syn_band_name(stats_syn_band(c->handshake_us)))
						      : json_null());
	}
	o = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:b, s:b, s:o, s:o, s:I, s:I}",
		      "client", endpoint(c->client_addr, c->client_port), "server", endpoint(c->server_addr, c->server_port),
		      "instance", (json_int_t)c->instance, "first_us", (json_int_t)c->first_us, "last_us",
		      (json_int_t)c->last_us, "client_isn", (json_int_t)c->client_isn, "handshake_us",
		      time_or_null(c->handshake_us), "syn", (json_int_t)c->syn, "syn_retrans", (json_int_t)c->syn_retrans,
		      "synack", (json_int_t)c->synack, "synack_retrans", (json_int_t)c->synack_retrans, "rst",
		      by_side32(c->rst), "fin", by_side32(c->fin), "answered", c->answered != 0, "completed",
		      c->completed != 0, "band", band, "events", events, "events_total", (json_int_t)c->events_total,
		      "events_stored", (json_int_t)c->event_count);
	if (o == NULL)
		return NULL;
	if (!c->has_syn)
		json_object_set_new(o, "client_isn", json_null());
	if (a->tab.captures == 2)
		json_object_set_new(o, "seen_one_side", json_pack("{s:I, s:I}", "sender", (json_int_t)c->only_sender,
								  "receiver", (json_int_t)c->only_receiver));
	if (reasons != 0)
		json_object_set_new(o, "selected", reasons_json(reasons));
	return o;
}

json_t *packets_doc_json(const struct pk_analysis *a, size_t limit)
{
	struct pk_pick *picks = calloc(limit > 0 ? limit : 1, sizeof(*picks));
	struct in_addr server_addr = a->tab.opt.server.sin_addr;
	json_t *ladders;
	json_t *o;
	size_t n;

	if (picks == NULL)
		return NULL;
	ladders = json_array();
	n = packets_select(a, limit, picks);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ladders, packets_conn_json(a, picks[i].conn, picks[i].reasons));
	free(picks);
	o = json_pack("{s:o, s:o, s:o}", "server", endpoint(server_addr, ntohs(a->tab.opt.server.sin_port)), "totals",
		      packets_totals_json(a), "ladders", ladders);
	if (o != NULL && json_array_size(ladders) != n) {
		json_decref(o);
		return NULL;
	}
	return o;
}
