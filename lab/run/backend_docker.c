/* backend_docker: the lab as two containers (compose.yaml), each side a remote side talking to its tcplab-agent. */
#include "backend.h"

#include <stdio.h>
#include <string.h>

#include "side/remote.h"

static int connect_side(const char *role, const char *spec, const char *token_file, int64_t wait_us,
			struct side **out, struct tl_err *err)
{
	struct remote_endpoint ep;

	if (spec[0] == '\0')
		return tl_errf(err, "the docker backend needs the %s agent's address (--%s-agent or TCPLAB_%s_AGENT)",
			       role, role, strcmp(role, "server") == 0 ? "SERVER" : "CLIENT");
	if (remote_endpoint_parse(spec, token_file, &ep, err) != 0)
		return tl_err_wrap(err, "%s agent", role);
	return side_remote_create(role, &ep, wait_us, out, err);
}

int backend_docker_create(const struct backend_config *cfg, int client_sources, const char *workdir,
			  struct lab *lab, struct tl_err *err)
{
	(void)workdir;
	/* A container has the one address its network gave it; adding more is not an agent operation. */
	if (client_sources > 0)
		return tl_errf(err, "[client] sources = %d needs extra client addresses, which the docker backend does "
				    "not add; replay this scenario with --backend netns", client_sources);
	if (connect_side("server", cfg->server_agent, cfg->token_file, cfg->wait_us, &lab->server, err) != 0 ||
	    connect_side("client", cfg->client_agent, cfg->token_file, cfg->wait_us, &lab->client, err) != 0) {
		lab_destroy(lab);
		return -1;
	}
	snprintf(lab->server_addr, sizeof(lab->server_addr), "%s", side_remote_address(lab->server));
	snprintf(lab->client_addr, sizeof(lab->client_addr), "%s", side_remote_address(lab->client));
	return 0;
}
