/* reader: the two capture files read side by side in time order (libpcap's offline reader) into the table. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "packets/analysis.h"
#include "path.h"

#define EVENTS_PER_CONN_MIN 8
#define EVENTS_PER_CONN_MAX 4096
#define MATCH_WINDOW_MIN_US 1000
#define MATCH_WINDOW_MAX_US 60000000

/* One capture being read: its next packet for the server, decoded, waits here until its time comes. */
struct source {
	pcap_t *pcap;
	enum pk_side side;
	struct pk_capture_stats *stats;
	int has_packet;
	int64_t t_us;
	enum pk_side sender;
	struct frame_packet packet;
};

void packets_options_default(struct pk_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->server.sin_family = AF_INET;
	opt->events_per_conn = 64;
	opt->match_window_us = 1000000;
}

static int source_open(struct source *src, const char *path, enum pk_side side, struct pk_capture_stats *stats,
		       struct tl_err *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	int linktype;
	FILE *f;

	memset(src, 0, sizeof(*src));
	src->side = side;
	src->stats = stats;
	stats->given = 1;
	if (tl_path_fmt(stats->path, sizeof(stats->path), err, "%s", path) != 0)
		return -1;
	/* A capture may come from a folder someone else made: no symlink, no FIFO or device, a bounded size. */
	f = csv_open_untrusted(path, PK_FILE_MAX_BYTES, err);
	if (f == NULL)
		return -1;
	/* Microseconds whatever the file holds: the clock both captures and the client's records share. */
	src->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (src->pcap == NULL) {
		/* libpcap leaves the file to its caller when it refuses it. */
		fclose(f);
		/* libpcap names the file itself when it cannot open it. */
		if (strncmp(errbuf, path, strlen(path)) == 0)
			return tl_errf(err, "%s", errbuf);
		return tl_errf(err, "%s: %s", path, errbuf[0] ? errbuf : "cannot be read as a pcap file");
	}
	linktype = pcap_datalink(src->pcap);
	stats->linktype = linktype;
	if (!frame_linktype_supported(linktype)) {
		const char *name = pcap_datalink_val_to_name(linktype);

		tl_errf(err, "%s: link type %s (%d) is not supported (EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4)", path,
			name ? name : "unknown", linktype);
		pcap_close(src->pcap);
		src->pcap = NULL;
		return -1;
	}
	return 0;
}

/* Read on to the next packet to or from the server, counting the others; has_packet 0 at the end. */
static void source_next(struct source *src, const struct conntab *tab)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	src->has_packet = 0;
	while (src->pcap != NULL && (rc = pcap_next_ex(src->pcap, &hdr, &data)) != PCAP_ERROR_BREAK) {
		int sender;

		if (rc == PCAP_ERROR) {
			/* A file cut short (a capture stopped at its size cap, a copy interrupted): keep what came before. */
			snprintf(src->stats->read_error, sizeof(src->stats->read_error), "%s", pcap_geterr(src->pcap));
			break;
		}
		if (rc != 1)
			continue;
		src->stats->packets++;
		switch (frame_decode(src->stats->linktype, data, hdr->caplen, hdr->len, &src->packet)) {
		case FRAME_TCP:
			sender = conntab_sender(tab, &src->packet);
			if (sender < 0) {
				src->stats->other_tcp++;
				continue;
			}
			src->sender = (enum pk_side)sender;
			src->t_us = (int64_t)hdr->ts.tv_sec * 1000000 + hdr->ts.tv_usec;
			src->has_packet = 1;
			return;
		case FRAME_NOT_IPV4_TCP:
			src->stats->not_ipv4_tcp++;
			continue;
		case FRAME_UNDECODABLE:
			src->stats->undecodable++;
			continue;
		}
	}
}

static void source_close(struct source *src)
{
	if (src->pcap != NULL)
		pcap_close(src->pcap);
	src->pcap = NULL;
}

static int check_options(const struct pk_options *opt, struct tl_err *err)
{
	if (opt->events_per_conn < EVENTS_PER_CONN_MIN || opt->events_per_conn > EVENTS_PER_CONN_MAX)
		return tl_errf(err, "events per connection: %u is out of range [%d, %d]", opt->events_per_conn,
			       EVENTS_PER_CONN_MIN, EVENTS_PER_CONN_MAX);
	if (opt->match_window_us < MATCH_WINDOW_MIN_US || opt->match_window_us > MATCH_WINDOW_MAX_US)
		return tl_errf(err, "match window: %lld us is out of range [%d, %d]", (long long)opt->match_window_us,
			       MATCH_WINDOW_MIN_US, MATCH_WINDOW_MAX_US);
	if (opt->server.sin_port == 0)
		return tl_errf(err, "the server's port is not set");
	return 0;
}

/* Feed both captures to the table in time order; -2 when out of memory. */
static int read_merged(struct source *src, int n, struct conntab *tab)
{
	for (int i = 0; i < n; i++)
		source_next(&src[i], tab);
	for (;;) {
		struct source *next = NULL;

		/* The earlier packet first; at the same microsecond the client's capture first. */
		for (int i = 0; i < n; i++) {
			if (src[i].has_packet && (next == NULL || src[i].t_us < next->t_us))
				next = &src[i];
		}
		if (next == NULL)
			return 0;
		if (conntab_add(tab, next->side, next->sender, next->t_us, &next->packet) != 0)
			return -2;
		source_next(next, tab);
	}
}

int packets_analyse(const char *client_pcap, const char *server_pcap, const struct pk_options *opt,
		    struct pk_analysis **out, struct tl_err *err)
{
	const char *paths[PK_SIDES] = { client_pcap, server_pcap };
	struct source src[PK_SIDES];
	struct pk_analysis *a;
	struct pk_totals *tot;
	int n = 0;
	int rc = 0;

	*out = NULL;
	if (client_pcap == NULL && server_pcap == NULL)
		return tl_errf(err, "no capture file to read");
	if (check_options(opt, err) != 0)
		return -1;
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		tl_errf(err, "out of memory");
		return -2;
	}
	tot = &a->totals;
	for (int side = 0; side < PK_SIDES; side++) {
		if (paths[side] == NULL)
			continue;
		if (source_open(&src[n], paths[side], (enum pk_side)side, &tot->capture[side], err) != 0) {
			rc = -1;
			break;
		}
		n++;
	}
	if (rc == 0 && conntab_init(&a->tab, opt, n) != 0)
		rc = -2;
	if (rc == 0)
		rc = read_merged(src, n, &a->tab);
	for (int i = 0; i < n; i++)
		source_close(&src[i]);
	if (rc == 0 && conntab_finish(&a->tab, tot) != 0)
		rc = -2;
	if (rc != 0) {
		if (rc == -2)
			tl_errf(err, "out of memory after %zu connections", a->tab.count);
		packets_free(a);
		return rc;
	}
	for (int side = 0; side < PK_SIDES; side++) {
		tot->packets_read += tot->capture[side].packets;
		tot->undecodable += tot->capture[side].undecodable;
		tot->not_ipv4_tcp += tot->capture[side].not_ipv4_tcp;
		tot->other_tcp += tot->capture[side].other_tcp;
	}
	*out = a;
	return 0;
}

void packets_free(struct pk_analysis *a)
{
	if (a == NULL)
		return;
	conntab_free(&a->tab);
	free(a);
}

const struct pk_totals *packets_totals(const struct pk_analysis *a)
{
	return &a->totals;
}
