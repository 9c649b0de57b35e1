/* rundoc: assemble run.json from the run's measurements, the programs' own summaries and the verdicts. */
#include "rundoc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "path.h"
#include "version.h"

static json_t *load_program_json(const char *path)
{
	json_error_t jerr;
	json_t *j;

	/* The programs print their summary as the last thing on stdout; an empty file means they were killed. */
	j = json_load_file(path, JSON_DISABLE_EOF_CHECK, &jerr);
	return json_is_object(j) ? j : (json_decref(j), json_object());
}

static json_t *sysctl_object(const struct side_applied *a)
{
	json_t *o = json_object();

	for (int i = 0; i < a->count; i++)
		json_object_set_new(o, a->values[i].key, json_string(a->values[i].value));
	return o;
}

static long sysctl_long(const struct side_applied *a, const char *key, long fallback)
{
	for (int i = 0; i < a->count; i++) {
		if (strcmp(a->values[i].key, key) == 0)
			return strtol(a->values[i].value, NULL, 10);
	}
	return fallback;
}

static json_t *counters_object(const struct counters *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < c->count; i++)
		json_object_set_new(o, c->items[i].name, json_integer(c->items[i].value));
	return o;
}

static json_t *states_object(const uint32_t *max_by_state)
{
	json_t *o = json_object();

	for (int st = 1; st <= SOCKDIAG_STATE_MAX; st++)
		json_object_set_new(o, sockdiag_state_name(st), json_integer(max_by_state[st]));
	return o;
}

static json_t *limits_object(const struct rundoc_input *in, json_t *server)
{
	const struct side_applied *sa = &in->server_applied;
	const struct side_applied *ca = &in->client_applied;
	json_t *program_backlog = json_object_get(json_object_get(server, "program"), "backlog");
	/* A scenario that leaves backlog out gets tcplab-server's default, which the server reports. */
	long backlog = in->sc->server.backlog >= 0 ? in->sc->server.backlog
						    : (long)json_integer_value(program_backlog);
	long somaxconn = sysctl_long(sa, "net.core.somaxconn", -1);
	long effective = somaxconn >= 0 && somaxconn < backlog ? somaxconn : backlog;
	long max_syn_backlog = sysctl_long(sa, "net.ipv4.tcp_max_syn_backlog", -1);
	long syncookies = sysctl_long(sa, "net.ipv4.tcp_syncookies", -1);
	long port_lo = -1;
	long port_hi = -1;
	json_t *o = json_object();

	for (int i = 0; i < ca->count; i++) {
		if (strcmp(ca->values[i].key, "net.ipv4.ip_local_port_range") == 0 &&
		    sscanf(ca->values[i].value, "%ld %ld", &port_lo, &port_hi) != 2)
			port_lo = port_hi = -1;
	}
	json_object_set_new(o, "backlog", json_integer(backlog));
	json_object_set_new(o, "somaxconn", json_integer(somaxconn));
	json_object_set_new(o, "effective_backlog", json_integer(effective));
	/* sk_ack_backlog > sk_max_ack_backlog is "full": one more than the backlog fits. */
	json_object_set_new(o, "acceptq_capacity", json_integer(effective + 1));
	/* inet_csk_reqsk_queue_is_full(): SYN queue length > sk_max_ack_backlog (since 6.13 and its stable
	 * backports), so backlog + 1 half-open entries fit. */
	json_object_set_new(o, "synq_limit", json_integer(effective + 1));
	json_object_set_new(o, "tcp_max_syn_backlog", json_integer(max_syn_backlog));
	json_object_set_new(o, "syncookies", json_integer(syncookies));
	/* Without cookies tcp_conn_request() also drops unproven peers once the SYN queue passes 3/4 of
	 * tcp_max_syn_backlog. */
	if (syncookies == 0 && max_syn_backlog > 0)
		json_object_set_new(o, "synq_nocookie_limit", json_integer(max_syn_backlog - (max_syn_backlog >> 2)));
	json_object_set_new(o, "client_port_range_size",
			    json_integer(port_lo > 0 && port_hi >= port_lo ? port_hi - port_lo + 1 : -1));
	return o;
}

