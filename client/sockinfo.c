/* sockinfo: getsockopt/setsockopt helpers; each is one system call on the per-connection path. */
#include "sockinfo.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

int sockinfo_tcp(int fd, struct sockinfo_tcp *out)
{
	struct tcp_info info;
	socklen_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
		return -1;
	/* Counts SYN and data retransmissions; a connect that waited shows its SYN retries here. */
	out->retrans = info.tcpi_total_retrans > 255 ? 255 : (int)info.tcpi_total_retrans;
	out->rtt_us = info.tcpi_rtt;
	return 0;
}

uint16_t sockinfo_local_port(int fd)
{
	struct sockaddr_in local;
	socklen_t len = sizeof(local);

	if (getsockname(fd, (struct sockaddr *)&local, &len) != 0 || local.sin_family != AF_INET)
		return 0;
	return ntohs(local.sin_port);
}

int sockinfo_bind_source(int fd, struct in_addr src)
{
	struct sockaddr_in local;
	int one = 1;

	/* Without this, bind() picks the port at once and cannot share it across destinations:
	 * the 4-tuple reuse that lets several sources multiply the port range would be lost. */
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) != 0)
		return errno;
	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr = src;
	if (bind(fd, (const struct sockaddr *)&local, sizeof(local)) != 0)
		return errno;
	return 0;
}

int sockinfo_linger_rst(int fd)
{
	struct linger lg = { 1, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) != 0)
		return errno;
	return 0;
}
