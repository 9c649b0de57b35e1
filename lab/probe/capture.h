/* capture: record one interface's TCP packets into a pcap file with libpcap, up to a size cap. */
#ifndef TL_CAPTURE_H
#define TL_CAPTURE_H

#include <signal.h>
#include <stdint.h>

#include "tl_err.h"

/* Headers only by default: Ethernet 14 + IPv4 up to 60 + TCP up to 60 bytes fit in 134; options are rare on
 * the lab's IP packets, so 128 keeps every TCP header the lab sends. */
#define CAPTURE_DEFAULT_SNAPLEN 128
#define CAPTURE_MIN_SNAPLEN 68
#define CAPTURE_MAX_SNAPLEN 65535
#define CAPTURE_DEFAULT_MAX_MB 64
#define CAPTURE_MAX_MB 4096

/* What to record and where. */
struct capture_config {
	const char *interface;
	int out_fd;         /* the pcap file, opened by the caller (O_EXCL|O_NOFOLLOW) */
	int snaplen_bytes;  /* bytes kept of each packet */
	int64_t max_bytes;  /* the file stops growing here: later packets are counted, not written */
};

/* What a capture saw, written and lost. */
struct capture_stats {
	uint64_t packets_written;
	uint64_t bytes_written;     /* size of the pcap file */
	uint64_t packets_after_cap; /* seen once the file had reached max_bytes, not written */
	uint64_t kernel_received;   /* libpcap's ps_recv */
	uint64_t kernel_dropped;    /* ps_drop: the socket buffer was full, packets never reached us */
	uint64_t interface_dropped; /* ps_ifdrop */
	int capped;                 /* max_bytes was reached */
	char link_type[32];         /* DLT name, e.g. EN10MB */
};

struct capture;

/* Open and activate the capture (packets are recorded from here on). */
int capture_open(const struct capture_config *cfg, struct capture **out, struct tl_err *err);

/* Record until *stop is set (by a signal handler: the signal ends the wait), then take what the kernel still
 * holds for two read timeouts. */
int capture_loop(struct capture *c, volatile sig_atomic_t *stop, struct tl_err *err);

/* Flush the file and fill stats; releases the capture. */
int capture_close(struct capture *c, struct capture_stats *stats, struct tl_err *err);

#endif
