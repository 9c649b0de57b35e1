/* fuzz_comparedoc: any bytes as the compare.json of a comparison folder: loaded with its replays, tabled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "report/compare_doc.h"
#include "report/compare_table.h"

/* The folder holds compare.json (the input) and two replay folders, c0/r and c1/r, each a copy of the test
 * run (tests/report/run/run.json, read from the source tree where the runner starts). */
static char folder[512];

static void add_replay(const char *base, const char *column, const char *text, size_t len)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, column);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/r", base, column);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/r/run.json", base, column);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fwrite(text, 1, len, f);
	fclose(f);
}

static void prepare(const char *compare_path)
{
	FILE *f = fopen("tests/report/run/run.json", "r");
	char *text;
	long len;
	char *slash;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0)
		abort();
	rewind(f);
	text = malloc((size_t)len);
	if (text == NULL || fread(text, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	snprintf(folder, sizeof(folder), "%s", compare_path);
	slash = strrchr(folder, '/');
	*slash = '\0';
	add_replay(folder, "c0", text, (size_t)len);
	add_replay(folder, "c1", text, (size_t)len);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("compare.json", data, size);
	struct comparison c;
	struct compare_table t;
	struct tl_err err;

	if (folder[0] == '\0')
		prepare(path);
	if (compare_doc_load(folder, &c, &err) != 0)
		return 0;
	if (compare_table_build(&c, &t, &err) == 0) {
		char buf[256];

		for (size_t col = 0; col < c.column_count; col++) {
			compare_column_status(&c.columns[col], buf, sizeof(buf));
			compare_column_verdict(&c.columns[col], buf, sizeof(buf));
		}
		for (size_t i = 0; i < t.count; i++)
			for (size_t col = 0; col < c.column_count; col++)
				compare_cell_format(&t.rows[i], &t.rows[i].cells[col], c.repeat > 1, buf, sizeof(buf));
		compare_table_free(&t);
	}
	comparison_free(&c);
	return 0;
}