static json_t *series_object(const struct series *s)
{
	json_t *t = json_array(), *len = json_array(), *lim = json_array();
	json_t *syn_recv = json_array(), *estab = json_array(), *tw = json_array();
	json_t *c_estab = json_array(), *c_syn_sent = json_array(), *c_tw = json_array();
	json_t *o = json_object();

	for (size_t i = 0; i < s->count; i++) {
		const struct series_point *p = &s->points[i];

		json_array_append_new(t, json_integer(p->t_us));
		json_array_append_new(len, json_integer(p->acceptq_len));
		json_array_append_new(lim, json_integer(p->acceptq_limit));
		json_array_append_new(syn_recv, json_integer(p->server_states[3]));
		json_array_append_new(estab, json_integer(p->server_states[1]));
		json_array_append_new(tw, json_integer(p->server_states[6]));
		json_array_append_new(c_estab, json_integer(p->client_states[1]));
		json_array_append_new(c_syn_sent, json_integer(p->client_states[2]));
		json_array_append_new(c_tw, json_integer(p->client_states[6]));
	}
	json_object_set_new(o, "t_us", t);
	json_object_set_new(o, "acceptq_len", len);
	json_object_set_new(o, "acceptq_limit", lim);
	json_object_set_new(o, "server_syn_recv", syn_recv);
	json_object_set_new(o, "server_established", estab);
	json_object_set_new(o, "server_time_wait", tw);
	json_object_set_new(o, "client_established", c_estab);
	json_object_set_new(o, "client_syn_sent", c_syn_sent);
	json_object_set_new(o, "client_time_wait", c_tw);
	return o;
}

