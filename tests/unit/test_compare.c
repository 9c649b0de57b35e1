/* test_compare: the comparison table (medians, spreads, differences, which rows), its texts and compare.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/compare_doc.h"
#include "report/compare_table.h"
#include "report/compare_text.h"
#include "unit.h"

/* A run document with the few fields the table reads. */
static json_t *run_doc(const char *status, double wall_us, double resets, long overflows, int passed)
{
	return json_pack("{s:{s:s}, s:{s:f, s:f, s:{s:i, s:f}, s:{s:f}, s:{s:i, s:i}}, "
			 "s:{s:{s:I, s:i}, s:{s:i}}, s:[{s:b}]}",
			 "run", "status", status,
			 "client", "wall_us", wall_us, "controller_wall_us", wall_us, "outcome", "ok", 10, "reset", resets,
			 "connect", "p99_us", wall_us / 2, "nstat", "TcpExtTCPSynRetrans", 0, "IpInReceives", 5,
			 "server", "nstat", "TcpExtListenOverflows", (json_int_t)overflows, "TcpOutRsts", 0, "acceptq",
			 "max", 3,
			 "expectations", "pass", passed);
}

/* A comparison of two columns: a has the given docs, b one doc. */
static void make(struct comparison *c, json_t **a, size_t a_count, json_t *b, int repeat)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->kind, sizeof(c->kind), "compare");
	snprintf(c->scenario, sizeof(c->scenario), "unit");
	snprintf(c->side, sizeof(c->side), "server");
	c->repeat = repeat;
	c->column_count = 2;
	c->columns = calloc(2, sizeof(*c->columns));
	snprintf(c->columns[0].label, sizeof(c->columns[0].label), "left");
	snprintf(c->columns[1].label, sizeof(c->columns[1].label), "right");
	c->columns[0].runs = calloc(a_count, sizeof(struct compare_run));
	c->columns[0].run_count = a_count;
	for (size_t i = 0; i < a_count; i++) {
		c->columns[0].runs[i].doc = a[i];
		snprintf(c->columns[0].runs[i].dir, sizeof(c->columns[0].runs[i].dir), "1-left/run-%zu", i);
	}
	c->columns[1].runs = calloc(1, sizeof(struct compare_run));
	c->columns[1].run_count = 1;
	c->columns[1].runs[0].doc = b;
}

static const struct compare_row *row(const struct compare_table *t, const char *path)
{
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->rows[i].path, path) == 0)
			return &t->rows[i];
	}
	return NULL;
}

static void test_median_and_spread(void)
{
	json_t *a[3] = { run_doc("complete", 1e6, 0, 34, 1), run_doc("complete", 3e6, 0, 30, 1),
			 run_doc("complete", 2e6, 0, 36, 1) };
	struct comparison c;
	struct compare_table t;
	struct tl_err err;
	const struct compare_row *r;
	char buf[128];

	make(&c, a, 3, run_doc("complete", 1.003e6, 2, 0, 0), 3);
	CHECK(compare_table_build(&c, &t, &err) == 0);
	r = row(&t, "client.wall_us");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK(r->cells[0].runs == 3);
		CHECK(r->cells[0].median == 2e6);
		CHECK(r->cells[0].min == 1e6 && r->cells[0].max == 3e6);
		compare_cell_format(r, &r->cells[0], 1, buf, sizeof(buf));
		CHECK_STR(buf, "2.000s (1.000s..3.000s)");
		compare_cell_format(r, &r->cells[1], 1, buf, sizeof(buf));
		CHECK_STR(buf, "1.003s");
		CHECK(r->differs);
	}
	r = row(&t, "server.nstat.TcpExtListenOverflows");
	CHECK(r != NULL && r->differs && r->cells[0].median == 34 && r->cells[1].median == 0);
	r = row(&t, "client.outcome.ok");
	CHECK(r != NULL && !r->differs);
	/* The typical replay is the one with the median wall time: the third. */
	CHECK(compare_column_typical(&c.columns[0]) == 2);
	compare_column_verdict(&c.columns[0], buf, sizeof(buf));
	CHECK_STR(buf, "passed 3/3 runs");
	CHECK(compare_column_all_held(&c.columns[0]) == 1);
	compare_column_verdict(&c.columns[1], buf, sizeof(buf));
	CHECK_STR(buf, "passed 0/1");
	CHECK(compare_column_all_held(&c.columns[1]) == 0);
	compare_table_free(&t);
	comparison_free(&c);
}

