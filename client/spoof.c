/* spoof: parsing and checking the flood's source prefix, and picking source addresses from it. */
#include "spoof.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

/* 198.18.0.0/15 in host byte order. */
#define LAB_NETWORK 0xC6120000u
#define LAB_LENGTH 15

static uint32_t mask_of(int length)
{
	return length == 0 ? 0 : 0xFFFFFFFFu << (32 - length);
}

int spoof_in_lab_range(struct in_addr addr)
{
	return (ntohl(addr.s_addr) & mask_of(LAB_LENGTH)) == LAB_NETWORK;
}

int spoof_prefix_parse(const char *text, struct spoof_prefix *out, struct tl_err *err)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	struct in_addr network;
	long length;
	size_t address_len;

	memset(out, 0, sizeof(*out));
	if (slash == NULL)
		return tl_errf(err, "--spoof: '%s' is not a prefix (expected A.B.C.D/N inside %s)", text,
			       SPOOF_LAB_RANGE);
	address_len = (size_t)(slash - text);
	if (address_len == 0 || address_len >= sizeof(address))
		return tl_errf(err, "--spoof: '%s' is not a prefix (expected A.B.C.D/N)", text);
	memcpy(address, text, address_len);
	address[address_len] = '\0';
	if (inet_pton(AF_INET, address, &network) != 1)
		return tl_errf(err, "--spoof: '%s' is not an IPv4 address", address);
	if (parse_long(slash + 1, 0, 32, &length, "--spoof prefix length", err) != 0)
		return -1;
	out->network_host = ntohl(network.s_addr);
	out->length = (int)length;
	if ((out->network_host & ~mask_of(out->length)) != 0)
		return tl_errf(err, "--spoof: '%s' has host bits set (the network would be %u.%u.%u.%u/%ld)", text,
			       (out->network_host & mask_of(out->length)) >> 24,
			       ((out->network_host & mask_of(out->length)) >> 16) & 0xFF,
			       ((out->network_host & mask_of(out->length)) >> 8) & 0xFF,
			       out->network_host & mask_of(out->length) & 0xFF, length);
	/* Both ends of the prefix inside the lab range: spoofed traffic never names an address someone owns. */
	if (out->length < LAB_LENGTH || !spoof_in_lab_range(network))
		return tl_errf(err, "--spoof: %s is outside %s; a SYN flood only runs inside the lab's range", text,
			       SPOOF_LAB_RANGE);
	snprintf(out->text, sizeof(out->text), "%s/%d", address, out->length);
	return 0;
}

int spoof_prefix_contains(const struct spoof_prefix *prefix, struct in_addr addr)
{
	return (ntohl(addr.s_addr) & mask_of(prefix->length)) == prefix->network_host;
}

struct in_addr spoof_pick(const struct spoof_prefix *prefix, uint32_t random)
{
	uint32_t host_bits = 32 - (uint32_t)prefix->length;
	uint64_t size = (uint64_t)1 << host_bits;
	struct in_addr addr;
	uint32_t host;

	if (size > 2)
		host = 1 + (uint32_t)(random % (size - 2)); /* neither the network nor the broadcast address */
	else
		host = (uint32_t)(random % size);
	addr.s_addr = htonl(prefix->network_host | host);
	return addr;
}
