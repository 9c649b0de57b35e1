/* summary: reduction of the records of a run to counts, percentiles, bands and rates, and their printing. */
#include "summary.h"

#include <stdlib.h>

#include "json_out.h"
#include "parse.h"

int64_t summary_theoretical_us(long workers, long requests, long server_workers, int64_t handle_us)
{
	long parallel = workers < server_workers ? workers : server_workers;
	int64_t total = (int64_t)workers * requests;
	int64_t rounds = (total + parallel - 1) / parallel;

	/* Each worker waits for its own answer: R rounds at least, more when the server has fewer workers. */
	return rounds * handle_us;
}

static void latency_of(int64_t *values_us, size_t n, struct latency *lat)
{
	stats_sort_us(values_us, n);
	lat->count = n;
	lat->p50_us = stats_percentile_us(values_us, n, 50);
	lat->p90_us = stats_percentile_us(values_us, n, 90);
	lat->p99_us = stats_percentile_us(values_us, n, 99);
	lat->max_us = n > 0 ? values_us[n - 1] : 0;
}

int summary_compute(const struct client_opts *opts, const struct run_result *result, struct run_summary *summary,
		    struct tl_err *err)
{
	int64_t *connect_us = malloc((result->record_count + 1) * sizeof(*connect_us));
	int64_t *total_us = malloc((result->record_count + 1) * sizeof(*total_us));
	int64_t *late_us = malloc((result->record_count + 1) * sizeof(*late_us));
	int64_t *intended_us = malloc((result->record_count + 1) * sizeof(*intended_us));
	int64_t *rtt_us = malloc((result->record_count + 1) * sizeof(*rtt_us));
	size_t n_connect = 0, n_total = 0, n_late = 0, n_intended = 0, n_rtt = 0;

	*summary = (struct run_summary){ 0 };
	if (connect_us == NULL || total_us == NULL || late_us == NULL || intended_us == NULL || rtt_us == NULL) {
		free(rtt_us);
		free(connect_us);
		free(total_us);
		free(late_us);
		free(intended_us);
		return tl_errf(err, "out of memory summarising %zu records", result->record_count);
	}
	for (size_t i = 0; i < result->record_count; i++) {
		const struct conn_record *r = &result->records[i];

		if (!(r->flags & RECORD_STARTED))
			continue;
		summary->requests++;
		summary->outcome[r->outcome]++;
		if (outcome_is_error((enum outcome)r->outcome))
			summary->errors++;
		if (r->syn_retrans > 0)
			summary->retransmitted++;
		if (opts->rate_per_s > 0)
			late_us[n_late++] = r->late_us;
		if (r->outcome == OUTCOME_OK) {
			total_us[n_total++] = r->total_us;
			if (opts->rate_per_s > 0)
				intended_us[n_intended++] = r->late_us + r->total_us;
		}
		if (r->flags & RECORD_REUSED)
			continue;
		summary->connections++;
		if (r->syn_src == SYN_SRC_TCP_INFO && r->rtt_us > 0)
			rtt_us[n_rtt++] = r->rtt_us;
		if (r->connect_us >= 0) {
			connect_us[n_connect++] = r->connect_us;
			summary->bands[stats_syn_band(r->connect_us)]++;
		} else if (r->outcome == OUTCOME_TIMEOUT) {
			summary->band_timeout++;
		}
	}
	latency_of(connect_us, n_connect, &summary->connect);
	latency_of(total_us, n_total, &summary->total);
	latency_of(late_us, n_late, &summary->late);
	latency_of(intended_us, n_intended, &summary->intended);
	latency_of(rtt_us, n_rtt, &summary->rtt);
	free(rtt_us);
	free(connect_us);
	free(total_us);
	free(late_us);
	free(intended_us);
	summary->wall_us = result->wall_us;
	summary->interrupted = result->interrupted;
	summary->flood = result->flood;
	if (result->wall_us > 0) {
		summary->connections_per_s = (double)summary->connections * 1e6 / (double)result->wall_us;
		summary->requests_per_s = (double)summary->requests * 1e6 / (double)result->wall_us;
	}
	summary->theoretical_us = -1;
	if (opts->mode == MODE_HTTP && opts->rate_per_s == 0 && opts->server_workers > 0 && !result->interrupted) {
		summary->theoretical_us = summary_theoretical_us(opts->concurrency, opts->requests, opts->server_workers,
								 opts->handle_us);
		if (summary->theoretical_us > 0)
			summary->amplification = (double)result->wall_us / (double)summary->theoretical_us;
	}
	return 0;
}

