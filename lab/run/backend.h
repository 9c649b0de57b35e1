/* backend: what brings a lab up for one run and hands the run its two sides: namespaces here, or agents in containers. */
#ifndef TL_BACKEND_H
#define TL_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4_prefix.h"
#include "side/side.h"
#include "tl_err.h"

/* Which backend a run uses. */
enum backend_kind {
	BACKEND_NETNS,  /* two network namespaces of this machine joined by a veth pair (needs root) */
	BACKEND_DOCKER, /* a tcplab-agent in each of two containers (compose.yaml), reached over HTTP */
};

/* How to reach the lab: the backend and, for docker, the two agents. */
struct backend_config {
	enum backend_kind kind;
	char server_agent[300]; /* unix:/PATH, /PATH or http://ADDR:PORT */
	char client_agent[300];
	char token_file[300];   /* bearer token for agents on TCP */
	int64_t wait_us;        /* how long agents that are still starting are waited for */
};

/* A lab that is up: the two sides and the addresses their programs use. */
struct lab {
	const char *backend;      /* "netns" or "docker", as run.json records it */
	struct side *server;
	struct side *client;
	char server_addr[16];     /* where the client connects */
	char client_addr[16];     /* the client's own (first) address */
	char sources[LAB_SOURCE_LIST_CHARS]; /* the client's source addresses "a,b,c", or "" */
	void *state;              /* the backend's own */
	void (*destroy)(struct lab *lab);
};

/* netns, with TCPLAB_BACKEND, TCPLAB_SERVER_AGENT, TCPLAB_CLIENT_AGENT and TCPLAB_AGENT_TOKEN_FILE applied
 * (the compose lab service sets them, so a controller there runs on docker without options). */
int backend_config_from_env(struct backend_config *cfg, struct tl_err *err);

/* Apply a command-line option: "backend" (netns|docker), "server-agent", "client-agent" or "agent-token-file". */
int backend_config_set(struct backend_config *cfg, const char *option, const char *value, struct tl_err *err);

/* Parse a backend name ("netns", "docker"). */
int backend_kind_parse(const char *name, enum backend_kind *kind, struct tl_err *err);

/* The backend's name. */
const char *backend_kind_name(enum backend_kind kind);

/* Whether the backend needs root on this machine (it creates namespaces). */
int backend_needs_root(enum backend_kind kind);

/* Bring a lab up for a client with client_sources extra addresses; local programs write under workdir.
 * On error nothing is left. */
int lab_create(const struct backend_config *cfg, int client_sources, const char *workdir, struct lab *lab,
	       struct tl_err *err);

/* Release both sides (their programs are stopped) and whatever the backend holds; safe on a zeroed lab. */
void lab_destroy(struct lab *lab);

/* Each backend's lab_create. */
int backend_netns_create(const struct backend_config *cfg, int client_sources, const char *workdir, struct lab *lab,
			 struct tl_err *err);
int backend_docker_create(const struct backend_config *cfg, int client_sources, const char *workdir,
			  struct lab *lab, struct tl_err *err);

#endif