static int exit_code(int status)
{
	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static json_t *server_object(const struct rundoc_input *in, const char *stdout_path)
{
	struct counters delta;
	const struct series *s = &in->series;
	json_t *o = json_object();
	json_t *acceptq = json_object();

	counters_delta(&in->server_before, &in->server_after, &delta);
	json_object_set_new(o, "profile", json_string(in->server_profile->name));
	json_object_set_new(o, "sysctl", sysctl_object(&in->server_applied));
	json_object_set_new(acceptq, "max", json_integer(s->acceptq_max));
	json_object_set_new(acceptq, "limit", json_integer(s->acceptq_limit));
	json_object_set_new(acceptq, "capacity", json_integer((json_int_t)s->acceptq_limit + 1));
	json_object_set_new(acceptq, "full_ms", json_real((double)s->acceptq_full_us / 1e3));
	json_object_set_new(o, "acceptq", acceptq);
	json_object_set_new(o, "listeners", json_integer(s->listeners_max));
	json_object_set_new(o, "states_max", states_object(s->server_state_max));
	json_object_set_new(o, "nstat", counters_object(&delta));
	json_object_set_new(o, "program", load_program_json(stdout_path));
	json_object_set_new(o, "exit_status", json_integer(exit_code(in->server_exit_status)));
	json_object_set_new(o, "died", json_boolean(in->server_died));
	return o;
}

/* Copy a percentile object {"p50":..} as {"p50_us":..} so paths read client.connect.p99_us. */
static void copy_percentiles(json_t *dst, json_t *src)
{
	const char *key;
	json_t *v;
	char name[32];

	json_object_foreach(src, key, v) {
		snprintf(name, sizeof(name), "%s_us", key);
		json_object_set(dst, name, v);
	}
}

static json_t *client_object(const struct rundoc_input *in, const char *stdout_path)
{
	struct counters delta;
	json_t *o = json_object();
	json_t *program = load_program_json(stdout_path);
	json_t *connect = json_object();
	json_t *total = json_object();

	counters_delta(&in->client_before, &in->client_after, &delta);
	json_object_set_new(o, "profile", json_string(in->client_profile->name));
	json_object_set_new(o, "sysctl", sysctl_object(&in->client_applied));
	/* The client's own figures at the top (client.outcome.reset, client.wall_us, client.cells...). */
	json_object_update(o, program);
	copy_percentiles(connect, json_object_get(program, "connect_us"));
	json_object_set(connect, "bands", json_object_get(program, "bands"));
	copy_percentiles(total, json_object_get(program, "total_us"));
	json_object_set_new(o, "connect", connect);
	json_object_set_new(o, "total", total);
	json_object_set_new(o, "states_max", states_object(in->series.client_state_max));
	json_object_set_new(o, "nstat", counters_object(&delta));
	json_object_set_new(o, "exit_status", json_integer(exit_code(in->client_exit_status)));
	json_object_set_new(o, "timed_out", json_boolean(in->client_timed_out));
	json_object_set_new(o, "controller_wall_us", json_integer(in->client_wall_us));
	json_decref(program);
	return o;
}

static const char *run_status(const struct rundoc_input *in)
{
	if (in->interrupted)
		return "interrupted";
	if (in->error[0] != '\0')
		return "error";
	if (in->client_timed_out)
		return "client-timeout";
	return "complete";
}

static json_t *run_object(const struct rundoc_input *in, json_t *server)
{
	json_t *o = json_object();
	char when[64];
	time_t t = (time_t)(in->started_wall_us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, "scenario", json_string(in->sc->name));
	json_object_set_new(o, "description", json_string(in->sc->description));
	json_object_set_new(o, "file", json_string(in->sc->path));
	json_object_set_new(o, "started", json_string(when));
	json_object_set_new(o, "tcplab_version", json_string(tl_version()));
	json_object_set_new(o, "status", json_string(run_status(in)));
	if (in->error[0] != '\0')
		json_object_set_new(o, "error", json_string(in->error));
	json_object_set_new(o, "kernel", json_string(in->server_applied.kernel_release));
	json_object_set_new(o, "backend", json_string("netns"));
	json_object_set_new(o, "sample_period_us", json_integer(in->sc->sample_period_us));
	json_object_set_new(o, "samples", json_integer((json_int_t)in->series.count));
	json_object_set_new(o, "sampler_cpu_us", json_integer(in->sampler_cpu_us));
	json_object_set_new(o, "duration_limit_us", json_integer(in->sc->duration_us));
	json_object_set_new(o, "limits", limits_object(in, server));
	return o;
}

/* The link's conditions and measurements, with the client's handshake time and kernel round-trip time beside the
 * round trip they add. */
static json_t *link_object(json_t *link, json_t *client)
{
	json_t *out = json_deep_copy(link);
	json_t *connect = json_object_get(client, "connect_us");

	json_t *rtt = json_object_get(client, "tcpi_rtt_us");

	json_object_set_new(out, "measured_connect_us_p50", json_is_integer(json_object_get(connect, "p50"))
								     ? json_incref(json_object_get(connect, "p50"))
								     : json_null());
	json_object_set_new(out, "measured_tcpi_rtt_us_p50", json_is_integer(json_object_get(rtt, "p50"))
								      ? json_incref(json_object_get(rtt, "p50"))
								      : json_null());
	return out;
}

json_t *rundoc_build(const struct rundoc_input *in, struct tl_err *err)
{
	char server_stdout[TL_PATH_LEN];
	char client_stdout[TL_PATH_LEN];
	json_t *doc;

	if (tl_path_fmt(server_stdout, sizeof(server_stdout), err, "%s/server.stdout", in->rawdir) != 0 ||
	    tl_path_fmt(client_stdout, sizeof(client_stdout), err, "%s/client.stdout", in->rawdir) != 0)
		return NULL;
	doc = json_object();
	if (doc == NULL) {
		tl_errf(err, "out of memory building run.json");
		return NULL;
	}
	json_t *server = server_object(in, server_stdout);

	json_object_set_new(doc, "schema_version", json_integer(RUNDOC_SCHEMA_VERSION));
	json_object_set_new(doc, "run", run_object(in, server));
	json_object_set_new(doc, "server", server);
	json_object_set_new(doc, "client", client_object(in, client_stdout));
	json_object_set_new(doc, "series", series_object(&in->series));
	json_object_set_new(doc, "capture", in->capture ? json_incref(in->capture) : json_pack("{s:b}", "packets", 0));
	json_object_set_new(doc, "packets", in->packets ? json_incref(in->packets)
						   : json_pack("{s:b, s:s}", "available", 0, "reason", "no capture"));
	json_object_set_new(doc, "drops", in->drops ? json_incref(in->drops)
						 : json_pack("{s:s, s:b, s:s}", "status", "unavailable", "available", 0,
							     "reason", "not recorded in this run"));
	if (in->link != NULL)
		json_object_set_new(doc, "link", link_object(in->link, json_object_get(doc, "client")));
	return doc;
}
