/* link: network conditions on the lab link, planned from [link], made on each side's way out, and measured. */
#include "link.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "path.h"
#include "run/program_counts.h"
#include "side/side_stop.h"

/* How long a delay line gets to hand back what it holds and print its counts. */
#define DELAY_STOP_GRACE_US 2000000

static const char *const dir_names[LINK_DIRS] = { "client_to_server", "server_to_client" };

const char *link_dir_name(enum link_dir d)
{
	return d < LINK_DIRS ? dir_names[d] : "?";
}

/* The number of [link] key for a direction: its own key, else the plain one, else 0. */
static int64_t dir_value(const struct scenario *sc, enum link_dir d, const char *key)
{
	char name[48];
	const struct scenario_value *v;

	snprintf(name, sizeof(name), "%s.%s", dir_names[d], key);
	v = scenario_get(sc, "link", name);
	if (v == NULL)
		v = scenario_get(sc, "link", key);
	return v != NULL ? v->number : 0;
}

void link_plan_from_scenario(const struct scenario *sc, struct link_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	for (int d = 0; d < LINK_DIRS; d++) {
		struct side_link *l = &plan->dir[d];

		l->delay_us = dir_value(sc, d, "delay");
		l->jitter_us = dir_value(sc, d, "jitter");
		l->loss_ppm = dir_value(sc, d, "loss");
		l->rate_bps = dir_value(sc, d, "rate");
		if (l->delay_us > 0 || l->loss_ppm > 0 || l->rate_bps > 0)
			plan->any = 1;
	}
}

/* The side that sends in direction d. */
static struct side *sender(enum link_dir d, struct side *server, struct side *client)
{
	return d == LINK_CLIENT_TO_SERVER ? client : server;
}

static int dir_wanted(const struct side_link *l)
{
	return l->delay_us > 0 || l->loss_ppm > 0 || l->rate_bps > 0;
}

int link_start(struct link_run *lr, struct side *server, struct side *client, const char *bindir,
	       struct tl_err *err)
{
	char program[TL_PATH_LEN];

	lr->delay_proc[0] = lr->delay_proc[1] = -1;
	lr->started = 1;
	if (!lr->plan.any)
		return 0;
	if (tl_path_fmt(program, sizeof(program), err, "%s/tcplab-delay", bindir) != 0)
		return tl_err_wrap(err, "link");
	for (int d = 0; d < LINK_DIRS; d++) {
		struct side_link l = lr->plan.dir[d];
		struct side *s = sender(d, server, client);

		if (!dir_wanted(&l))
			continue;
		l.delay_program = program;
		if (s->ops->link_apply(s, &l, &lr->delay_proc[d], err) != 0)
			return tl_err_wrap(err, "link %s", dir_names[d]);
		lr->applied[d] = 1;
	}
	return 0;
}

/* The condition keys of one direction with the method that made each. */
static json_t *conditions_json(const struct side_link *l)
{
	json_t *o = json_object();

	if (l->delay_us > 0) {
		json_object_set_new(o, "delay", json_pack("{s:I, s:s}", "us", (json_int_t)l->delay_us, "method",
							   "nfqueue delay line (tcplab-delay)"));
		json_object_set_new(o, "jitter", json_pack("{s:I, s:s}", "us", (json_int_t)l->jitter_us, "method",
							    "nfqueue delay line (tcplab-delay), uniform, in order"));
	}
	if (l->loss_ppm > 0)
		json_object_set_new(o, "loss", json_pack("{s:f, s:s}", "percent", (double)l->loss_ppm / 1e4, "method",
							  "nftables numgen random"));
	if (l->rate_bps > 0)
		json_object_set_new(o, "rate", json_pack("{s:I, s:s}", "bits_per_s", (json_int_t)l->rate_bps, "method",
							  "tbf"));
	return o;
}

/* What the wire saw leave: packets sent, lost and the share lost. */
static json_t *wire_json(struct side *s)
{
	struct side_link_counts n = { 0, 0 };
	struct tl_err err;

	if (s->ops->link_counts(s, &n, &err) != 0)
		return json_pack("{s:s}", "error", err.msg);
	return json_pack("{s:I, s:I, s:f}", "sent_packets", (json_int_t)n.sent_packets, "lost_packets",
			 (json_int_t)n.lost_packets, "lost_percent",
			 n.sent_packets > 0 ? 100.0 * (double)n.lost_packets / (double)n.sent_packets : 0.0);
}

/* Stop the delay line and read its counts back (its stdout lands in rawdir as <role>-delay.stdout). */
static json_t *delay_line_json(struct side *s, int proc, const char *rawdir)
{
	static const char *const counts[] = { "packets_delayed", "packets_dropped_full", "held_max", "late_max_us",
					      "queue_dropped",   "user_dropped",         "socket_overruns", "cpu_us" };
	char path[TL_PATH_LEN];
	struct tl_err err;
	int status = -1;
	json_t *o;

	side_stop_program(s, proc, DELAY_STOP_GRACE_US, &status);
	if (tl_path_fmt(path, sizeof(path), &err, "%s/%s-delay.stdout", rawdir, s->role) != 0)
		return json_pack("{s:s}", "error", err.msg);
	s->ops->fetch(s, proc, "stdout", path, &err);
	o = program_counts(path, counts, sizeof(counts) / sizeof(counts[0]));
	if (o == NULL)
		return json_pack("{s:s}", "error", "the delay line gave no counts (it was killed or failed)");
	json_object_set_new(o, "exit_ok", json_boolean(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	return o;
}

void link_stop(struct link_run *lr, struct side *server, struct side *client, const char *rawdir)
{
	json_t *doc;

	if (!lr->plan.any || !lr->started || lr->doc != NULL)
		return;
	doc = json_object();
	for (int d = 0; d < LINK_DIRS; d++) {
		struct side *s = sender(d, server, client);
		json_t *dir = json_pack("{s:o}", "conditions", conditions_json(&lr->plan.dir[d]));

		if (lr->applied[d])
			json_object_set_new(dir, "wire", wire_json(s));
		if (lr->delay_proc[d] >= 0)
			json_object_set_new(dir, "delay_line", delay_line_json(s, lr->delay_proc[d], rawdir));
		json_object_set_new(dir, "applied", json_boolean(lr->applied[d]));
		json_object_set_new(doc, dir_names[d], dir);
	}
	json_object_set_new(doc, "round_trip_added_us",
			    json_integer((json_int_t)(lr->plan.dir[0].delay_us + lr->plan.dir[1].delay_us)));
	lr->doc = doc;
}

void link_free(struct link_run *lr)
{
	json_decref(lr->doc);
	lr->doc = NULL;
}
