/* link_rules: the nftables ruleset and tbf parameters that make a side's link conditions, and nft's counters. */
#include "link_rules.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* A frame on the lab link at most: 1500 bytes of IP and the Ethernet header. */
#define LINK_FRAME_BYTES 1514
/* tbf's queue holds at least this many full frames. */
#define LINK_QUEUE_FRAMES 1000

int link_iface_valid(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < 16 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int link_nft_ruleset(const char *iface, const struct side_link *l, char *buf, size_t len, struct tl_err *err)
{
	char loss[160] = "";
	int w;

	if (!link_iface_valid(iface))
		return tl_errf(err, "link: interface name '%s' is not one a rule can name", iface);
	if (l->loss_ppm < 0 || l->loss_ppm > 1000000)
		return tl_errf(err, "link: loss %" PRId64 " ppm is out of range", l->loss_ppm);
	/* numgen random mod 1000000 is uniform in [0, 999999]: below loss_ppm is that share. */
	if (l->loss_ppm > 0)
		snprintf(loss, sizeof(loss),
			 "\t\toifname \"%s\" numgen random mod 1000000 < %" PRId64 " counter name \"lost\" drop\n", iface,
			 l->loss_ppm);
	w = snprintf(buf, len,
		     "table ip " LINK_NFT_TABLE " {\n"
		     "\tcounter sent { }\n"
		     "\tcounter lost { }\n"
		     "\tchain out {\n"
		     "\t\ttype filter hook output priority -10; policy accept;\n"
		     "\t\toifname \"%s\" counter name \"sent\"\n"
		     "%s"
		     "\t}\n"
		     "}\n",
		     iface, loss);
	if (w < 0 || (size_t)w >= len)
		return tl_errf(err, "link: ruleset does not fit in %zu bytes", len);
	return 0;
}

void link_tbf_params(int64_t rate_bps, struct link_tbf *t)
{
	int64_t bytes_per_s = rate_bps / 8;
	int64_t burst = bytes_per_s / 100;
	int64_t limit;

	if (burst < 2 * LINK_FRAME_BYTES)
		burst = 2 * LINK_FRAME_BYTES;
	snprintf(t->rate_bit, sizeof(t->rate_bit), "%" PRId64 "bit", rate_bps);
	snprintf(t->burst_bytes, sizeof(t->burst_bytes), "%" PRId64, burst);
	/* netem's default queue, 1000 packets, and at least 100 ms at the rate: a TCP sender in slow start fills it
	 * without a drop that would cost it a retransmission timeout. */
	limit = burst + bytes_per_s / 10;
	if (limit < LINK_QUEUE_FRAMES * LINK_FRAME_BYTES)
		limit = LINK_QUEUE_FRAMES * LINK_FRAME_BYTES;
	snprintf(t->limit_bytes, sizeof(t->limit_bytes), "%" PRId64, limit);
}

/* A counter's packets from one "counter" object, -1 when it is not a count. */
static int64_t counter_packets(json_t *counter)
{
	json_t *packets = json_object_get(counter, "packets");

	return json_is_integer(packets) && json_integer_value(packets) >= 0 ? (int64_t)json_integer_value(packets) : -1;
}

int link_nft_counts_parse(const char *json_text, struct side_link_counts *out, struct tl_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(json_text, 0, &jerr);
	json_t *list = json_object_get(doc, "nftables");
	size_t i;
	json_t *item;
	int found = 0;

	if (!json_is_array(list)) {
		json_decref(doc);
		return tl_errf(err, "link: nft's counters are not a JSON list (%s)", doc == NULL ? jerr.text : "no list");
	}
	json_array_foreach(list, i, item) {
		json_t *counter = json_object_get(item, "counter");
		const char *name = json_string_value(json_object_get(counter, "name"));
		const char *table = json_string_value(json_object_get(counter, "table"));
		int64_t packets = counter_packets(counter);

		if (name == NULL || table == NULL || strcmp(table, LINK_NFT_TABLE) != 0 || packets < 0)
			continue;
		if (strcmp(name, "sent") == 0) {
			out->sent_packets = packets;
			found |= 1;
		} else if (strcmp(name, "lost") == 0) {
			out->lost_packets = packets;
			found |= 2;
		}
	}
	json_decref(doc);
	if (found != 3)
		return tl_errf(err, "link: nft listed no %s counter", (found & 1) ? "lost" : "sent");
	return 0;
}
