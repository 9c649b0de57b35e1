/* frame: decoding one captured frame into a TCP packet, every length checked against what was captured. */
#include "frame.h"

#include <pcap/dlt.h>
#include <string.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHER_HEADER_BYTES 14
#define SLL_HEADER_BYTES 16
#define SLL2_HEADER_BYTES 20
#define VLAN_TAG_BYTES 4
#define VLAN_TAGS_MAX 4
#define IPV4_HEADER_MIN_BYTES 20
#define TCP_HEADER_MIN_BYTES 20
#define IPPROTO_TCP_NUMBER 6

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int frame_linktype_supported(int linktype)
{
	return linktype == DLT_EN10MB || linktype == DLT_LINUX_SLL || linktype == DLT_LINUX_SLL2 ||
	       linktype == DLT_RAW || linktype == DLT_IPV4;
}

const char *frame_linktype_name(int linktype)
{
	if (linktype == DLT_EN10MB)
		return "EN10MB";
	if (linktype == DLT_LINUX_SLL)
		return "LINUX_SLL";
	if (linktype == DLT_LINUX_SLL2)
		return "LINUX_SLL2";
	if (linktype == DLT_RAW)
		return "RAW";
	if (linktype == DLT_IPV4)
		return "IPV4";
	return "other";
}

/* Skip 802.1Q / 802.1ad tags after an ethertype at offset type_at; the offset of the payload, or -1. */
static long skip_vlan_tags(const uint8_t *bytes, uint32_t caplen, uint32_t type_at, uint32_t payload_at,
			   uint16_t *ethertype)
{
	uint16_t type;

	if ((uint64_t)type_at + 2 > caplen || payload_at > caplen)
		return -1;
	type = be16(bytes + type_at);
	for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
		/* A tag: TCI (2 bytes), then the next ethertype. */
		if (tags == VLAN_TAGS_MAX || (uint64_t)payload_at + VLAN_TAG_BYTES > caplen)
			return -1;
		type = be16(bytes + payload_at + 2);
		payload_at += VLAN_TAG_BYTES;
	}
	*ethertype = type;
	return payload_at;
}

/* The offset of the IPv4 header, -1 when the frame is undecodable, -2 when it carries something else. */
static long ipv4_offset(int linktype, const uint8_t *bytes, uint32_t caplen)
{
	uint16_t type = 0;
	long at;

	if (linktype == DLT_RAW || linktype == DLT_IPV4) {
		if (caplen < 1)
			return -1;
		if ((bytes[0] >> 4) == 4)
			return 0;
		return linktype == DLT_RAW ? -2 : -1;
	}
	if (linktype == DLT_EN10MB)
		at = skip_vlan_tags(bytes, caplen, 12, ETHER_HEADER_BYTES, &type);
	else if (linktype == DLT_LINUX_SLL)
		at = skip_vlan_tags(bytes, caplen, 14, SLL_HEADER_BYTES, &type);
	else if (linktype == DLT_LINUX_SLL2)
		at = skip_vlan_tags(bytes, caplen, 0, SLL2_HEADER_BYTES, &type);
	else
		return -1;
	if (at < 0)
		return -1;
	return type == ETHERTYPE_IPV4 ? at : -2;
}

enum frame_result frame_decode(int linktype, const uint8_t *bytes, uint32_t caplen, uint32_t wire_len,
			       struct frame_packet *out)
{
	const uint8_t *ip;
	const uint8_t *tcp;
	uint32_t ip_avail, ip_header, ip_total, tcp_header;
	uint32_t frame_len = wire_len > caplen ? wire_len : caplen;
	long at = ipv4_offset(linktype, bytes, caplen);

	if (at == -2)
		return FRAME_NOT_IPV4_TCP;
	if (at < 0 || (uint64_t)at + IPV4_HEADER_MIN_BYTES > caplen)
		return FRAME_UNDECODABLE;
	ip = bytes + at;
	ip_header = (uint32_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ip_header < IPV4_HEADER_MIN_BYTES)
		return FRAME_UNDECODABLE;
	if (ip[9] != IPPROTO_TCP_NUMBER)
		return FRAME_NOT_IPV4_TCP;
	/* A fragment holds part of a segment (or none of its header): it cannot be read as one. */
	if ((be16(ip + 6) & 0x3fff) != 0)
		return FRAME_UNDECODABLE;
	if ((uint64_t)at + ip_header + TCP_HEADER_MIN_BYTES > caplen)
		return FRAME_UNDECODABLE;
	/* The IPv4 length may not claim more than the frame had on the wire; 0 is a GSO packet over 64 KB. */
	ip_avail = frame_len - (uint32_t)at;
	ip_total = be16(ip + 2);
	if (ip_total == 0)
		ip_total = ip_avail;
	if (ip_total > ip_avail)
		return FRAME_UNDECODABLE;
	tcp = ip + ip_header;
	tcp_header = (uint32_t)(tcp[12] >> 4) * 4;
	if (tcp_header < TCP_HEADER_MIN_BYTES || (uint64_t)ip_header + tcp_header > ip_total)
		return FRAME_UNDECODABLE;
	memcpy(&out->src_addr, ip + 12, 4);
	memcpy(&out->dst_addr, ip + 16, 4);
	out->src_port = be16(tcp);
	out->dst_port = be16(tcp + 2);
	out->seq = be32(tcp + 4);
	out->tcp_flags = tcp[13];
	out->ack = (out->tcp_flags & TCPF_ACK) ? be32(tcp + 8) : 0;
	out->payload_bytes = ip_total - ip_header - tcp_header;
	return FRAME_TCP;
}
