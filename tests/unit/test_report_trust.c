/* test_report_trust: what tcplab report reads from a results folder is checked, and labels reach gnuplot inert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/doc_check.h"
#include "report/plot_script.h"
#include "doc/results.h"
#include "unit.h"

static void test_inert_text(void)
{
	char out[PLOT_LABEL_MAX + 1];
	char big[400];

	plot_inert_text("classroom: 1024 (x2)", out, sizeof(out));
	CHECK_STR(out, "classroom: 1024 (x2)");
	plot_inert_text("x\n!touch /tmp/owned\n", out, sizeof(out));
	CHECK_STR(out, "x??touch /tmp/owned?");
	plot_inert_text("a'b\"c\\d`e$f\r\t\x1b", out, sizeof(out));
	CHECK_STR(out, "a?b?c?d?e?f???");
	plot_inert_text("caf\xc3\xa9", out, sizeof(out));
	CHECK_STR(out, "caf??");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	plot_inert_text(big, out, sizeof(out));
	CHECK(strlen(out) == PLOT_LABEL_MAX);
	plot_inert_text("abc", out, 3);
	CHECK_STR(out, "ab");
}

/* Count the script's lines, and whether any line (a gnuplot command) starts with '!' or holds an odd number of
 * single quotes (a string left open). */
static int script_shape(const char *path, size_t *lines, int *bad)
{
	char line[8192];
	FILE *f = fopen(path, "r");

	*lines = 0;
	*bad = 0;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t quotes = 0;

		(*lines)++;
		for (const char *p = line; *p != '\0'; p++)
			quotes += *p == '\'';
		if (line[0] == '!' || quotes % 2 != 0)
			*bad = 1;
	}
	fclose(f);
	return 0;
}

/* The script written for a crafted label has the shape of the one for a plain label: nothing was injected. */
static size_t script_for(const char *label, int *bad)
{
	char dir[] = "/tmp/tcplab-test.XXXXXX";
	char path[256];
	struct plot_loaded runs[2];
	int drawn[PLOT_KINDS];
	char note[PLOT_KINDS][256];
	struct tl_err err;
	size_t lines = 0;
	FILE *gp;

	*bad = 1;
	if (mkdtemp(dir) == NULL)
		return 0;
	memset(runs, 0, sizeof(runs));
	runs[0].label = "classroom";
	runs[1].label = label;
	snprintf(path, sizeof(path), "%s/plots.gp", dir);
	gp = fopen(path, "w");
	if (gp != NULL) {
		CHECK(plot_script_write(dir, gp, runs, 2, drawn, note, &err) == 0);
		fclose(gp);
		script_shape(path, &lines, bad);
	}
	results_remove_tmp(dir);
	return lines;
}

static void test_script_labels(void)
{
	static const char *const crafted[] = {
		"x\n!touch /tmp/owned\n",
		"x' . system(\"touch /tmp/owned\") . '",
		"a\\'\nset output '/etc/passwd'\n",
		"\r!id\r",
	};
	int bad = 0;
	size_t plain = script_for("high-concurrency", &bad);

	CHECK(plain > 10 && bad == 0);
	for (size_t i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++) {
		size_t lines = script_for(crafted[i], &bad);

		CHECK(lines == plain);
		CHECK(bad == 0);
	}
}

/* A document checked from text: 0 when accepted, -1 with the message in err. */
static int check_text(int compare, const char *text, struct tl_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	int rc;

	if (doc == NULL) {
		snprintf(err->msg, sizeof(err->msg), "json: %s", jerr.text);
		return -2;
	}
	rc = compare ? doc_check_compare(doc, "c.json", err) : doc_check_run(doc, "r.json", err);
	json_decref(doc);
	return rc;
}

#define RUN_OK "{\"schema_version\": 1, \"run\": {\"scenario\": \"s\", \"status\": \"complete\"}, " \
	       "\"server\": {\"profile\": \"classroom\"}, \"client\": {\"profile\": \"classroom\"}"

