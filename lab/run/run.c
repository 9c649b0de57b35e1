/* run: one replay of a scenario, from an empty lab to a written results folder. */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "path.h"
#include "doc/results.h"
#include "doc/rundoc.h"
#include "report/summary.h"
#include "report/verdict.h"
#include "run/conn_join.h"
#include "run/evidence.h"
#include "link/link.h"
#include "doc/series.h"
#include "run/spoof_routes.h"
#include "side/side_stop.h"

volatile sig_atomic_t run_stop_requested;

/* Everything one replay holds, so cleanup is one function whatever path ends the run. */
struct run_ctx {
	const struct scenario *sc;
	const struct run_opts *o;
	struct lab lab;
	struct side *server;
	struct side *client;
	int server_proc;
	int client_proc;
	char tmpdir[512];
	int tmp_lock_fd; /* holds the flock on tmpdir while the run builds it */
	char rawdir[600];
	struct evidence ev;
	struct link_run link;
	struct rundoc_input in;
};

/* A client counter's change since the client started, 0 when it cannot be read. */
static int64_t client_delta(const struct run_ctx *c, const struct counters *now, const char *name)
{
	int64_t before = 0;
	int64_t after = 0;

	if (counters_get(now, name, &after) != 0)
		return 0;
	counters_get(&c->in.client_before, name, &before);
	return after > before ? after - before : 0;
}

/*
 * The live status line on stderr (a TTY): elapsed, connections done/total, errors, accept queue now/capacity
 * and max, then the socket states. The client writes its records only when it ends, so progress comes from
 * the client namespace's counters and its latest socket sample: done = connects that sent a SYN
 * (TcpActiveOpens) less those still open (SYN-SENT, ESTABLISHED, CLOSE-WAIT); errors = handshakes that
 * failed (TcpAttemptFails: refused, SYN retries exhausted) and resets (TcpEstabResets less the client's own
 * SO_LINGER 0 closes, TcpExtTCPAbortOnData). The client's own timers and EADDRNOTAVAIL leave no counter:
 * they show in the summary, from the records. Cut to the terminal's width so that \r rewrites one line.
 */
static void status_line(const struct run_ctx *c, int64_t elapsed_us, const struct series *s, int final)
{
	const struct series_point *p = s->count ? &s->points[s->count - 1] : NULL;
	static struct counters now; /* 70 KiB: kept off the stack; only the controller's thread prints */
	int64_t total = c->sc->planned_connections;
	char done_text[48] = "?";
	char errors_text[24] = "?";
	char line[320];
	struct tl_err ignored;
	struct winsize ws;
	int len;

	if (c->client->ops->counters(c->client, &now, &ignored) == 0) {
		int64_t opened = client_delta(c, &now, "TcpActiveOpens");
		int64_t resets = client_delta(c, &now, "TcpEstabResets") - client_delta(c, &now, "TcpExtTCPAbortOnData");
		int64_t open = p ? (int64_t)p->client_states[TCP_ESTABLISHED] + p->client_states[TCP_SYN_SENT] +
					   p->client_states[TCP_CLOSE_WAIT]
				 : 0;
		int64_t done = opened > open ? opened - open : 0;

		/* A client that exited by itself ended every connection it planned, those that never sent a SYN too. */
		if (final && !c->in.interrupted && !c->in.client_timed_out && WIFEXITED(c->in.client_exit_status) &&
		    WEXITSTATUS(c->in.client_exit_status) == 0)
			done = total >= 0 ? total : opened;
		else if (total >= 0 && done > total)
			done = total;
		if (total >= 0)
			snprintf(done_text, sizeof(done_text), "%" PRId64 "/%" PRId64, done, total);
		else
			snprintf(done_text, sizeof(done_text), "%" PRId64, done);
		snprintf(errors_text, sizeof(errors_text), "%" PRId64,
			 client_delta(c, &now, "TcpAttemptFails") + (resets > 0 ? resets : 0));
	}
	len = snprintf(line, sizeof(line),
		       "%s  %.1fs  done %s  errors %s  accept queue %u/%u (max %u)  client ESTAB %u SYN-SENT %u"
		       "  server SYN-RECV %u",
		       c->sc->name, (double)elapsed_us / 1e6, done_text, errors_text, p ? p->acceptq_len : 0,
		       s->acceptq_limit + 1, s->acceptq_max, p ? p->client_states[TCP_ESTABLISHED] : 0,
		       p ? p->client_states[TCP_SYN_SENT] : 0, p ? p->server_states[TCP_SYN_RECV] : 0);
	if (len < 0)
		return;
	/* A line as wide as the terminal wraps (or leaves the cursor past it): keep one column free. */
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && strlen(line) >= ws.ws_col)
		line[ws.ws_col - 1] = '\0';
	fprintf(stderr, "\r\033[K%s%s", line, final ? "\n" : "");
}

