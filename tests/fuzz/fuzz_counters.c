/* fuzz_counters: any text as /proc/net/netstat or /proc/net/snmp (header and value line pairs). */
#include <stdlib.h>

#include "input.h"
#include "probe/counters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct counters c, delta;
	struct tl_err err;
	int64_t v;

	if (counters_parse((const char *)data, size, "fuzz", &c, &err) == 0) {
		counters_get(&c, "TcpExtListenOverflows", &v);
		counters_delta(&c, &c, &delta);
	}
	return 0;
}