static void test_run_doc(void)
{
	struct tl_err err = { "" };

	CHECK(check_text(0, RUN_OK "}", &err) == 0);
	CHECK(check_text(0, RUN_OK ", \"series\": {\"t_us\": [1, 2, 3]}}", &err) == 0);
	CHECK(check_text(0, "[]", &err) == -1 && strstr(err.msg, "r.json: $: not an object") != NULL);
	CHECK(check_text(0, RUN_OK ", \"series\": []}", &err) == -1);
	CHECK(strstr(err.msg, "r.json: $.series: not an object") != NULL);
	CHECK(check_text(0, "{\"schema_version\": 1, \"run\": {\"scenario\": \"s\", \"status\": \"done\"}}", &err) == -1);
	CHECK(strstr(err.msg, "r.json: $.run.status: 'done' is not one of") != NULL);
	CHECK(check_text(0, "{\"schema_version\": 1, \"run\": {\"status\": \"complete\"}}", &err) == -1);
	CHECK(strstr(err.msg, "$.run.scenario: missing") != NULL);
	CHECK(check_text(0, RUN_OK ", \"x\": {\"bad key\": 1}}", &err) == -1);
	CHECK(strstr(err.msg, "$.x: key 'bad key' is not a name") != NULL);
	CHECK(check_text(0, RUN_OK ", \"x\": [0, \"a\\tb\"]}", &err) == -1);
	CHECK(strstr(err.msg, "$.x[1]: a string holds the control character 0x09") != NULL);
	CHECK(check_text(0, RUN_OK ", \"x\": 1e300}", &err) == 0);
}

#define COLUMN(label, dir) "{\"label\": \"" label "\", \"settings\": {}, \"runs\": [{\"dir\": \"" dir "\"}]}"
#define COMPARE(columns) "{\"schema_version\": 1, \"kind\": \"compare\", \"scenario\": \"s\", \"repeat\": 1, " \
			 "\"side\": \"server\", \"columns\": [" columns "]}"

static void test_compare_doc(void)
{
	struct tl_err err = { "" };

	CHECK(check_text(1, COMPARE(COLUMN("a", "c0/r") "," COLUMN("b", "c1/r")), &err) == 0);
	CHECK(check_text(1, COMPARE(""), &err) == -1 && strstr(err.msg, "$.columns: 0 columns") != NULL);
	CHECK(check_text(1, COMPARE(COLUMN("a", "../r")), &err) == -1);
	CHECK(strstr(err.msg, "c.json: $.columns[0].runs[0].dir: not a folder inside") != NULL);
	CHECK(check_text(1, COMPARE(COLUMN("a", "/etc")), &err) == -1);
	CHECK(check_text(1, COMPARE(COLUMN("a", "c0//r")), &err) == -1);
	CHECK(check_text(1, COMPARE(COLUMN("a\\n!id", "c0/r")), &err) == -1);
	CHECK(strstr(err.msg, "$.columns[0].label: a string holds the control character 0x0a") != NULL);
	CHECK(check_text(1, "{\"schema_version\": 1, \"kind\": \"sweep\", \"scenario\": \"s\", \"repeat\": 0, "
			    "\"columns\": [" COLUMN("a", "r") "]}", &err) == -1);
	CHECK(strstr(err.msg, "$.repeat: 0 is out of range [1, 100]") != NULL);
	/* A stored comparison's fields: source one of two words, kernel and folder plain text. */
	CHECK(check_text(1, "{\"schema_version\": 1, \"kind\": \"compare\", \"source\": \"stored\", \"scenario\": \"s\", "
			    "\"repeat\": 1, \"columns\": [{\"label\": \"a\", \"kernel\": \"6.1\", \"folder\": \"/x/a\", "
			    "\"settings\": {}, \"runs\": [{\"dir\": \"1-a\"}]}]}", &err) == 0);
	CHECK(check_text(1, "{\"schema_version\": 1, \"kind\": \"compare\", \"source\": \"elsewhere\", \"scenario\": \"s\", "
			    "\"repeat\": 1, \"columns\": [" COLUMN("a", "r") "]}", &err) == -1);
	CHECK(strstr(err.msg, "$.source") != NULL);
	CHECK(check_text(1, "{\"schema_version\": 2, \"kind\": \"compare\", \"scenario\": \"s\", \"repeat\": 1, "
			    "\"columns\": [" COLUMN("a", "r") "]}", &err) == -1);
	CHECK(strstr(err.msg, "$.schema_version: version 2, this tcplab reads version 1") != NULL);
	CHECK(doc_relative_dir_valid("classroom-1/20261201-100000-s") && !doc_relative_dir_valid("a/./b"));
	CHECK(!doc_relative_dir_valid("") && !doc_relative_dir_valid("a/") && !doc_relative_dir_valid("a b"));
}

int main(void)
{
	RUN(test_inert_text);
	RUN(test_script_labels);
	RUN(test_run_doc);
	RUN(test_compare_doc);
	return UNIT_END();
}
