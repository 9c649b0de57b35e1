/* synpacket: one IPv4 + TCP SYN packet with a correct TCP checksum, for a raw IPPROTO_RAW socket. */
#ifndef TL_CLIENT_SYNPACKET_H
#define TL_CLIENT_SYNPACKET_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* IPv4 header (20) + TCP header (20) + MSS option (4). */
#define SYNPACKET_LEN 44

/* What varies from one SYN to the next. */
struct synpacket_fields {
	struct in_addr source;      /* spoofed source address (network byte order) */
	uint16_t source_port;       /* host byte order */
	struct sockaddr_in target;  /* destination address and port */
	uint32_t seq;               /* initial sequence number */
	uint16_t ip_id;             /* IPv4 identification */
};

/* The one's-complement sum of len bytes added to sum (not folded): the Internet checksum's core. */
uint32_t synpacket_sum16(const void *data, size_t len, uint32_t sum);

/* Fold a sum to 16 bits and complement it: the value that goes into a checksum field. */
uint16_t synpacket_fold(uint32_t sum);

/* The TCP checksum of the segment in an IPv4 packet of SYNPACKET_LEN bytes (pseudo-header included);
 * 0 when the packet's own checksum field is right. */
uint16_t synpacket_tcp_checksum(const uint8_t *packet);

/* Write a SYN of SYNPACKET_LEN bytes into buf (the IPv4 header checksum is left to the kernel, which
 * always fills it for IP_HDRINCL); returns the length, or 0 when buf is too small. */
size_t synpacket_build(uint8_t *buf, size_t len, const struct synpacket_fields *fields);

#endif