static void test_which_rows(void)
{
	json_t *a[1] = { run_doc("complete", 1e6, 0, 0, 1) };
	struct comparison c;
	struct compare_table t;
	struct tl_err err;

	make(&c, a, 1, run_doc("complete", 1e6, 0, 0, 1), 1);
	CHECK(compare_table_build(&c, &t, &err) == 0);
	/* No run has an amplification; counters that moved nowhere and non-TCP counters stay out. */
	CHECK(row(&t, "client.amplification") == NULL);
	CHECK(row(&t, "server.nstat.TcpExtListenOverflows") == NULL);
	CHECK(row(&t, "server.nstat.TcpOutRsts") == NULL);
	CHECK(row(&t, "client.nstat.IpInReceives") == NULL);
	CHECK(row(&t, "client.outcome.reset") != NULL);
	CHECK(row(&t, "server.acceptq.max") != NULL);
	/* Rows keep the reader's order: wall time first. */
	CHECK(t.count > 0 && strcmp(t.rows[0].path, "client.wall_us") == 0);
	compare_table_free(&t);
	comparison_free(&c);
}

static void test_incomplete_runs(void)
{
	json_t *a[3] = { run_doc("complete", 1e6, 0, 0, 1), run_doc("error", 9e6, 0, 0, 0), NULL };
	struct comparison c;
	struct compare_table t;
	struct tl_err err;
	const struct compare_row *r;
	char buf[128];

	make(&c, a, 3, run_doc("client-timeout", 1e6, 0, 0, 1), 1);
	snprintf(c.columns[0].runs[2].error, sizeof(c.columns[0].runs[2].error), "lab failed");
	CHECK(compare_table_build(&c, &t, &err) == 0);
	r = row(&t, "client.wall_us");
	/* Only the complete replay counts; the column with none shows "-". */
	CHECK(r != NULL && r->cells[0].runs == 1 && r->cells[0].median == 1e6 && r->cells[1].runs == 0);
	if (r != NULL) {
		compare_cell_format(r, &r->cells[1], 0, buf, sizeof(buf));
		CHECK_STR(buf, "-");
	}
	compare_column_status(&c.columns[0], buf, sizeof(buf));
	CHECK_STR(buf, "1/3 complete");
	compare_column_status(&c.columns[1], buf, sizeof(buf));
	CHECK_STR(buf, "client-timeout");
	CHECK(compare_column_complete(&c.columns[0]) == 1);
	compare_table_free(&t);
	comparison_free(&c);
}

static void test_formats(void)
{
	char buf[64];

	compare_value_format(COMPARE_US, 0, buf, sizeof(buf));
	CHECK_STR(buf, "0");
	compare_value_format(COMPARE_US, 1032749, buf, sizeof(buf));
	CHECK_STR(buf, "1.033s");
	compare_value_format(COMPARE_MS, 10, buf, sizeof(buf));
	CHECK_STR(buf, "10.0ms");
	compare_value_format(COMPARE_RATIO, 1.37961, buf, sizeof(buf));
	CHECK_STR(buf, "1.380x");
	compare_value_format(COMPARE_COUNT, 34, buf, sizeof(buf));
	CHECK_STR(buf, "34");
	compare_value_format(COMPARE_COUNT, 34.5, buf, sizeof(buf));
	CHECK_STR(buf, "34.5");
}

static void test_document_and_text(void)
{
	json_t *a[1] = { run_doc("complete", 1e6, 0, 34, 1) };
	struct comparison c;
	struct compare_table t;
	struct tl_err err;
	json_t *doc;
	char *text;

	make(&c, a, 1, run_doc("complete", 1e6, 4, 0, 0), 1);
	CHECK(compare_table_build(&c, &t, &err) == 0);
	doc = compare_doc_build(&c, &t);
	CHECK(doc != NULL);
	CHECK(json_integer_value(json_object_get(doc, "schema_version")) == COMPARE_SCHEMA_VERSION);
	CHECK_STR(json_string_value(json_object_get(doc, "kind")), "compare");
	CHECK(json_array_size(json_object_get(doc, "columns")) == 2);
	CHECK(json_real_value(json_object_get(
		      json_object_get(json_array_get(json_object_get(doc, "columns"), 1), "values"),
		      "client.outcome.reset")) == 4);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(doc, "columns"), 0),
						    "expectations")),
		  "passed 1/1");
	json_decref(doc);
	text = compare_render(&c, &t, SUMMARY_TERMINAL);
	CHECK(text != NULL && strstr(text, "left") != NULL && strstr(text, "right") != NULL);
	/* The reset row differs (0 vs 4), so it is marked. */
	CHECK(text != NULL && strstr(text, "* outcome reset") != NULL);
	CHECK(text != NULL && strstr(text, "  outcome ok") != NULL);
	free(text);
	text = compare_render(&c, &t, SUMMARY_MARKDOWN);
	CHECK(text != NULL && strncmp(text, "# compare: unit", 15) == 0 && strstr(text, "1-left/run-0") != NULL);
	free(text);
	compare_table_free(&t);
	comparison_free(&c);
}

int main(void)
{
	RUN(test_median_and_spread);
	RUN(test_which_rows);
	RUN(test_incomplete_runs);
	RUN(test_formats);
	RUN(test_document_and_text);
	return UNIT_END();
}
