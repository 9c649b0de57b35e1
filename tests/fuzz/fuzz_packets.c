/* fuzz_packets: any bytes as a run's client and server pcap files through the packet analyser and its ladders, JSON and text. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "packets/packets.h"

/* The seeds' server, as the unit tests and a lab run have it. */
#define SERVER_ADDR "198.18.0.1"
#define SERVER_PORT 8080

/*
 * The first byte: bit 0, two captures (else only the client's); bit 1, the server given as any address;
 * bit 2, the smallest event cap (8 events per connection, so the cap and the matching ring are reached).
 * Bytes 1-2 (little endian): the length of the client's capture; the server's is the rest.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_options opt;
	struct pk_analysis *a = NULL;
	struct pk_pick picks[PK_LADDERS_DEFAULT];
	const char *client;
	char client_path[256];
	const char *server = NULL;
	struct tl_err err;
	size_t client_len;
	size_t n;
	FILE *sink;

	if (size < 3)
		return 0;
	client_len = (size_t)data[1] | (size_t)data[2] << 8;
	if (client_len > size - 3 || !(data[0] & 1))
		client_len = size - 3;
	packets_options_default(&opt);
	opt.server.sin_port = htons(SERVER_PORT);
	if (!(data[0] & 2))
		inet_pton(AF_INET, SERVER_ADDR, &opt.server.sin_addr);
	if (data[0] & 4)
		opt.events_per_conn = 8;
	client = fuzz_file("client.pcap", data + 3, client_len);
	/* fuzz_file's path is its own buffer: the client's is kept before the server's is written. */
	snprintf(client_path, sizeof(client_path), "%s", client);
	if (data[0] & 1)
		server = fuzz_file("server.pcap", data + 3 + client_len, size - 3 - client_len);
	if (packets_analyse(client_path, server, &opt, &a, &err) != 0)
		return 0;
	n = packets_select(a, PK_LADDERS_DEFAULT, picks);
	if (n > PK_LADDERS_DEFAULT)
		abort();
	sink = fopen("/dev/null", "w");
	if (sink != NULL) {
		packets_print_totals(sink, a);
		for (size_t i = 0; i < n; i++)
			packets_print_ladder(sink, a, &picks[i]);
		fclose(sink);
	}
	json_decref(packets_doc_json(a, PK_LADDERS_DEFAULT));
	for (size_t i = 0; i < packets_conn_count(a); i++) {
		const struct pk_conn *c = packets_conn(a, i);

		if (c->event_count > c->events_total || c->event_count > opt.events_per_conn)
			abort();
		/* Found by its own address, and by any address (no client list). */
		if (packets_find(a, &c->client_addr, 1, c->client_port, c->first_us) == NULL ||
		    packets_find(a, NULL, 0, c->client_port, c->first_us) == NULL)
			abort();
	}
	packets_free(a);
	return 0;
}