static int raw_snapshots(struct run_ctx *c, const char *when, struct tl_err *err)
{
	static const struct {
		enum side_raw what;
		const char *file;
	} kinds[] = { { SIDE_RAW_SS_TAN, "ss-tan" }, { SIDE_RAW_SS_LTN, "ss-ltn" }, { SIDE_RAW_NSTAT, "nstat" } };
	struct side *sides[2] = { c->server, c->client };

	for (int i = 0; i < 2; i++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			char path[TL_PATH_LEN];

			if (tl_path_fmt(path, sizeof(path), err, "%s/%s-%s-%s.txt", c->rawdir, sides[i]->role,
					kinds[k].file, when) != 0 ||
			    sides[i]->ops->raw(sides[i], kinds[k].what, path, err) != 0)
				return tl_err_wrap(err, "%s side: saving %s", sides[i]->role, kinds[k].file);
		}
	}
	return 0;
}

static int wait_for_listener(struct run_ctx *c, struct tl_err *err)
{
	struct sockdiag_sample s;
	int64_t deadline = clock_mono_us() + 5 * 1000000;
	int status;

	/* inet_diag, not a sleep: the listener exists the moment listen() returned. */
	for (;;) {
		if (c->server->ops->sample(c->server, c->sc->server.port, 1, &s, err) != 0)
			return -1;
		if (s.listener_count > 0)
			return 0;
		if (c->server->ops->poll_exit(c->server, c->server_proc, &status, err) == 1)
			return tl_errf(err, "tcplab-server exited (status %d) before listening; see %s/server.stderr",
				       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), c->rawdir);
		if (clock_mono_us() > deadline)
			return tl_errf(err, "tcplab-server did not listen on port %u within 5 s", c->sc->server.port);
		clock_sleep_us(1000);
	}
}

/* CPU time (user + system) the controller has used so far, all threads. */
static int64_t controller_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static int program_failed(int wait_status)
{
	return !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0;
}

