/* spoof_routes: the two routes of the SYN-flood lab, added through the sides right after the lab is up. */
#include "spoof_routes.h"

#include "ipv4_prefix.h"

/* The client checked PREFIX against 198.18.0.0/15 already (--check on load); the lab's own link is ours to guard. */
static int check_prefix(const char *text, struct tl_err *err)
{
	struct ipv4_prefix spoof;
	struct ipv4_prefix link;

	if (ipv4_prefix_parse(text, "[client] spoof", &spoof, err) != 0 ||
	    ipv4_prefix_parse(LAB_LINK_TEXT, "lab link", &link, err) != 0)
		return -1;
	if (ipv4_prefix_overlaps(&spoof, &link))
		return tl_errf(err, "[client] spoof: %s overlaps the lab's own link %s (take one inside "
				    "198.19.0.0/16)", text, LAB_LINK_TEXT);
	return 0;
}

int spoof_routes_add(const struct scenario *sc, const struct lab *lab, struct tl_err *err)
{
	const struct scenario_value *spoof = scenario_get(sc, "client", "spoof");

	if (spoof == NULL || !spoof->present)
		return 0;
	if (check_prefix(spoof->text, err) != 0)
		return -1;
	if (lab->server->ops->add_route(lab->server, spoof->text, lab->client_addr, err) != 0)
		return tl_err_wrap(err, "[client] spoof: server side route");
	if (lab->client->ops->add_route(lab->client, spoof->text, NULL, err) != 0)
		return tl_err_wrap(err, "[client] spoof: client side blackhole route");
	return 0;
}
