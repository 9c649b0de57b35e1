/* capture: record one interface's TCP packets into a pcap file with libpcap, up to a size cap. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"

/* Room for a burst of a few hundred thousand headers while the loop writes the file. */
#define CAPTURE_BUFFER_BYTES (16 * 1024 * 1024)
/* How long a read waits for packets: also how late a stop request can be noticed. */
#define CAPTURE_TIMEOUT_MS 100
/* The pcap file header, and each record's header before its bytes. */
#define PCAP_FILE_HEADER_BYTES 24
#define PCAP_RECORD_HEADER_BYTES 16

struct capture {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int64_t max_bytes;
	struct capture_stats stats;
};

int capture_open(const struct capture_config *cfg, struct capture **out, struct tl_err *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program filter;
	struct capture *c = calloc(1, sizeof(*c));
	FILE *f;
	int rc;

	if (c == NULL)
		return tl_errf(err, "out of memory");
	c->max_bytes = cfg->max_bytes;
	c->pcap = pcap_create(cfg->interface, errbuf);
	if (c->pcap == NULL) {
		free(c);
		return tl_errf(err, "capture on %s: %s", cfg->interface, errbuf);
	}
	pcap_set_snaplen(c->pcap, cfg->snaplen_bytes);
	pcap_set_promisc(c->pcap, 0);
	pcap_set_timeout(c->pcap, CAPTURE_TIMEOUT_MS);
	pcap_set_buffer_size(c->pcap, CAPTURE_BUFFER_BYTES);
	pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(c->pcap);
	if (rc == PCAP_ERROR_PERM_DENIED) {
		tl_errf(err, "no permission to capture on %s (packet capture needs CAP_NET_RAW)", cfg->interface);
		goto fail;
	}
	if (rc < 0) {
		tl_errf(err, "capture on %s: %s", cfg->interface, pcap_geterr(c->pcap));
		goto fail;
	}
	/* Only TCP: the ladders are made of it, and ARP or neighbour discovery would only fill the file. */
	if (pcap_compile(c->pcap, &filter, "tcp", 1, PCAP_NETMASK_UNKNOWN) != 0) {
		tl_errf(err, "capture filter: %s", pcap_geterr(c->pcap));
		goto fail;
	}
	rc = pcap_setfilter(c->pcap, &filter);
	pcap_freecode(&filter);
	if (rc != 0) {
		tl_errf(err, "capture filter: %s", pcap_geterr(c->pcap));
		goto fail;
	}
	/* Read without blocking, woken by poll(): a stop signal then ends the wait at once. */
	if (pcap_setnonblock(c->pcap, 1, errbuf) != 0 || pcap_get_selectable_fd(c->pcap) < 0) {
		tl_errf(err, "capture on %s: cannot poll the capture: %s", cfg->interface, errbuf);
		goto fail;
	}
	f = fdopen(cfg->out_fd, "wb");
	if (f == NULL) {
		tl_errf(err, "capture file: %s", strerror(errno));
		goto fail;
	}
	c->dumper = pcap_dump_fopen(c->pcap, f);
	if (c->dumper == NULL) {
		tl_errf(err, "capture file: %s", pcap_geterr(c->pcap));
		fclose(f);
		goto fail;
	}
	c->stats.bytes_written = PCAP_FILE_HEADER_BYTES;
	snprintf(c->stats.link_type, sizeof(c->stats.link_type), "%s",
		 pcap_datalink_val_to_name(pcap_datalink(c->pcap)) ? pcap_datalink_val_to_name(pcap_datalink(c->pcap))
								   : "unknown");
	*out = c;
	return 0;
fail:
	pcap_close(c->pcap);
	free(c);
	return -1;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	uint64_t record = PCAP_RECORD_HEADER_BYTES + (uint64_t)h->caplen;

	/* At the cap the file stops cleanly between records, so every reader opens it; the rest is counted. */
	if (c->stats.capped || c->stats.bytes_written + record > (uint64_t)c->max_bytes) {
		c->stats.capped = 1;
		c->stats.packets_after_cap++;
		return;
	}
	pcap_dump((u_char *)c->dumper, h, bytes);
	c->stats.packets_written++;
	c->stats.bytes_written += record;
}

int capture_loop(struct capture *c, volatile sig_atomic_t *stop, struct tl_err *err)
{
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(c->pcap), .events = POLLIN };
	int64_t drain_until_us = -1;

	/*
	 * Linux hands packets over in blocks that the kernel retires when full or after the read timeout: the
	 * last packets before a stop sit in a block for up to one timeout. Keep reading for two timeouts after
	 * the stop, so what was seen before it is written too. A signal ends the wait in poll() at once.
	 */
	for (;;) {
		int r;

		if (*stop && drain_until_us < 0)
			drain_until_us = clock_mono_us() + 2 * CAPTURE_TIMEOUT_MS * 1000;
		if (drain_until_us >= 0 && clock_mono_us() >= drain_until_us)
			return 0;
		if (poll(&pfd, 1, CAPTURE_TIMEOUT_MS) < 0 && errno != EINTR)
			return tl_errf(err, "capture: poll: %s", strerror(errno));
		r = pcap_dispatch(c->pcap, -1, on_packet, (u_char *)c);
		if (r < 0 && r != PCAP_ERROR_BREAK)
			return tl_errf(err, "capture: %s", pcap_geterr(c->pcap));
	}
}

int capture_close(struct capture *c, struct capture_stats *stats, struct tl_err *err)
{
	struct pcap_stat ps;
	int rc = 0;

	if (pcap_stats(c->pcap, &ps) == 0) {
		c->stats.kernel_received = ps.ps_recv;
		c->stats.kernel_dropped = ps.ps_drop;
		c->stats.interface_dropped = ps.ps_ifdrop;
	}
	if (pcap_dump_flush(c->dumper) != 0)
		rc = tl_errf(err, "writing the capture file: %s", strerror(errno));
	pcap_dump_close(c->dumper);
	pcap_close(c->pcap);
	*stats = c->stats;
	free(c);
	return rc;
}
