/* spoof_routes: the two routes of the SYN-flood lab, added through the sides right after the lab is up. */
#include "spoof_routes.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipv4_prefix.h"

/* The lab's own link: netns.c and compose.yaml give the server .1 and the client .2 of it. */
#define LAB_LINK_PREFIX "198.18.0.0/24"

/* The client checked PREFIX against 198.18.0.0/15 already (--check on load); the lab's own link is ours to guard. */
static int check_prefix(const char *text, const struct lab *lab, struct tl_err *err)
{
	struct ipv4_prefix spoof;
	struct ipv4_prefix link;
	const char *own[2] = { lab->server_addr, lab->client_addr };

	if (ipv4_prefix_parse(text, "[client] spoof", &spoof, err) != 0 ||
	    ipv4_prefix_parse(LAB_LINK_PREFIX, "lab link", &link, err) != 0)
		return -1;
	if (ipv4_prefix_overlaps(&spoof, &link))
		return tl_errf(err, "[client] spoof: %s overlaps the lab's own link %s (take one inside "
				    "198.19.0.0/16)", text, LAB_LINK_PREFIX);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		struct in_addr a;

		if (inet_pton(AF_INET, own[i], &a) == 1 && ipv4_prefix_contains(&spoof, a))
			return tl_errf(err, "[client] spoof: %s contains the lab address %s", text, own[i]);
	}
	return 0;
}

int spoof_routes_add(const struct scenario *sc, const struct lab *lab, struct tl_err *err)
{
	const struct scenario_value *spoof = scenario_get(sc, "client", "spoof");

	if (spoof == NULL || !spoof->present)
		return 0;
	if (check_prefix(spoof->text, lab, err) != 0)
		return -1;
	if (lab->server->ops->add_route(lab->server, spoof->text, lab->client_addr, err) != 0)
		return tl_err_wrap(err, "[client] spoof: server side route");
	if (lab->client->ops->add_route(lab->client, spoof->text, NULL, err) != 0)
		return tl_err_wrap(err, "[client] spoof: client side blackhole route");
	return 0;
}
