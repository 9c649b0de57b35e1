/* ipv4_prefix: parsing and comparing IPv4 prefixes, and the lab range check shared by client, controller and agent. */
#include "ipv4_prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

/* 198.18.0.0/15 in host byte order. */
#define LAB_RANGE_NETWORK 0xC6120000u
#define LAB_RANGE_LENGTH 15

static uint32_t mask_of(int length)
{
	return length == 0 ? 0 : 0xFFFFFFFFu << (32 - length);
}

int ipv4_prefix_parse(const char *text, const char *what, struct ipv4_prefix *out, struct tl_err *err)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	struct in_addr network;
	size_t address_len;
	long length;
	uint32_t masked;

	memset(out, 0, sizeof(*out));
	if (slash == NULL)
		return tl_errf(err, "%s: '%s' is not a prefix (expected A.B.C.D/N)", what, text);
	address_len = (size_t)(slash - text);
	if (address_len == 0 || address_len >= sizeof(address))
		return tl_errf(err, "%s: '%s' is not a prefix (expected A.B.C.D/N)", what, text);
	memcpy(address, text, address_len);
	address[address_len] = '\0';
	if (inet_pton(AF_INET, address, &network) != 1)
		return tl_errf(err, "%s: '%s' is not an IPv4 address", what, address);
	if (parse_long(slash + 1, 0, 32, &length, what, err) != 0)
		return tl_errf(err, "%s: '%s' has no prefix length 0-32", what, text);
	out->network_host = ntohl(network.s_addr);
	out->length = (int)length;
	masked = out->network_host & mask_of(out->length);
	if (masked != out->network_host)
		return tl_errf(err, "%s: '%s' has host bits set (the network would be %u.%u.%u.%u/%ld)", what, text,
			       masked >> 24, (masked >> 16) & 0xFF, (masked >> 8) & 0xFF, masked & 0xFF, length);
	snprintf(out->text, sizeof(out->text), "%s/%d", address, out->length);
	return 0;
}

int ipv4_prefix_contains(const struct ipv4_prefix *prefix, struct in_addr addr)
{
	return (ntohl(addr.s_addr) & mask_of(prefix->length)) == prefix->network_host;
}

int ipv4_prefix_overlaps(const struct ipv4_prefix *a, const struct ipv4_prefix *b)
{
	uint32_t common = mask_of(a->length < b->length ? a->length : b->length);

	return (a->network_host & common) == (b->network_host & common);
}

int lab_range_contains(struct in_addr addr)
{
	return (ntohl(addr.s_addr) & mask_of(LAB_RANGE_LENGTH)) == LAB_RANGE_NETWORK;
}

int lab_range_holds(const struct ipv4_prefix *prefix)
{
	struct in_addr network = { .s_addr = htonl(prefix->network_host) };

	return prefix->length >= LAB_RANGE_LENGTH && lab_range_contains(network);
}
