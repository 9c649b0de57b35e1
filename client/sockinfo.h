/* sockinfo: small socket facts and settings shared by both modes (retransmissions, local port, source bind). */
#ifndef TL_CLIENT_SOCKINFO_H
#define TL_CLIENT_SOCKINFO_H

#include <stdint.h>
#include <netinet/in.h>

/* What TCP_INFO says of a connection as it closes. */
struct sockinfo_tcp {
	int retrans;     /* tcpi_total_retrans, capped at 255 */
	uint32_t rtt_us; /* tcpi_rtt: the smoothed round-trip time (in connect mode, the handshake's) */
};

/* TCP_INFO of fd into out; -1 when it cannot be read. */
int sockinfo_tcp(int fd, struct sockinfo_tcp *out);

/* Local port of fd (0 when none is bound yet). */
uint16_t sockinfo_local_port(int fd);

/* Bind fd to source address src, leaving the port to connect() (IP_BIND_ADDRESS_NO_PORT); returns errno or 0. */
int sockinfo_bind_source(int fd, struct in_addr src);

/* Arm SO_LINGER {1, 0} so that close() sends RST and leaves no TIME_WAIT; returns errno or 0. */
int sockinfo_linger_rst(int fd);

#endif
