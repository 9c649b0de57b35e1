/* frame: decoding one captured frame (Ethernet, Linux cooked v1/v2, raw IPv4; VLAN tags) into a TCP packet. */
#ifndef TL_PACKETS_FRAME_H
#define TL_PACKETS_FRAME_H

#include <stdint.h>

/* What a frame turned out to be. */
enum frame_result {
	FRAME_TCP,          /* an IPv4 TCP segment: the packet is filled in */
	FRAME_NOT_IPV4_TCP, /* a well-formed frame of something else (ARP, IPv6, UDP, ICMP ...) */
	FRAME_UNDECODABLE,  /* too short for its headers, inconsistent lengths, or an IPv4 fragment */
};

/* The fields of a TCP segment the ladders need. */
struct frame_packet {
	uint32_t src_addr;      /* network byte order */
	uint32_t dst_addr;      /* network byte order */
	uint16_t src_port;      /* host byte order */
	uint16_t dst_port;      /* host byte order */
	uint32_t seq;
	uint32_t ack;           /* 0 unless the ACK flag is set */
	uint32_t payload_bytes; /* from the IPv4 total length (the payload itself need not be captured) */
	uint8_t tcp_flags;
};

/* TCP flag bits. */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10
#define TCPF_URG 0x20
#define TCPF_ECE 0x40
#define TCPF_CWR 0x80

/* Whether frames of this DLT_* link type can be decoded. */
int frame_linktype_supported(int linktype);

/* Short name of a link type ("EN10MB", "LINUX_SLL" ...), or "other". */
const char *frame_linktype_name(int linktype);

/*
 * Decode a frame of link type linktype: caplen bytes were captured of wire_len on the wire. Reads nothing
 * beyond bytes[caplen - 1]; only the IPv4 header and the first 20 bytes of the TCP header must be there.
 */
enum frame_result frame_decode(int linktype, const uint8_t *bytes, uint32_t caplen, uint32_t wire_len,
			       struct frame_packet *out);

#endif
