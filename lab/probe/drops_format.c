/* drops_format: the drop tracer's results as text: reason names, raw/drops.csv rows, what a reason means. */
#include "probe/drops_format.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const char *drops_strip_prefix(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(name, prefix, n) == 0 && name[n] != '\0' ? name + n : name;
}

const char *drops_kind_name(int kind)
{
	switch (kind) {
	case DROPS_EV_DROP:
		return "drop";
	case DROPS_EV_SYNACK_RETRANS:
		return "synack_retransmit";
	case DROPS_EV_RESET_SENT:
		return "reset_sent";
	case DROPS_EV_RESET_RECEIVED:
		return "reset_received";
	}
	return "unknown";
}

const char *drops_csv_header(void)
{
	return "time_us,side,event,reason,saddr,sport,daddr,dport,flags\n";
}

void drops_flags_text(unsigned flags, char out[10])
{
	static const char letters[] = "FSRPAUEC";
	size_t n = 0;

	for (unsigned bit = 0; bit < 8; bit++) {
		if (flags & (1u << bit))
			out[n++] = letters[bit];
	}
	out[n] = '\0';
}

int drops_csv_row(const struct drops_event *e, uint64_t start_ns, const char *reason, char *buf, size_t len)
{
	char saddr[INET_ADDRSTRLEN] = "";
	char daddr[INET_ADDRSTRLEN] = "";
	char flags[10];
	struct in_addr a;
	int w;

	if (e->saddr != 0 || e->daddr != 0) {
		a.s_addr = e->saddr;
		inet_ntop(AF_INET, &a, saddr, sizeof(saddr));
		a.s_addr = e->daddr;
		inet_ntop(AF_INET, &a, daddr, sizeof(daddr));
	}
	drops_flags_text(e->tcp_flags, flags);
	w = snprintf(buf, len, "%llu,%s,%s,%s,%s,%u,%s,%u,%s\n",
		     (unsigned long long)(e->time_ns > start_ns ? (e->time_ns - start_ns) / 1000 : 0),
		     e->side == DROPS_SIDE_SERVER ? "server" : "client", drops_kind_name(e->kind),
		     reason != NULL ? reason : "", saddr, (unsigned)e->sport, daddr, (unsigned)e->dport, flags);
	return w < 0 || (size_t)w >= len ? -1 : w;
}

/* The reasons a run of the lab meets, in the kernel's own words where it has them (include/net/dropreason-core.h). */
static const struct {
	const char *reason;
	const char *meaning;
} meanings[] = {
	{ "TCP_LISTEN_OVERFLOW", "accept queue full" },
	{ "NO_SOCKET", "no socket for the packet" },
	{ "SOCKET_BACKLOG", "the socket's backlog was full" },
	{ "TCP_FLAGS", "TCP flags not valid in this state" },
	{ "TCP_INVALID_ACK_SEQUENCE", "ACK for a sequence not sent" },
	{ "TCP_INVALID_SEQUENCE", "sequence outside the window" },
	{ "TCP_OLD_ACK", "ACK older than the last one" },
	{ "TCP_RESET", "the RST reset the connection" },
	{ "TCP_CLOSE", "the socket was closed" },
	{ "TCP_ACK_UNSENT_DATA", "ACK for data not sent" },
	{ "TCP_OFO_DROP", "out-of-order data beyond the window" },
	{ "TCP_ZEROWINDOW", "data into a zero window" },
	{ "TCP_OLD_DATA", "data already received" },
	{ "TCP_OVERWINDOW", "data beyond the window" },
	{ "TCP_RFC7323_PAWS", "PAWS: timestamp older than the last one" },
	{ "TCP_RFC7323_TW_PAWS", "PAWS in TIME_WAIT" },
	{ "TCP_REQQFULLDROP", "SYN queue full, no cookies" },
	{ "TCP_ABORT_ON_DATA", "data for a socket already closed" },
	{ "TCP_MINTTL", "TTL below IP_MINTTL" },
	{ "SOCKET_RCVBUFF", "the socket's receive buffer was full" },
	{ "SOCKET_CLOSE", "the socket was closed" },
	{ "NOT_SPECIFIED", "no reason given by the kernel" },
	{ "NEIGH_FAILED", "no neighbour entry" },
	{ "NETFILTER_DROP", "a netfilter rule dropped it" },
	{ "IP_NOPROTO", "no handler for the IP protocol" },
	{ "OTHERHOST", "not addressed to this host" },
	{ "QDISC_DROP", "the queueing discipline dropped it" },
};

const char *drops_reason_meaning(const char *reason)
{
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++) {
		if (strcmp(meanings[i].reason, reason) == 0)
			return meanings[i].meaning;
	}
	return NULL;
}
