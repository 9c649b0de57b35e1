/* fuzz_profile: any bytes as a sysctl profile (sysctl.conf syntax, only per-namespace keys). */
#include "input.h"
#include "scenario/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tl_err err;
	struct profile p;

	profile_load(fuzz_file("fuzz.conf", data, size), &p, &err);
	return 0;
}
