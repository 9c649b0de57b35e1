/* target: parsing of the TARGET argument and a route check that sends nothing. */
#include "target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "parse.h"

int target_parse(const char *s, struct target *out, struct tl_err *err)
{
	static const char scheme[] = "http://";
	char hostport[128];
	char ip[INET_ADDRSTRLEN];
	const char *rest = s;
	const char *path = "/";
	const char *slash;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (s == NULL || *s == '\0')
		return tl_errf(err, "missing TARGET (ADDR:PORT or http://ADDR:PORT/path)");
	if (strncmp(s, scheme, sizeof(scheme) - 1) == 0)
		rest = s + sizeof(scheme) - 1;
	else if (strstr(s, "://") != NULL)
		return tl_errf(err, "target '%s': only http:// is supported", s);
	slash = strchr(rest, '/');
	len = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	if (slash != NULL)
		path = slash;
	if (len == 0 || len >= sizeof(hostport))
		return tl_errf(err, "target '%s': expected ADDR:PORT or http://ADDR:PORT/path", s);
	memcpy(hostport, rest, len);
	hostport[len] = '\0';
	/* "PORT" alone would mean 0.0.0.0 to parse_ipv4_port: a target needs both parts. */
	if (strchr(hostport, ':') == NULL || hostport[0] == ':')
		return tl_errf(err, "target '%s': expected ADDR:PORT (IPv4 address and port)", s);
	if (parse_ipv4_port(hostport, &out->addr, "target", err) != 0)
		return -1;
	if (out->addr.sin_addr.s_addr == htonl(INADDR_ANY))
		return tl_errf(err, "target '%s': 0.0.0.0 is not an address to connect to", s);
	/* The URL carries the numeric address so libcurl never resolves a name ("localhost" could become ::1). */
	if (inet_ntop(AF_INET, &out->addr.sin_addr, ip, sizeof(ip)) == NULL)
		return tl_errf(err, "target '%s': %s", s, strerror(errno));
	if ((size_t)snprintf(out->url, sizeof(out->url), "http://%s:%u%s", ip, ntohs(out->addr.sin_port), path) >=
	    sizeof(out->url))
		return tl_errf(err, "target '%s': longer than %zu characters", s, sizeof(out->url) - 1);
	snprintf(out->display, sizeof(out->display), "%s", s);
	return 0;
}

int target_check_reachable(const struct target *target, struct tl_err *err)
{
	int fd;
	int saved;

	/* connect() on a UDP socket only looks up the route: no packet leaves. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tl_errf(err, "target %s: socket: %s", target->display, strerror(errno));
	if (connect(fd, (const struct sockaddr *)&target->addr, sizeof(target->addr)) == 0) {
		close(fd);
		return 0;
	}
	saved = errno;
	close(fd);
	if (saved == ENETUNREACH || saved == EHOSTUNREACH || saved == EADDRNOTAVAIL)
		return tl_errf(err, "target %s: Network is unreachable", target->display);
	return tl_errf(err, "target %s: %s", target->display, strerror(saved));
}