static void print_shape(FILE *out, const struct client_opts *opts)
{
	char dur[32];

	if (opts->rate_per_s > 0) {
		format_duration_us(opts->duration_us, dur, sizeof(dur));
		fprintf(out, "  open loop: %ld new connections/s for %s", opts->rate_per_s, dur);
	} else {
		fprintf(out, "  %ld worker%s x %ld %s", opts->concurrency, opts->concurrency == 1 ? "" : "s", opts->requests,
			opts->mode == MODE_HTTP ? "requests" : "connects");
	}
	if (opts->mode == MODE_HTTP)
		fprintf(out, ", keep-alive %s, engine %s", opts->keepalive ? "on" : "off", client_engine_name(opts->engine));
	else
		fprintf(out, ", after connect: %s", after_connect_name(opts->after));
	fprintf(out, ", %ld thread%s\n", opts->threads, opts->threads == 1 ? "" : "s");
}

static void print_latency(FILE *out, const char *name, const struct latency *lat, const char *what)
{
	char p50[32], p90[32], p99[32], max[32];

	if (lat->count == 0) {
		fprintf(out, "    %-9s %10s %10s %10s %10s   (no %s)\n", name, "-", "-", "-", "-", what);
		return;
	}
	format_duration_us(lat->p50_us, p50, sizeof(p50));
	format_duration_us(lat->p90_us, p90, sizeof(p90));
	format_duration_us(lat->p99_us, p99, sizeof(p99));
	format_duration_us(lat->max_us, max, sizeof(max));
	fprintf(out, "    %-9s %10s %10s %10s %10s   (%zu %s)\n", name, p50, p90, p99, max, lat->count, what);
}

void summary_print_text(FILE *out, const struct client_opts *opts, const struct run_summary *s)
{
	char wall[32], theo[32], handle[32];

	fprintf(out, "tcplab-client %s %s\n", client_mode_name(opts->mode), opts->target.display);
	print_shape(out, opts);
	fprintf(out, "  %zu connections, %zu %s\n", s->connections, s->requests,
		opts->mode == MODE_HTTP ? "requests" : "connects");
	fprintf(out, "  outcomes ");
	for (int o = 0; o < OUTCOME_COUNT; o++)
		if (o != OUTCOME_ABORTED || s->outcome[o] > 0)
			fprintf(out, "  %s %zu", outcome_name((enum outcome)o), s->outcome[o]);
	fputc('\n', out);
	fprintf(out, "  latency   %10s %10s %10s %10s\n", "p50", "p90", "p99", "max");
	print_latency(out, "connect", &s->connect, "handshakes");
	print_latency(out, "total", &s->total, "ok");
	print_latency(out, "rtt", &s->rtt, "tcpi_rtt readings");
	if (opts->rate_per_s > 0) {
		/* wrk2's correction: a late start is waiting the user saw, so count it in. */
		print_latency(out, "intended", &s->intended, "ok, from the intended start");
		print_latency(out, "late", &s->late, "starts behind schedule");
	}
	fprintf(out, "  SYN bands (connect time)");
	for (int b = 0; b < SYN_BAND_COUNT; b++)
		fprintf(out, "  %s%s: %zu", b == SYN_BAND_0 || b == SYN_BAND_MORE ? "" : "~",
			stats_syn_band_name((enum syn_band)b), s->bands[b]);
	fprintf(out, "  timed out: %zu\n", s->band_timeout);
	fprintf(out, "  retransmitted connects %zu (syn_retrans > 0)\n", s->retransmitted);
	format_duration_us(s->wall_us, wall, sizeof(wall));
	fprintf(out, "  wall %s, %.1f connections/s, %.1f %s/s\n", wall, s->connections_per_s, s->requests_per_s,
		opts->mode == MODE_HTTP ? "requests" : "connects");
	if (s->theoretical_us > 0) {
		format_duration_us(s->theoretical_us, theo, sizeof(theo));
		format_duration_us(opts->handle_us, handle, sizeof(handle));
		fprintf(out, "  theoretical minimum %s (%ld x %ld requests, %s each, %ld server workers), amplification %.3fx\n",
			theo, opts->concurrency, opts->requests, handle, opts->server_workers, s->amplification);
	}
	if (opts->mode == MODE_SYNFLOOD)
		synflood_print_text(out, opts, &s->flood);
	if (s->interrupted)
		fprintf(out, "  interrupted: the numbers cover what was done before the signal\n");
}

