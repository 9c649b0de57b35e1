/* side: the only way the controller touches a side of the lab (server or client), whatever runs it. */
#ifndef TL_SIDE_H
#define TL_SIDE_H

#include <stdint.h>
#include <sys/types.h>

#include "tl_err.h"
#include "probe/counters.h"
#include "probe/sockdiag.h"
#include "scenario/profile.h"

struct side;

/* A sysctl as the side read it back after applying a profile. */
struct side_sysctl {
	char key[96];
	char value[96];
};

/* Everything read back after a profile was applied. */
struct side_applied {
	struct side_sysctl values[64];
	int count;
	char kernel_release[96];
};

/* Which raw tool output to capture. */
enum side_raw {
	SIDE_RAW_SS_TAN,
	SIDE_RAW_SS_LTN,
	SIDE_RAW_NSTAT,
};

/* How a side records its lab interface (tcplab-capture). */
struct side_capture {
	const char *program; /* tcplab-capture's path, for a side on this machine (an agent runs its own) */
	int snaplen_bytes;   /* bytes kept of each packet */
	int64_t max_bytes;   /* the file stops growing here */
};

/* Conditions on a side's way out to the lab link (zero: that one is not made). */
struct side_link {
	int64_t delay_us;          /* each packet held this long (a delay line on NFQUEUE, in order) */
	int64_t jitter_us;         /* plus or minus up to this much, uniformly; at most delay_us */
	int64_t loss_ppm;          /* this share of packets dropped at random (nftables numgen), parts per million */
	int64_t rate_bps;          /* paced to this rate (tbf), bits per second */
	const char *delay_program; /* tcplab-delay's path, for a side on this machine */
};

/* What a side's link conditions measured since they were made. */
struct side_link_counts {
	int64_t sent_packets; /* packets that came to the way out (before the loss rule) */
	int64_t lost_packets; /* those the loss rule dropped */
};

/* The operations a side implementation provides (local namespace, or an agent over HTTP). */
struct side_ops {
	/* Write the profile's sysctls, read every key back (also keys the profile left alone). */
	int (*apply_profile)(struct side *s, const struct profile *p, struct side_applied *out, struct tl_err *err);
	/* Start a lab program (tcplab-server or tcplab-client) with argv; its stdout and stderr are kept under name. */
	int (*spawn)(struct side *s, const char *name, char *const argv[], int *proc, struct tl_err *err);
	/* Send a signal to a spawned program. */
	int (*signal)(struct side *s, int proc, int sig, struct tl_err *err);
	/* Reap a program without blocking: 1 and its wait status when it ended, 0 while it runs. */
	int (*poll_exit)(struct side *s, int proc, int *wait_status, struct tl_err *err);
	/* Read the namespace's /proc/net/netstat and /proc/net/snmp counters. */
	int (*counters)(struct side *s, struct counters *out, struct tl_err *err);
	/* Sample listeners on port and, unless listeners_only, socket counts by state. */
	int (*sample)(struct side *s, uint16_t port, int listeners_only, struct sockdiag_sample *out, struct tl_err *err);
	/* Save the output of ss -tan, ss -ltn or nstat -az to local_path. */
	int (*raw)(struct side *s, enum side_raw what, const char *local_path, struct tl_err *err);
	/* Copy a program's output (stream "stdout", "stderr" or a file it wrote, by name) to local_path. */
	int (*fetch)(struct side *s, int proc, const char *stream, const char *local_path, struct tl_err *err);
	/* Add a route to the side's namespace: to prefix via a gateway, or (via NULL) a black hole. It goes away
	 * with the side. */
	int (*add_route)(struct side *s, const char *prefix, const char *via, struct tl_err *err);
	/* Start recording the side's lab interface into <role>.pcap in its folder; returns once packets are
	 * recorded. The recorder is a program like the others: signal it to stop, then fetch "stdout" (its counts,
	 * last line) and "<role>.pcap". *proc is -1 unless the recorder was started (also when it then failed). */
	int (*capture_start)(struct side *s, const struct side_capture *c, int *proc, struct tl_err *err);
	/* Make the side's packets to the lab link wait, be lost or be paced as l says; returns once in force. The delay
	 * line is a program like the others (*proc, -1 when none: signal it to stop, then fetch "stdout", its counts
	 * on the last line). What was made goes away with the side. */
	int (*link_apply)(struct side *s, const struct side_link *l, int *proc, struct tl_err *err);
	/* The packets counted on the way out since link_apply. */
	int (*link_counts)(struct side *s, struct side_link_counts *out, struct tl_err *err);
	/* The inode of the side's network namespace (what /proc/PID/ns/net names), so kernel events can be told
	 * apart by namespace; 0 when unknown. */
	uint64_t (*netns_ino)(struct side *s);
	/* The directory in which a program should write its files (as the program sees it). */
	const char *(*workdir)(struct side *s);
	/* Stop everything still running and release the side. */
	void (*destroy)(struct side *s);
};

/* A side: its operations and a name ("server" or "client"). */
struct side {
	const struct side_ops *ops;
	const char *role;
};

#endif
