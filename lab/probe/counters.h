/* counters: every /proc/net/netstat and /proc/net/snmp counter of a namespace, named as nstat names them. */
#ifndef TL_PROBE_COUNTERS_H
#define TL_PROBE_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/* A 6.18 kernel has 312; the rest is room for counters newer kernels add. */
#define COUNTERS_MAX 1024

/* Longest name kept ("TcpExt" + field is about 35 today). */
#define COUNTER_NAME_BYTES 64

/* One counter: prefix and field joined ("TcpExtListenOverflows"). Signed because Tcp MaxConn is -1. */
struct counter {
	char name[COUNTER_NAME_BYTES];
	int64_t value;
};

/* A snapshot, in file order: netstat first, then snmp. */
struct counters {
	size_t count;
	struct counter items[COUNTERS_MAX];
};

/* Parse text in the /proc/net/netstat or snmp layout (a "Prefix: names" line, then "Prefix: values") and append every counter to out; source names the text in errors. */
int counters_parse(const char *text, size_t len, const char *source, struct counters *out, struct tl_err *err);

/* Read <proc_net_dir>/netstat and <proc_net_dir>/snmp into out (replacing what it held). */
int counters_read(const char *proc_net_dir, struct counters *out, struct tl_err *err);

/* Read the counters of the namespace netns_fd (< 0 = current) from a short-lived thread, so the caller's thread never changes namespace. */
int counters_read_netns(int netns_fd, struct counters *out, struct tl_err *err);

/* Look a counter up by name: 0 and *value when present, -1 when the kernel has no such counter. */
int counters_get(const struct counters *c, const char *name, int64_t *value);

/* after - before for every counter of after (a counter missing from before counts from 0), as nstat prints it; delta must be a third snapshot. */
void counters_delta(const struct counters *before, const struct counters *after, struct counters *delta);

#endif