static void json_latency(FILE *out, const char *key, const struct latency *lat)
{
	json_out_key(out, key, 0);
	fputc('{', out);
	json_out_key(out, "p50", 1);
	json_out_int(out, lat->count ? lat->p50_us : -1, 1);
	json_out_key(out, "p90", 0);
	json_out_int(out, lat->count ? lat->p90_us : -1, 1);
	json_out_key(out, "p99", 0);
	json_out_int(out, lat->count ? lat->p99_us : -1, 1);
	json_out_key(out, "max", 0);
	json_out_int(out, lat->count ? lat->max_us : -1, 1);
	json_out_key(out, "count", 0);
	json_out_int(out, (int64_t)lat->count, 0);
	fputc('}', out);
}

void summary_print_json(FILE *out, const struct client_opts *opts, const struct run_summary *s)
{
	int closed = opts->rate_per_s == 0;

	fputc('{', out);
	json_out_key(out, "mode", 1);
	json_out_string(out, client_mode_name(opts->mode));
	json_out_key(out, "target", 0);
	json_out_string(out, opts->target.display);
	json_out_key(out, "workers", 0);
	json_out_int(out, closed ? opts->concurrency : -1, 1);
	json_out_key(out, "requests_per_worker", 0);
	json_out_int(out, closed ? opts->requests : -1, 1);
	json_out_key(out, "open_loop_rate_per_s", 0);
	json_out_int(out, closed ? -1 : opts->rate_per_s, 1);
	json_out_key(out, "threads", 0);
	json_out_int(out, opts->threads, 0);
	json_out_key(out, "keepalive", 0);
	fputs(opts->mode == MODE_HTTP && opts->keepalive ? "true" : "false", out);
	json_out_key(out, "engine", 0);
	if (opts->mode == MODE_HTTP)
		json_out_string(out, client_engine_name(opts->engine));
	else
		fputs("null", out);
	json_out_key(out, "connections", 0);
	json_out_int(out, (int64_t)s->connections, 0);
	json_out_key(out, "requests", 0);
	json_out_int(out, (int64_t)s->requests, 0);
	json_out_key(out, "outcome", 0);
	fputc('{', out);
	for (int o = 0; o < OUTCOME_COUNT; o++) {
		json_out_key(out, outcome_name((enum outcome)o), o == 0);
		json_out_int(out, (int64_t)s->outcome[o], 0);
	}
	fputc('}', out);
	json_out_key(out, "errors", 0);
	json_out_int(out, (int64_t)s->errors, 0);
	json_latency(out, "connect_us", &s->connect);
	json_latency(out, "total_us", &s->total);
	json_latency(out, "tcpi_rtt_us", &s->rtt);
	if (opts->rate_per_s > 0) {
		json_latency(out, "total_from_intended_us", &s->intended);
		json_latency(out, "start_late_us", &s->late);
	}
	json_out_key(out, "bands", 0);
	fputc('{', out);
	for (int b = 0; b < SYN_BAND_COUNT; b++) {
		json_out_key(out, stats_syn_band_name((enum syn_band)b), b == 0);
		json_out_int(out, (int64_t)s->bands[b], 0);
	}
	json_out_key(out, "timeout", 0);
	json_out_int(out, (int64_t)s->band_timeout, 0);
	fputc('}', out);
	json_out_key(out, "retransmitted", 0);
	json_out_int(out, (int64_t)s->retransmitted, 0);
	json_out_key(out, "wall_us", 0);
	json_out_int(out, s->wall_us, 0);
	json_out_key(out, "rate_per_s", 0);
	json_out_number(out, s->connections_per_s, 0);
	json_out_key(out, "requests_per_s", 0);
	json_out_number(out, s->requests_per_s, 0);
	json_out_key(out, "theoretical_us", 0);
	json_out_int(out, s->theoretical_us, 1);
	json_out_key(out, "amplification", 0);
	json_out_number(out, s->amplification, 1);
	json_out_key(out, "interrupted", 0);
	fputs(s->interrupted ? "true" : "false", out);
	if (opts->mode == MODE_SYNFLOOD)
		synflood_print_json(out, opts, &s->flood);
	fputs("}\n", out);
}
