/* backend: choosing a backend (option, environment) and the one place that dispatches to it. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A compose lab starts the agents beside the controller: they get this long to answer. */
#define BACKEND_AGENT_WAIT_US (20 * 1000000)

static int copy_env(const char *name, char *buf, size_t len, struct tl_err *err)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0')
		return 0;
	if (strlen(v) >= len)
		return tl_errf(err, "%s is longer than %zu characters", name, len - 1);
	snprintf(buf, len, "%s", v);
	return 0;
}

int backend_config_from_env(struct backend_config *cfg, struct tl_err *err)
{
	const char *kind = getenv("TCPLAB_BACKEND");

	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = BACKEND_NETNS;
	cfg->wait_us = BACKEND_AGENT_WAIT_US;
	if (kind != NULL && kind[0] != '\0' && backend_kind_parse(kind, &cfg->kind, err) != 0)
		return tl_err_wrap(err, "TCPLAB_BACKEND");
	if (copy_env("TCPLAB_SERVER_AGENT", cfg->server_agent, sizeof(cfg->server_agent), err) != 0 ||
	    copy_env("TCPLAB_CLIENT_AGENT", cfg->client_agent, sizeof(cfg->client_agent), err) != 0 ||
	    copy_env("TCPLAB_AGENT_TOKEN_FILE", cfg->token_file, sizeof(cfg->token_file), err) != 0)
		return -1;
	return 0;
}

int backend_config_set(struct backend_config *cfg, const char *option, const char *value, struct tl_err *err)
{
	char *dest = NULL;
	size_t len = 0;

	if (strcmp(option, "backend") == 0)
		return backend_kind_parse(value, &cfg->kind, err) == 0 ? 0 : tl_err_wrap(err, "--backend");
	if (strcmp(option, "server-agent") == 0) {
		dest = cfg->server_agent;
		len = sizeof(cfg->server_agent);
	} else if (strcmp(option, "client-agent") == 0) {
		dest = cfg->client_agent;
		len = sizeof(cfg->client_agent);
	} else if (strcmp(option, "agent-token-file") == 0) {
		dest = cfg->token_file;
		len = sizeof(cfg->token_file);
	} else {
		return tl_errf(err, "--%s is not a backend option", option);
	}
	if (strlen(value) >= len)
		return tl_errf(err, "--%s: longer than %zu characters", option, len - 1);
	snprintf(dest, len, "%s", value);
	return 0;
}

int backend_kind_parse(const char *name, enum backend_kind *kind, struct tl_err *err)
{
	if (strcmp(name, "netns") == 0)
		*kind = BACKEND_NETNS;
	else if (strcmp(name, "docker") == 0)
		*kind = BACKEND_DOCKER;
	else
		return tl_errf(err, "backend '%s' is not netns or docker", name);
	return 0;
}

const char *backend_kind_name(enum backend_kind kind)
{
	switch (kind) {
	case BACKEND_NETNS:
		return "netns";
	case BACKEND_DOCKER:
		return "docker";
	}
	return "?";
}

int backend_needs_root(enum backend_kind kind)
{
	switch (kind) {
	case BACKEND_NETNS:
		return 1;
	case BACKEND_DOCKER:
		return 0;
	}
	return 1;
}

int lab_create(const struct backend_config *cfg, int client_sources, const char *workdir, struct lab *lab,
	       struct tl_err *err)
{
	memset(lab, 0, sizeof(*lab));
	lab->backend = backend_kind_name(cfg->kind);
	switch (cfg->kind) {
	case BACKEND_NETNS:
		return backend_netns_create(cfg, client_sources, workdir, lab, err);
	case BACKEND_DOCKER:
		return backend_docker_create(cfg, client_sources, workdir, lab, err);
	}
	return tl_errf(err, "unknown backend");
}

void lab_destroy(struct lab *lab)
{
	if (lab->client != NULL)
		lab->client->ops->destroy(lab->client);
	if (lab->server != NULL)
		lab->server->ops->destroy(lab->server);
	lab->client = lab->server = NULL;
	if (lab->destroy != NULL)
		lab->destroy(lab);
	lab->destroy = NULL;
}
