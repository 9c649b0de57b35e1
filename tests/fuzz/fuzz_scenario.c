/* fuzz_scenario: any bytes as a scenario file, read through the whole loader (lines, keys, expectations, profiles). */
#include <string.h>

#include "input.h"
#include "scenario/scenario.h"

/* Profiles come from the tree's sysctl/ (the runner starts in the source tree); the programs are not run. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tl_err err;
	struct scenario sc;
	const char *path = fuzz_file("fuzz.conf", data, size);

	if (scenario_load(path, "sysctl", NULL, &sc, &err) == 0) {
		char **argv = NULL;

		/* A scenario that loads also builds both command lines. */
		if (scenario_server_argv(&sc, "/nonexistent", "198.18.0.1", &argv, &err) == 0)
			scenario_argv_free(argv);
		scenario_free(&sc);
	}
	return 0;
}
