/* drops: the kernel's drop reasons, SYN-ACK retransmissions and resets in the lab's two namespaces, traced
 * with BPF (drops.bpf.c, loaded through its skeleton) while a run lasts. */
#include "probe/drops.h"

#include <arpa/inet.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "drops.skel.h"
#include "probe/drops_format.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct drops_tracer {
	struct drops_bpf *skel;
	uint64_t start_ns;                       /* CLOCK_MONOTONIC at attach, the events' time 0 */
	int64_t start_wall_us;                   /* the same instant on the wall clock (the captures' clock) */
	const char *drop_names[DROPS_REASON_SLOTS]; /* enum skb_drop_reason by value, prefix cut; NULL: unnamed */
	const char *rst_names[DROPS_REASON_SLOTS];  /* enum sk_rst_reason by value, prefix cut */
	struct btf *btf;                         /* owns the names */
	FILE *csv;
	uint64_t events_written;
	struct drops_event example[DROPS_SIDES][DROPS_REASON_SLOTS]; /* each reason's first drop with addresses */
};

static const char *const side_names[DROPS_SIDES] = { "server", "client" };

/* libbpf's last warning, so that a refused load can say why instead of printing its own lines. */
static char libbpf_last[256];

static int keep_libbpf_message(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof(libbpf_last)];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	if (line[0] != '\0')
		memcpy(libbpf_last, line, sizeof(libbpf_last));
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The enumerators of enum `type` in the running kernel's BTF, by value, with prefix cut. */
static void enum_names(const struct btf *btf, const char *type, const char *prefix,
		       const char *names[DROPS_REASON_SLOTS])
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	const struct btf_type *t;
	const struct btf_enum *e;

	if (id < 0)
		return;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++) {
		if (e[i].val >= 0 && e[i].val < DROPS_REASON_SLOTS)
			names[e[i].val] = drops_strip_prefix(btf__name_by_offset(btf, e[i].name_off), prefix);
	}
}

int drops_start(uint64_t server_netns_ino, uint64_t client_netns_ino, struct drops_tracer **out, struct tl_err *err)
{
	struct drops_tracer *t;
	int rc;

	*out = NULL;
	if (server_netns_ino == 0 || client_netns_ino == 0)
		return tl_errf(err, "the lab's network namespaces are not known to this controller");
	if (access(VMLINUX_BTF, R_OK) != 0)
		return tl_errf(err, "the kernel has no BTF (%s: %s)", VMLINUX_BTF, strerror(errno));
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return tl_errf(err, "out of memory");
	libbpf_set_print(keep_libbpf_message);
	libbpf_last[0] = '\0';
	t->btf = btf__load_vmlinux_btf();
	if (t->btf == NULL) {
		rc = tl_errf(err, "reading the kernel's BTF: %s", strerror(errno));
		goto fail;
	}
	enum_names(t->btf, "skb_drop_reason", "SKB_DROP_REASON_", t->drop_names);
	enum_names(t->btf, "sk_rst_reason", "SK_RST_REASON_", t->rst_names);
	t->skel = drops_bpf__open();
	if (t->skel == NULL) {
		rc = tl_errf(err, "opening the BPF object: %s", strerror(errno));
		goto fail;
	}
	t->skel->rodata->server_netns_ino = (__u32)server_netns_ino;
	t->skel->rodata->client_netns_ino = (__u32)client_netns_ino;
	if (drops_bpf__load(t->skel) != 0) {
		rc = tl_errf(err, "the kernel refused to load the BPF programs (%s)%s%s", strerror(errno),
			     libbpf_last[0] ? ": " : "", libbpf_last);
		goto fail;
	}
	if (drops_bpf__attach(t->skel) != 0) {
		rc = tl_errf(err, "attaching to the tracepoints: %s%s%s", strerror(errno), libbpf_last[0] ? ": " : "",
			     libbpf_last);
		goto fail;
	}
	t->start_ns = mono_ns();
	t->start_wall_us = clock_wall_us();
	*out = t;
	return 0;
fail:
	drops_discard(t);
	return rc;
}

void drops_discard(struct drops_tracer *t)
{
	if (t == NULL)
		return;
	drops_bpf__destroy(t->skel);
	btf__free(t->btf);
	free(t);
}

/* One event from the ring buffer into raw/drops.csv. */
static int write_event(void *ctx, void *data, size_t size)
{
	struct drops_tracer *t = ctx;
	const struct drops_event *e = data;
	const char *reason = NULL;
	char name[32];
	char row[256];

	if (size < sizeof(*e) || t->csv == NULL)
		return 0;
	if (e->kind == DROPS_EV_DROP && e->side < DROPS_SIDES && e->saddr != 0) {
		struct drops_event *ex = &t->example[e->side][e->reason < DROPS_REASON_SLOTS ? e->reason : DROPS_REASON_SLOTS - 1];

		if (ex->saddr == 0)
			*ex = *e;
	}
	if (e->kind == DROPS_EV_DROP || e->kind == DROPS_EV_RESET_SENT) {
		const char *const *names = e->kind == DROPS_EV_DROP ? t->drop_names : t->rst_names;

		reason = e->reason < DROPS_REASON_SLOTS ? names[e->reason] : NULL;
		if (reason == NULL) {
			snprintf(name, sizeof(name), "REASON_%u", (unsigned)e->reason);
			reason = name;
		}
	}
	if (drops_csv_row(e, t->start_ns, reason, row, sizeof(row)) > 0 && fputs(row, t->csv) >= 0)
		t->events_written++;
	return 0;
}

