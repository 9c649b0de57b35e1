/* spoof_routes: the two routes of the SYN-flood lab, added with ip -batch right after the namespaces exist. */
#include "spoof_routes.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "side/netns.h"

/* The veth link of the lab (netns.c gives the server .1 and the client .2 of it). */
#define LAB_LINK_NETWORK 0xC6120000u /* 198.18.0.0 */
#define LAB_LINK_LENGTH 24

static uint32_t mask_of(long length)
{
	return length == 0 ? 0 : 0xFFFFFFFFu << (32 - length);
}

/* The client checked PREFIX against 198.18.0.0/15 already (--check on load); the lab's own link is ours to guard. */
static int check_prefix(const char *text, struct tl_err *err)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	struct in_addr network;
	long length;
	uint32_t common;

	if (slash == NULL || (size_t)(slash - text) >= sizeof(address))
		return tl_errf(err, "[client] spoof: '%s' is not a prefix A.B.C.D/N", text);
	memcpy(address, text, (size_t)(slash - text));
	address[slash - text] = '\0';
	if (inet_pton(AF_INET, address, &network) != 1 ||
	    parse_long(slash + 1, 0, 32, &length, "[client] spoof prefix length", err) != 0)
		return tl_errf(err, "[client] spoof: '%s' is not a prefix A.B.C.D/N", text);
	common = mask_of(length < LAB_LINK_LENGTH ? length : LAB_LINK_LENGTH);
	if ((ntohl(network.s_addr) & common) == (LAB_LINK_NETWORK & common))
		return tl_errf(err, "[client] spoof: %s overlaps the lab's own link 198.18.0.0/24 (take one inside "
				    "198.19.0.0/16)", text);
	return 0;
}

int spoof_routes_add(const struct scenario *sc, const struct lab *lab, struct tl_err *err)
{
	const struct scenario_value *spoof = scenario_get(sc, "client", "spoof");
	const struct netns_lab *ns;
	char cmds[384];

	if (spoof == NULL || !spoof->present)
		return 0;
	if (check_prefix(spoof->text, err) != 0)
		return -1;
	if (strcmp(lab->backend, "netns") != 0)
		return tl_errf(err, "[client] spoof: the %s backend cannot keep spoofed packets inside the lab; run this "
				    "scenario on the netns backend", lab->backend);
	ns = lab->state;
	snprintf(cmds, sizeof(cmds), "route add %s via %s\n", spoof->text, ns->client_addr);
	if (netns_ip_batch(ns->server_ns, cmds, err) != 0)
		return tl_err_wrap(err, "[client] spoof: server side route");
	snprintf(cmds, sizeof(cmds), "route add blackhole %s\n", spoof->text);
	if (netns_ip_batch(ns->client_ns, cmds, err) != 0)
		return tl_err_wrap(err, "[client] spoof: client side blackhole route");
	return 0;
}
