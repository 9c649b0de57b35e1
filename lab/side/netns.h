/* netns: create and remove the lab's two network namespaces joined by a veth pair. */
#ifndef TL_NETNS_H
#define TL_NETNS_H

#include <stddef.h>

#include "tl_err.h"

/* Namespace and interface names are prefixed so `tcplab cleanup` can recognise them. */
#define NETNS_PREFIX "tcplab-"

/* The lab topology of one run. */
struct netns_lab {
	char server_ns[32];   /* tcplab-<pid>-<n>-s */
	char client_ns[32];   /* tcplab-<pid>-<n>-c */
	char server_if[16];
	char client_if[16];
	char server_addr[16]; /* 198.18.0.1 */
	char client_addr[16]; /* 198.18.0.2, then extra source addresses after it */
	int client_sources;   /* extra client addresses 198.18.0.3 ... */
	int server_fd;        /* open fd of the server namespace (for setns) */
	int client_fd;
	int up;
};

/* Create both namespaces (each with its own TCP connection table), the veth pair, addresses and loopback;
 * on error nothing is left. */
int netns_lab_create(struct netns_lab *lab, int client_sources, struct tl_err *err);

/* The client's source addresses as "a,b,c" (its own address first), or NULL without extra sources. */
const char *netns_lab_sources(const struct netns_lab *lab, char *buf, size_t len);

/* Remove the namespaces (their veth goes with them); safe to call twice. */
void netns_lab_destroy(struct netns_lab *lab);

/* Run `ip -batch -` (optionally with -n NS) feeding it commands; 0 when ip exits 0. */
int netns_ip_batch(const char *ns, const char *commands, struct tl_err *err);

/* Whether pid is a running tcplab controller (the owner a lab namespace or temporary folder names). */
int netns_owner_alive(long pid);

/* Remove tcplab namespaces whose controller process is gone; prints what it removed. Returns count. */
int netns_cleanup_stale(int dry_run, struct tl_err *err);

#endif
