/* program_counts: the counts a lab program prints on the last line of its stdout, checked field by field. */
#include "program_counts.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"

/* A program's stdout read back for its counts: far more than any prints. */
#define COUNTS_FILE_MAX_BYTES (16LL * 1024 * 1024)

json_t *program_counts(const char *stdout_path, const char *const names[], size_t n)
{
	char line[1024] = "";
	char buf[1024];
	struct tl_err ignored;
	json_t *in, *out, *capped;
	/* A side's folder may hold anything under that name: a plain file only, never a FIFO. */
	FILE *f = csv_open_untrusted(stdout_path, COUNTS_FILE_MAX_BYTES, &ignored);

	if (f != NULL) {
		while (fgets(buf, sizeof(buf), f) != NULL)
			memcpy(line, buf, sizeof(line));
		fclose(f);
	}
	in = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(in)) {
		json_decref(in);
		return NULL;
	}
	out = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(in, names[i]);

		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			json_decref(in);
			json_decref(out);
			return NULL;
		}
		json_object_set(out, names[i], v);
	}
	capped = json_object_get(in, "capped");
	if (json_is_boolean(capped))
		json_object_set(out, "capped", capped);
	json_decref(in);
	return out;
}
