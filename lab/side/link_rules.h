/* link_rules: the nftables ruleset and tbf parameters that make a side's link conditions, and nft's counters
 * read back; text only, no I/O. */
#ifndef TL_LINK_RULES_H
#define TL_LINK_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "side.h"
#include "tl_err.h"

/* The NFQUEUE number the delay line reads, in the side's own namespace. */
#define LINK_QUEUE_NUM 7100

/* The nftables table that holds a side's rules (family ip). */
#define LINK_NFT_TABLE "tcplab_link"

/* The ruleset for `nft -f -` that counts every packet leaving through iface and drops l->loss_ppm of them at
 * random, in a chain that runs before the filter table's (priority -10). The delay line's queue rule is
 * iptables' NFQUEUE target (link_queue_rule): this kernel's nftables has no queue expression of its own. */
int link_nft_ruleset(const char *iface, const struct side_link *l, char *buf, size_t len, struct tl_err *err);

/* The iptables (nf_tables backend) rule that hands every packet leaving through iface to LINK_QUEUE_NUM, without
 * bypass: a packet finds the delay line or is dropped, never slips through undelayed. argv for `iptables -w -A`. */
#define LINK_QUEUE_RULE(iface, num) { "iptables", "-w", "-A", "OUTPUT", "-o", (iface), "-j", "NFQUEUE", "--queue-num", (num), NULL }

/* tbf's parameters for l->rate_bps: rate in bits/s, bucket (burst) and queue limit in bytes, as decimal text. */
struct link_tbf {
	char rate_bit[32];
	char burst_bytes[32];
	char limit_bytes[32];
};

/* Fill t for rate_bps: a bucket of 10 ms at the rate (at least two full frames) and a queue of 100 ms more or
 * 1000 full frames (netem's default queue), whichever is larger. */
void link_tbf_params(int64_t rate_bps, struct link_tbf *t);

/* Read the "sent" and "lost" counters of LINK_NFT_TABLE from `nft -j list counters table ip ...` output. */
int link_nft_counts_parse(const char *json_text, struct side_link_counts *out, struct tl_err *err);

/* Whether name is an interface name safe to put in a ruleset (1-15 of [A-Za-z0-9_.-]). */
int link_iface_valid(const char *name);

#endif
