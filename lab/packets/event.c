/* event: the names, times and flag letters of ladder events. */
#include <stdio.h>

#include "packets/frame.h"
#include "packets/packets.h"

const char *packets_kind_name(enum pk_kind kind)
{
	switch (kind) {
	case PK_RST:
		return "RST";
	case PK_SYN:
		return "SYN";
	case PK_SYNACK:
		return "SYN-ACK";
	case PK_FIN:
		return "FIN";
	case PK_DATA:
		return "DATA";
	case PK_ACK:
		return "ACK";
	case PK_KINDS:
		break;
	}
	return "?";
}

const char *packets_side_name(enum pk_side side)
{
	switch (side) {
	case PK_CLIENT:
		return "client";
	case PK_SERVER:
		return "server";
	case PK_SIDES:
		break;
	}
	return "?";
}

const char *packets_seen_name(enum pk_seen seen)
{
	switch (seen) {
	case PK_SEEN_BOTH:
		return "both";
	case PK_SEEN_SENDER:
		return "sender";
	case PK_SEEN_RECEIVER:
		return "receiver";
	}
	return "?";
}

enum pk_seen packets_event_seen(const struct pk_event *e)
{
	if (e->send_us >= 0 && e->arrive_us >= 0)
		return PK_SEEN_BOTH;
	return e->send_us >= 0 ? PK_SEEN_SENDER : PK_SEEN_RECEIVER;
}

int64_t packets_event_us(const struct pk_event *e)
{
	return e->send_us >= 0 ? e->send_us : e->arrive_us;
}

void packets_flags_text(uint8_t tcp_flags, char *buf, size_t len)
{
	static const struct {
		uint8_t bit;
		char letter;
	} letters[] = {
		{ TCPF_SYN, 'S' }, { TCPF_FIN, 'F' }, { TCPF_PSH, 'P' }, { TCPF_RST, 'R' },
		{ TCPF_URG, 'U' }, { TCPF_ECE, 'E' }, { TCPF_CWR, 'W' }, { TCPF_ACK, '.' },
	};
	size_t n = 0;

	if (len == 0)
		return;
	/* tcpdump's order and letters; "none" for a segment without flags. */
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		if ((tcp_flags & letters[i].bit) && n + 1 < len)
			buf[n++] = letters[i].letter;
	}
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, len, "none");
}