/* The map's value at key, 0 when it cannot be read. */
static uint64_t map_u64(struct bpf_map *map, uint32_t key)
{
	uint64_t v = 0;

	if (bpf_map__lookup_elem(map, &key, sizeof(key), &v, sizeof(v), 0) != 0)
		return 0;
	return v;
}

/* Each side's drops by reason name, reasons never seen left out. */
static json_t *side_counts(struct drops_tracer *t, int side)
{
	json_t *o = json_object();

	for (uint32_t r = 0; r < DROPS_REASON_SLOTS; r++) {
		uint64_t n = map_u64(t->skel->maps.drop_counts, (uint32_t)side * DROPS_REASON_SLOTS + r);
		char name[32];
		const char *reason = t->drop_names[r];

		if (n == 0)
			continue;
		if (reason == NULL) {
			snprintf(name, sizeof(name), "REASON_%u", (unsigned)r);
			reason = name;
		}
		json_object_set_new(o, reason, json_integer((json_int_t)n));
	}
	return o;
}

/* "ADDR:PORT" of an event's end. */
static void endpoint(uint32_t addr, unsigned port, char *buf, size_t len)
{
	char text[INET_ADDRSTRLEN] = "";
	struct in_addr a = { .s_addr = addr };

	inet_ntop(AF_INET, &a, text, sizeof(text));
	snprintf(buf, len, "%s:%u", text, port);
}

/* Each side's first dropped packet with addresses per reason: {"server": {REASON: {from, to, flags, time_us}}}. */
static json_t *examples(struct drops_tracer *t)
{
	json_t *o = json_object();

	for (int side = 0; side < DROPS_SIDES; side++) {
		json_t *by_reason = json_object();

		for (uint32_t r = 0; r < DROPS_REASON_SLOTS; r++) {
			const struct drops_event *e = &t->example[side][r];
			char from[32], to[32], flags[10], name[32];
			const char *reason = t->drop_names[r];

			if (e->saddr == 0)
				continue;
			if (reason == NULL) {
				snprintf(name, sizeof(name), "REASON_%u", (unsigned)r);
				reason = name;
			}
			endpoint(e->saddr, e->sport, from, sizeof(from));
			endpoint(e->daddr, e->dport, to, sizeof(to));
			drops_flags_text(e->tcp_flags, flags);
			json_object_set_new(by_reason, reason,
					    json_pack("{s:s, s:s, s:s, s:I}", "from", from, "to", to, "flags", flags, "time_us",
						      (json_int_t)(e->time_ns > t->start_ns ? (e->time_ns - t->start_ns) / 1000
											    : 0)));
		}
		json_object_set_new(o, side_names[side], by_reason);
	}
	return o;
}

/* Whether the running kernel names a drop reason (TCP_LISTEN_OVERFLOW came with 6.15). */
static int kernel_knows(const struct drops_tracer *t, const char *reason)
{
	for (size_t r = 0; r < DROPS_REASON_SLOTS; r++) {
		if (t->drop_names[r] != NULL && strcmp(t->drop_names[r], reason) == 0)
			return 1;
	}
	return 0;
}

/* One kind of TCP event per side: {"server": n, "client": n}. */
static json_t *kind_counts(struct drops_tracer *t, int kind)
{
	json_t *o = json_object();

	for (int side = 0; side < DROPS_SIDES; side++)
		json_object_set_new(o, side_names[side],
				    json_integer((json_int_t)map_u64(t->skel->maps.event_counts,
								      (uint32_t)(side * DROPS_EV_KINDS + kind))));
	return o;
}

json_t *drops_stop(struct drops_tracer *t, const char *csv_path)
{
	struct ring_buffer *rb;
	json_t *doc;

	/* Detached first, so the counts below are final and agree with the events. */
	drops_bpf__detach(t->skel);
	doc = json_pack("{s:s, s:b, s:I}", "status", "on", "available", 1, "started_wall_us",
			(json_int_t)t->start_wall_us);
	json_object_set_new(doc, "server", side_counts(t, DROPS_SIDE_SERVER));
	json_object_set_new(doc, "client", side_counts(t, DROPS_SIDE_CLIENT));
	json_object_set_new(doc, "synack_retransmits", kind_counts(t, DROPS_EV_SYNACK_RETRANS));
	json_object_set_new(doc, "resets_sent", kind_counts(t, DROPS_EV_RESET_SENT));
	json_object_set_new(doc, "resets_received", kind_counts(t, DROPS_EV_RESET_RECEIVED));
	json_object_set_new(doc, "netns", json_pack("{s:I, s:I}", "server", (json_int_t)t->skel->rodata->server_netns_ino,
						      "client", (json_int_t)t->skel->rodata->client_netns_ino));
	t->csv = fopen(csv_path, "wx");
	if (t->csv != NULL)
		fputs(drops_csv_header(), t->csv);
	rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), write_event, t, NULL);
	if (rb != NULL) {
		ring_buffer__consume(rb);
		ring_buffer__free(rb);
	}
	if (t->csv == NULL || fclose(t->csv) != 0 || rb == NULL)
		json_object_set_new(doc, "file_error", json_string(t->csv == NULL ? strerror(errno)
										  : "the events could not be read"));
	else
		json_object_set_new(doc, "file", json_string("raw/drops.csv"));
	t->csv = NULL;
	json_object_set_new(doc, "examples", examples(t));
	json_object_set_new(doc, "kernel_has_listen_overflow", json_boolean(kernel_knows(t, "TCP_LISTEN_OVERFLOW")));
	json_object_set_new(doc, "events_recorded", json_integer((json_int_t)t->events_written));
	json_object_set_new(doc, "events_lost", json_integer((json_int_t)t->skel->bss->events_lost));
	drops_discard(t);
	return doc;
}
