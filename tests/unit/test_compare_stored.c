/* test_compare_stored: a comparison of stored run folders: its columns, refused folders, crafted names made inert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/results.h"
#include "report/compare_text.h"
#include "report/plot.h"
#include "run/compare_stored.h"
#include "unit.h"

/* The stored run the report tests use. */
#define FIXTURE "tests/report/run"

/* A folder name with an escape sequence and markup in it. */
#define CRAFTED "evil\033[31m<b>x"

static char top[] = "/tmp/tcplab-stored.XXXXXX";

static int copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	FILE *out = fopen(to, "wb");
	char buf[8192];
	size_t n;
	int ok = in != NULL && out != NULL;

	while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0)
		ok = 0;
	return ok;
}

/* top/name: the fixture run, with run.json changed by edit (a JSON path set to a value) when given. */
static void make_run(const char *name, const char *key, json_t *value)
{
	static const char *const files[] = { "run.json", "samples.csv", "connections.csv" };
	char dir[256], from[512], to[512];

	snprintf(dir, sizeof(dir), "%s/%s", top, name);
	CHECK(mkdir(dir, 0755) == 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", FIXTURE, files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		CHECK(copy(from, to));
	}
	if (key != NULL) {
		json_t *doc = json_load_file(FIXTURE "/run.json", 0, NULL);

		CHECK(doc != NULL);
		if (strcmp(key, "schema_version") == 0)
			json_object_set(doc, key, value);
		else
			json_object_set(json_object_get(doc, "run"), key, value);
		snprintf(to, sizeof(to), "%s/run.json", dir);
		CHECK(json_dump_file(doc, to, 0) == 0);
		json_decref(doc);
	}
	json_decref(value);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ch;

	while (f != NULL && out != NULL && (ch = fgetc(f)) != EOF)
		fputc(ch, out);
	if (f != NULL)
		fclose(f);
	if (out != NULL)
		fclose(out);
	return text;
}

static int run_stored(char **names, size_t n, struct compare_result *res, int *refused, struct tl_err *err)
{
	char results[512];
	char paths[4][512];
	char *folders[4];
	struct compare_opts o = { .kind = "compare", .repeat = 1, .results_dir = results, .html = plot_available() };

	snprintf(results, sizeof(results), "%s/results", top);
	for (size_t i = 0; i < n && i < 4; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", top, names[i]);
		folders[i] = paths[i];
	}
	return compare_stored(folders, n, &o, res, refused, err);
}

static void test_columns(void)
{
	char *names[] = { "alice", "bob", CRAFTED };
	struct compare_result res;
	struct tl_err err;
	char path[1024];
	json_t *doc, *columns;
	char *text;
	int refused = -1;

	CHECK(run_stored(names, 3, &res, &refused, &err) == 0);
	CHECK(refused == 0);
	snprintf(path, sizeof(path), "%s/compare.json", res.dir);
	doc = json_load_file(path, 0, NULL);
	CHECK(doc != NULL);
	CHECK_STR(json_string_value(json_object_get(doc, "source")), "stored");
	CHECK_STR(json_string_value(json_object_get(doc, "kind")), "compare");
	CHECK_STR(json_string_value(json_object_get(doc, "scenario")), "syn-drop-when-full");
	columns = json_object_get(doc, "columns");
	CHECK(json_array_size(columns) == 3);
	CHECK(strstr(json_string_value(json_object_get(json_array_get(columns, 0), "label")), "/alice") != NULL);
	CHECK_STR(json_string_value(json_object_get(json_array_get(columns, 1), "kernel")), "6.1.0-<script>x</script>");
	CHECK_STR(json_string_value(json_object_get(json_array_get(columns, 1), "server_profile")), "classroom");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(json_array_get(columns, 1), "runs"), 0),
						    "dir")),
		  "2-bob");
	/* The crafted name: printable in compare.json, its escape character a '?'. */
	CHECK(strstr(json_string_value(json_object_get(json_array_get(columns, 2), "label")), "evil?[31m<b>x") != NULL);
	CHECK(json_is_number(json_object_get(json_object_get(json_array_get(columns, 0), "values"), "client.wall_us")));
	json_decref(doc);
	/* The run files were copied: the comparison reads back on its own, as `tcplab report` reads it. */
	snprintf(path, sizeof(path), "%s/2-bob/samples.csv", res.dir);
	CHECK(access(path, R_OK) == 0);
	text = compare_render(&res.cmp, &res.table, SUMMARY_TERMINAL);
	CHECK(text != NULL && strchr(text, '\033') == NULL && strstr(text, "evil?[31m<b>x") != NULL);
	CHECK(text != NULL && strstr(text, "kernel") != NULL && strstr(text, "3 run folders") != NULL);
	free(text);
	if (plot_available()) {
		snprintf(path, sizeof(path), "%s/report.html", res.dir);
		text = slurp(path);
		CHECK(text != NULL && strchr(text, '\033') == NULL && strstr(text, "<script>x") == NULL);
		CHECK(text != NULL && strstr(text, "6.1.0-&lt;script&gt;x&lt;/script&gt;") != NULL);
		CHECK(text != NULL && strstr(text, "evil?[31m&lt;b&gt;x") != NULL);
		free(text);
	}
	{
		struct comparison back;

		CHECK(compare_doc_load(res.dir, &back, &err) == 0);
		CHECK(back.stored == 1 && back.column_count == 3);
		CHECK(back.column_count == 3 && strcmp(back.columns[1].kernel, "6.1.0-<script>x</script>") == 0);
		comparison_free(&back);
	}
	compare_result_free(&res);
}

/* Each refusal names the folder and is bad input. */
static void refused_with(char **names, size_t n, const char *says)
{
	struct compare_result res;
	struct tl_err err;
	int refused = 0;

	CHECK(run_stored(names, n, &res, &refused, &err) == -1);
	CHECK(refused == 1);
	if (strstr(err.msg, says) == NULL)
		printf("message: %s\n", err.msg);
	CHECK(strstr(err.msg, says) != NULL);
	compare_result_free(&res);
}

static void test_refused(void)
{
	char link[600];
	char *version[] = { "alice", "v2" };
	char *symlink_[] = { "alice", "link" };
	char *twice[] = { "alice", "bob", "alice/" };
	char *none[] = { "alice", "empty" };
	char *other[] = { "alice", "other" };

	snprintf(link, sizeof(link), "%s/link", top);
	CHECK(symlink("alice", link) == 0);
	snprintf(link, sizeof(link), "%s/empty", top);
	CHECK(mkdir(link, 0755) == 0);
	refused_with(version, 2, "/v2/run.json: $.schema_version: version 2, this tcplab reads version 1");
	refused_with(symlink_, 2, "/link: a symlink");
	refused_with(twice, 3, "/alice: the same folder as");
	refused_with(none, 2, "/empty: no run.json");
	refused_with(other, 2, "/other is a run of accept-queue");
}

int main(void)
{
	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	make_run("alice", NULL, NULL);
	make_run("bob", "kernel", json_string("6.1.0-<script>x</script>"));
	make_run(CRAFTED, NULL, NULL);
	make_run("v2", "schema_version", json_integer(2));
	make_run("other", "scenario", json_string("accept-queue"));
	RUN(test_columns);
	RUN(test_refused);
	results_remove_tmp(top);
	return UNIT_END();
}
