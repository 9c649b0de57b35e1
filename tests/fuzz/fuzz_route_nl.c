/* fuzz_route_nl: any bytes as what the kernel sends back on the rtnetlink socket after a route request. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "side/route_nl.h"

/* The request's number, as route_nl.c sends it: the seeds' acknowledgements carry it. */
#define SEQ 1

/* The input, copied to an aligned buffer of recv's size, is one datagram from the kernel. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(8) unsigned char buf[4096];
	struct tl_err err;
	int kernel_errno = -1;
	int rc;

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	rc = route_nl_parse_ack(buf, size, SEQ, &kernel_errno, &err);
	if (rc < -1 || rc > 1 || (rc == 1 && (kernel_errno < 0 || kernel_errno > 4095)) ||
	    (rc != 1 && kernel_errno != -1))
		abort();
	return 0;
}
