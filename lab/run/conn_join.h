/* conn_join: add the wire's view of each client connection (SYNs, SYN-ACKs, RSTs, handshake) to connections.csv. */
#ifndef TL_CONN_JOIN_H
#define TL_CONN_JOIN_H

#include <stddef.h>

#include "packets/packets.h"
#include "tl_err.h"

/*
 * Rewrite the client's records at csv_path with eight more columns per record (wire_syn, wire_syn_retrans,
 * wire_synack, wire_synack_retrans, wire_rst_client, wire_rst_server, wire_handshake_us, wire_completed),
 * from the connection of the captures from one of the client's addresses clients[client_count] (count 0: any)
 * with the record's local port that started at its start_wall_us (packets_find; a keep-alive record marked
 * reused takes its port's previous connection); empty when the captures hold none, never a SYN flood's
 * spoofed connection on the same port. matched counts the records joined. -1 with err when the file cannot be
 * rewritten (it is then left as it was).
 */
int conn_join_wire(const char *csv_path, const struct pk_analysis *a, const struct in_addr *clients,
		   size_t client_count, size_t *matched, struct tl_err *err);

#endif
