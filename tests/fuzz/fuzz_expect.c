/* fuzz_expect: expectation lines ("path op number") and --set overrides ("section.key=value") on any text. */
#include <stdlib.h>

#include "input.h"
#include "scenario/expect.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"

/* The first line is an expectation; the second an override, whose value is then parsed as its key's kind. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	char *first;
	const char *rest = fuzz_split(text, &first);
	struct tl_err err;
	struct expect e;
	struct scenario_override o;
	const struct scenario_key *key;

	if (expect_parse(first, 1, &e, &err) == 0)
		expect_holds(&e, 1.0);
	if (scenario_override_parse(rest, &o, &err) == 0 && scenario_override_key(&o, &key, &err) == 0) {
		struct scenario_value v;

		scenario_key_parse(key, o.value, &v, &err);
	}
	free(text);
	return 0;
}
