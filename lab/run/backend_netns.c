/* backend_netns: the lab as two network namespaces of this machine, each side a local side. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>

#include "side/local.h"
#include "side/netns.h"

static void netns_destroy(struct lab *lab)
{
	struct netns_lab *ns = lab->state;

	netns_lab_destroy(ns);
	free(ns);
	lab->state = NULL;
}

int backend_netns_create(const struct backend_config *cfg, int client_sources, const char *workdir, struct lab *lab,
			 struct tl_err *err)
{
	struct netns_lab *ns = calloc(1, sizeof(*ns));
	char sources[sizeof(lab->sources)];
	const char *list;

	(void)cfg;
	if (ns == NULL)
		return tl_errf(err, "out of memory");
	if (netns_lab_create(ns, client_sources, err) != 0) {
		free(ns);
		return -1;
	}
	lab->state = ns;
	lab->destroy = netns_destroy;
	/* Both sides write into the run's own folder: nothing needs fetching afterwards. */
	if (side_local_create("server", ns->server_fd, workdir, &lab->server, err) != 0 ||
	    side_local_create("client", ns->client_fd, workdir, &lab->client, err) != 0) {
		lab_destroy(lab);
		return -1;
	}
	snprintf(lab->server_addr, sizeof(lab->server_addr), "%s", ns->server_addr);
	snprintf(lab->client_addr, sizeof(lab->client_addr), "%s", ns->client_addr);
	list = netns_lab_sources(ns, sources, sizeof(sources));
	snprintf(lab->sources, sizeof(lab->sources), "%s", list ? list : "");
	return 0;
}