/* A lab program ended on its own with a failure: its first stderr line says why. */
static int program_error(struct run_ctx *c, const char *name, int wait_status, struct tl_err *err)
{
	char path[TL_PATH_LEN];
	char line[300] = "";
	struct tl_err ignored;
	FILE *f = NULL;

	/* A side elsewhere (an agent) keeps the program's output until it is fetched. */
	if (tl_path_fmt(path, sizeof(path), &ignored, "%s/%s.stderr", c->rawdir, name) == 0) {
		if (strcmp(name, "server") == 0)
			c->server->ops->fetch(c->server, c->server_proc, "stderr", path, &ignored);
		else
			c->client->ops->fetch(c->client, c->client_proc, "stderr", path, &ignored);
		f = fopen(path, "r");
	}
	if (f != NULL) {
		/* The startup banner is not the reason: take the last line. */
		char buf[300];

		while (fgets(buf, sizeof(buf), f) != NULL)
			memcpy(line, buf, sizeof(line));
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	if (WIFEXITED(wait_status))
		return tl_errf(err, "tcplab-%s exited with status %d: %s", name, WEXITSTATUS(wait_status), line);
	return tl_errf(err, "tcplab-%s was killed by signal %d (%s)", name, WTERMSIG(wait_status),
		       strsignal(WTERMSIG(wait_status)));
}

static int sample_loop(struct run_ctx *c, struct tl_err *err)
{
	const struct scenario *sc = c->sc;
	struct sockdiag_sample srv;
	struct sockdiag_sample cli;
	int64_t start = clock_mono_us();
	int64_t deadline = start + sc->duration_us;
	int64_t next = start;
	int64_t next_status = start;
	/*
	 * A full dump walks every socket of both namespaces; between full dumps only the listeners are read
	 * (a lookup by cookie, whatever the socket count). Full dumps come at most every 10 ms, and never take
	 * more than a quarter of the time: with tens of thousands of held connections a dump takes
	 * milliseconds, and the accept queue's series must keep its period all the same.
	 */
	int64_t next_full = start;
	int64_t cpu_start_us = controller_cpu_us();
	int status;

	for (;;) {
		int64_t now = clock_mono_us();
		int full = now >= next_full;

		if (c->server->ops->sample(c->server, sc->server.port, !full, &srv, err) != 0 ||
		    (full && c->client->ops->sample(c->client, sc->server.port, 0, &cli, err) != 0))
			return -1;
		if (full) {
			int64_t cost_us = clock_mono_us() - now;

			next_full = now + (4 * cost_us > 10000 ? 4 * cost_us : 10000) - sc->sample_period_us / 2;
		}
		if (series_add(&c->in.series, now - start, sc->sample_period_us, &srv, full ? &cli : NULL, err) != 0)
			return -1;
		/* On a full tick, so the client's socket counts are as fresh as its counters. */
		if (c->o->live_status && full && now >= next_status) {
			status_line(c, now - start, &c->in.series, 0);
			next_status = now + 100000;
		}
		if (c->client->ops->poll_exit(c->client, c->client_proc, &status, err) == 1) {
			c->in.client_exit_status = status;
			break;
		}
		if (c->server->ops->poll_exit(c->server, c->server_proc, &status, err) == 1 && !c->in.server_died) {
			c->in.server_died = 1;
			c->in.server_exit_status = status;
		}
		if (run_stop_requested) {
			c->in.interrupted = 1;
			break;
		}
		if (now > deadline) {
			c->in.client_timed_out = 1;
			break;
		}
		next += sc->sample_period_us;
		if (next < now)
			next = now + sc->sample_period_us / 2;
		clock_sleep_us(next - clock_mono_us());
	}
	c->in.client_wall_us = clock_mono_us() - start;
	c->in.sampler_cpu_us = controller_cpu_us() - cpu_start_us;
	if (c->o->live_status)
		status_line(c, c->in.client_wall_us, &c->in.series, 1);
	if (c->in.interrupted || c->in.client_timed_out)
		side_stop_program(c->client, c->client_proc, 2000000, &c->in.client_exit_status);
	else if (program_failed(c->in.client_exit_status))
		return program_error(c, "client", c->in.client_exit_status, err);
	if (c->in.server_died)
		return program_error(c, "server", c->in.server_exit_status, err);
	return 0;
}

static int make_tmpdir(struct run_ctx *c, struct tl_err *err)
{
	if (results_make_tmp(c->o->results_dir, c->sc->name, c->tmpdir, sizeof(c->tmpdir), &c->tmp_lock_fd, err) != 0)
		return -1;
	if (tl_path_fmt(c->rawdir, sizeof(c->rawdir), err, "%s/raw", c->tmpdir) != 0)
		return -1;
	if (mkdir(c->rawdir, 0755) != 0)
		return tl_errf(err, "mkdir %s: %s", c->rawdir, strerror(errno));
	return 0;
}

/* The folder is renamed or removed: nothing for `tcplab cleanup` to protect any more. */
static void unlock_tmpdir(struct run_ctx *c)
{
	if (c->tmp_lock_fd >= 0)
		close(c->tmp_lock_fd);
	c->tmp_lock_fd = -1;
}

static int start_programs(struct run_ctx *c, struct tl_err *err)
{
	const struct scenario *sc = c->sc;
	char records[TL_PATH_LEN];
	char **argv = NULL;

	if (scenario_server_argv(sc, c->o->bindir, c->lab.server_addr, &argv, err) != 0)
		return -1;
	if (c->server->ops->spawn(c->server, "server", argv, &c->server_proc, err) != 0) {
		scenario_argv_free(argv);
		return -1;
	}
	scenario_argv_free(argv);
	c->in.server_started = 1;
	if (wait_for_listener(c, err) != 0)
		return -1;
	if (c->server->ops->counters(c->server, &c->in.server_before, err) != 0 ||
	    c->client->ops->counters(c->client, &c->in.client_before, err) != 0)
		return -1;
	if (raw_snapshots(c, "before", err) != 0)
		return -1;
	if (tl_path_fmt(records, sizeof(records), err, "%s/connections.csv", c->client->ops->workdir(c->client)) != 0 ||
	    scenario_client_argv(sc, c->o->bindir, c->lab.server_addr, records,
				 c->lab.sources[0] != '\0' ? c->lab.sources : NULL, &argv, err) != 0)
		return -1;
	if (c->client->ops->spawn(c->client, "client", argv, &c->client_proc, err) != 0) {
		scenario_argv_free(argv);
		return -1;
	}
	scenario_argv_free(argv);
	c->in.client_started = 1;
	return 0;
}

/* How long the final counters wait for the lab's connections to finish closing, and how often they look. */
#define SETTLE_MAX_US 300000
#define SETTLE_POLL_US 2000

/* Sockets on the port of one side whose next step moves a counter (TcpExtTW above all); -1 if unknown. */
static long closing_sockets(struct side *side, uint16_t port)
{
	static const int states[] = { TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_CLOSING };
	struct sockdiag_sample s;
	struct tl_err ignored;
	long n = 0;

	if (side->ops->sample(side, port, 0, &s, &ignored) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		n += s.states_port[states[i]];
	return n;
}

/*
 * A client that has just exited may leave its last connections a few packets short of closed: a FIN still
 * unanswered, a FIN-WAIT-2 whose peer's FIN is in flight. Counted now, the last TIME-WAIT would be missing.
 * Wait until both sides have none on the port, or SETTLE_MAX_US (a server that never closes keeps them).
 */
static void settle_closes(struct run_ctx *c)
{
	int64_t until = clock_mono_us() + SETTLE_MAX_US;

	if (c->in.interrupted || c->in.client_timed_out)
		return;
	while (clock_mono_us() < until) {
		long client = closing_sockets(c->client, c->sc->server.port);
		long server = closing_sockets(c->server, c->sc->server.port);

		if (client <= 0 && server <= 0)
			return;
		clock_sleep_us(SETTLE_POLL_US);
	}
}

/* The recorders stop after the final counters, before the server ends its connections; on an error path they
 * stop in teardown, so their files come back whatever ended the run. */
static void stop_evidence(struct run_ctx *c)
{
	struct side *sides[EVIDENCE_SIDES] = { c->server, c->client };

	if (c->ev.capture == NULL)
		evidence_stop(&c->ev, sides, c->rawdir);
	link_stop(&c->link, c->server, c->client, c->rawdir);
}

static int finish_programs(struct run_ctx *c, struct tl_err *err)
{
	settle_closes(c);
	if (c->server->ops->counters(c->server, &c->in.server_after, err) != 0 ||
	    c->client->ops->counters(c->client, &c->in.client_after, err) != 0)
		return -1;
	if (raw_snapshots(c, "after", err) != 0)
		return -1;
	stop_evidence(c);
	side_stop_program(c->server, c->server_proc, 3000000, &c->in.server_exit_status);
	return 0;
}

/* Bring the programs' output into the run's folder; a local side wrote it there already. Missing files
 * (no records in a grid, a program that never started) are left out, as they are locally. */
static void collect_outputs(struct run_ctx *c)
{
	static const char *const streams[] = { "stdout", "stderr" };
	struct tl_err ignored;
	char path[TL_PATH_LEN];

	/* rawdir is short (tmpdir/raw), so every name below fits; one that did not would be skipped. */
	for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		if (c->in.server_started &&
		    tl_path_fmt(path, sizeof(path), &ignored, "%s/server.%s", c->rawdir, streams[i]) == 0)
			c->server->ops->fetch(c->server, c->server_proc, streams[i], path, &ignored);
		if (c->in.client_started &&
		    tl_path_fmt(path, sizeof(path), &ignored, "%s/client.%s", c->rawdir, streams[i]) == 0)
			c->client->ops->fetch(c->client, c->client_proc, streams[i], path, &ignored);
	}
	/* A grid's client writes no records: asking a remote side for them would only earn a 404. */
	if (c->in.client_started && scenario_client_writes_records(c->sc) &&
	    tl_path_fmt(path, sizeof(path), &ignored, "%s/connections.csv", c->rawdir) == 0) {
		c->client->ops->fetch(c->client, c->client_proc, "connections.csv", path, &ignored);
	}
}

/* The client's records gain each connection's packets (connections.csv wire_* columns); run.json's packets
 * says how many records found their connection, or why none was joined. */
static void join_wire(struct run_ctx *c)
{
	char path[TL_PATH_LEN];
	struct tl_err join_err;
	size_t matched = 0;

	if (c->ev.analysis == NULL || c->ev.packets == NULL)
		return;
	if (tl_path_fmt(path, sizeof(path), &join_err, "%s/connections.csv", c->rawdir) != 0) {
		json_object_set_new(c->ev.packets, "records_join_error", json_string(join_err.msg));
		return;
	}
	if (access(path, F_OK) != 0)
		return;
	if (conn_join_wire(path, c->ev.analysis, c->ev.clients, c->ev.client_count, &matched, &join_err) != 0)
		json_object_set_new(c->ev.packets, "records_join_error", json_string(join_err.msg));
	else
		json_object_set_new(c->ev.packets, "records_joined", json_integer((json_int_t)matched));
}

static void teardown(struct run_ctx *c)
{
	if (c->server != NULL) {
		stop_evidence(c);
		collect_outputs(c);
	}
	c->client = c->server = NULL;
	lab_destroy(&c->lab);
}

int run_scenario(const struct scenario *sc, const struct run_opts *o, struct run_result *res, struct tl_err *err)
{
	struct backend_config backend;
	struct run_ctx c;
	struct tl_err after_err;
	char *summary_md = NULL;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	/* Stopped before anything was made: nothing to set up, nothing to undo. */
	if (run_stop_requested) {
		res->interrupted = 1;
		return tl_errf(err, "interrupted before the run started");
	}
	c.sc = sc;
	c.o = o;
	c.in.sc = sc;
	c.in.server_profile = o->server_profile ? o->server_profile : &sc->server.profile;
	c.in.client_profile = o->client_profile ? o->client_profile : &sc->client.profile;
	c.in.started_wall_us = clock_wall_us();
	c.tmp_lock_fd = -1;
	evidence_plan(&c.ev, sc, o->capture == RUN_CAPTURE_AS_SCENARIO ? -1 : o->capture == RUN_CAPTURE_ON);
	if (make_tmpdir(&c, err) != 0) {
		unlock_tmpdir(&c);
		return -1;
	}
	/* Without a backend given, the environment decides (the compose lab service names its agents there). */
	if (o->backend != NULL)
		backend = *o->backend;
	else if (backend_config_from_env(&backend, err) != 0)
		goto out;
	link_plan_from_scenario(sc, &c.link.plan);
	/* Refused before anything starts, like extra client sources: an agent has no link operation yet. */
	if (c.link.plan.any && backend.kind == BACKEND_DOCKER) {
		tl_errf(err, "[link] conditions are not made by the docker backend yet; replay this scenario with "
			     "--backend netns");
		goto out;
	}
	if (lab_create(&backend, sc->client.sources, c.rawdir, &c.lab, err) != 0 || spoof_routes_add(sc, &c.lab, err) != 0)
		goto out;
	c.server = c.lab.server;
	c.client = c.lab.client;
	if (c.server->ops->apply_profile(c.server, c.in.server_profile, &c.in.server_applied, err) != 0) {
		tl_err_wrap(err, "server side: profile %s", c.in.server_profile->name);
		goto out;
	}
	if (c.client->ops->apply_profile(c.client, c.in.client_profile, &c.in.client_applied, err) != 0) {
		tl_err_wrap(err, "client side: profile %s", c.in.client_profile->name);
		goto out;
	}
	if (link_start(&c.link, c.server, c.client, o->bindir, err) != 0)
		goto out;
	if (evidence_start(&c.ev, (struct side *const[]){ c.server, c.client }, o->bindir, err) != 0)
		goto out;
	if (start_programs(&c, err) != 0)
		goto out;
	rc = sample_loop(&c, err);
	/* Even after a failure the counters and snapshots say what happened up to it. */
	if (finish_programs(&c, rc == 0 ? err : &after_err) != 0)
		rc = -1;
out:
	teardown(&c);
	if (run_stop_requested)
		c.in.interrupted = 1;
	if (rc != 0 && !c.in.client_started) {
		/* Nothing was measured: remove the half-made folder rather than leave a misleading result. */
		results_remove_tmp(c.tmpdir);
		unlock_tmpdir(&c);
		evidence_free(&c.ev);
		link_free(&c.link);
		return -1;
	}
	c.in.rawdir = c.rawdir;
	evidence_analyse(&c.ev, c.rawdir, c.lab.server_addr, c.lab.sources[0] != '\0' ? c.lab.sources : c.lab.client_addr,
			 sc->server.port);
	join_wire(&c);
	c.in.capture = c.ev.capture;
	c.in.packets = c.ev.packets;
	c.in.drops = c.ev.drops;
	c.in.link = c.link.doc;
	if (rc != 0)
		snprintf(c.in.error, sizeof(c.in.error), "%s", err->msg);
	res->doc = rundoc_build(&c.in, err);
	if (res->doc != NULL) {
		json_object_set_new(json_object_get(res->doc, "run"), "backend", json_string(c.lab.backend));
		if (o->setting_count > 0) {
			json_t *settings = json_array();

			for (size_t i = 0; i < o->setting_count; i++)
				json_array_append_new(settings, json_string(o->settings[i]));
			json_object_set_new(json_object_get(res->doc, "run"), "settings", settings);
		}
		/* The verdicts are part of the document: the expectations judged against everything else in it. */
		json_object_set_new(res->doc, "expectations", verdict_evaluate(sc, res->doc));
		summary_md = summary_render(res->doc, SUMMARY_MARKDOWN);
		if (summary_md == NULL)
			tl_errf(err, "out of memory rendering summary.md");
	}
	if (res->doc == NULL || summary_md == NULL ||
	    results_commit(res->doc, summary_md, &c.in, c.tmpdir, o->results_dir, res->dir, sizeof(res->dir), err) != 0) {
		free(summary_md);
		series_free(&c.in.series);
		evidence_free(&c.ev);
		link_free(&c.link);
		results_remove_tmp(c.tmpdir);
		unlock_tmpdir(&c);
		return -1;
	}
	free(summary_md);
	unlock_tmpdir(&c);
	series_free(&c.in.series);
	evidence_free(&c.ev);
	link_free(&c.link);
	res->interrupted = c.in.interrupted;
	res->failed_expects = verdict_failed(res->doc, o->strict);
	return rc;
}
