/* synpacket: building a bare SYN byte by byte (no struct iphdr/tcphdr bitfields, so the layout is explicit). */
#include "synpacket.h"

#include <arpa/inet.h>
#include <string.h>

#define IP_HEADER_LEN 20
#define TCP_HEADER_LEN 24 /* 20 + the MSS option */
#define TCP_FLAG_SYN 0x02
/* What Linux itself offers on a 1500-byte link: the SYN looks like an ordinary client's. */
#define SYN_MSS 1460
#define SYN_WINDOW 64240
#define SYN_TTL 64

static void put16(uint8_t *p, uint16_t host)
{
	p[0] = (uint8_t)(host >> 8);
	p[1] = (uint8_t)host;
}

static void put32(uint8_t *p, uint32_t host)
{
	put16(p, (uint16_t)(host >> 16));
	put16(p + 2, (uint16_t)host);
}

uint32_t synpacket_sum16(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

uint16_t synpacket_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t synpacket_tcp_checksum(const uint8_t *packet)
{
	uint8_t pseudo[12];

	/* Pseudo-header: source, destination, zero, protocol, TCP length. */
	memcpy(pseudo, packet + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, TCP_HEADER_LEN);
	return synpacket_fold(synpacket_sum16(packet + IP_HEADER_LEN, TCP_HEADER_LEN,
					      synpacket_sum16(pseudo, sizeof(pseudo), 0)));
}

size_t synpacket_build(uint8_t *buf, size_t len, const struct synpacket_fields *fields)
{
	uint8_t *ip = buf;
	uint8_t *tcp = buf + IP_HEADER_LEN;

	if (len < SYNPACKET_LEN)
		return 0;
	memset(buf, 0, SYNPACKET_LEN);
	ip[0] = 0x45; /* version 4, header of 5 words */
	put16(ip + 2, SYNPACKET_LEN);
	put16(ip + 4, fields->ip_id);
	put16(ip + 6, 0x4000); /* don't fragment */
	ip[8] = SYN_TTL;
	ip[9] = IPPROTO_TCP;
	/* ip[10..11], the header checksum, stays 0: the kernel computes it. */
	memcpy(ip + 12, &fields->source.s_addr, 4);
	memcpy(ip + 16, &fields->target.sin_addr.s_addr, 4);

	put16(tcp, fields->source_port);
	memcpy(tcp + 2, &fields->target.sin_port, 2);
	put32(tcp + 4, fields->seq);
	/* tcp[8..11], the acknowledgment number, is 0 in a SYN. */
	tcp[12] = (uint8_t)((TCP_HEADER_LEN / 4) << 4);
	tcp[13] = TCP_FLAG_SYN;
	put16(tcp + 14, SYN_WINDOW);
	tcp[20] = 2; /* MSS option: kind 2, length 4 */
	tcp[21] = 4;
	put16(tcp + 22, SYN_MSS);
	put16(tcp + 16, synpacket_tcp_checksum(buf));
	return SYNPACKET_LEN;
}
