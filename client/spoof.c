/* spoof: parsing and checking the flood's source prefix, and picking source addresses from it. */
#include "spoof.h"

#include <arpa/inet.h>

int spoof_prefix_parse(const char *text, struct ipv4_prefix *out, struct tl_err *err)
{
	if (ipv4_prefix_parse(text, "--spoof", out, err) != 0)
		return -1;
	/* Both ends of the prefix inside the lab range: spoofed traffic never names an address someone owns. */
	if (!lab_range_holds(out))
		return tl_errf(err, "--spoof: %s is outside %s; a SYN flood only runs inside the lab's range", text,
			       LAB_RANGE_TEXT);
	return 0;
}

struct in_addr spoof_pick(const struct ipv4_prefix *prefix, uint32_t random)
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
