/* test_junit: the JUnit file built from the report fixture's run.json, read back by libxml2's parser: well-formed,
 * the right counts, crafted expectation text inert; the merge adds files up and refuses what is not JUnit. */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/junit.h"
#include "unit.h"

/* An expectation's text with everything an XML file or a terminal could take for markup or control. */
#define CRAFTED "a < b && c > \"d\" 'e' ]]> \x01\x1b[31m\r\x7f \xc2\x9b \xe2\x80\xae end"
/* What it reads as in the file: the markup characters as they were, the controls as U+FFFD. */
#define CRAFTED_READ "a < b && c > \"d\" 'e' ]]> \xef\xbf\xbd\xef\xbf\xbd[31m\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd end"
#define FFFD "\xef\xbf\xbd"
/* Not UTF-8: stray bytes, stray continuation bytes, an overlong '/', a surrogate, beyond U+10FFFF, a cut
 * sequence; and a 4-byte character that is. */
#define BAD_UTF8 "bad \xff\xfe \xb8\xb8 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf0\x9f\x98\x80 \xc3"
#define BAD_UTF8_READ "bad " FFFD FFFD " " FFFD FFFD " " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD FFFD FFFD \
	" \xf0\x9f\x98\x80 " FFFD

/* The fixture (every expectation passed) with one of each other verdict added. */
static json_t *fixture(void)
{
	json_t *doc = json_load_file("tests/report/run/run.json", 0, NULL);
	json_t *list = json_object_get(doc, "expectations");

	if (doc == NULL || !json_is_array(list))
		return NULL;
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:f, s:i, s:b, s:s}", "text", "client.outcome.ok == 1",
					      "path", "client.outcome.ok", "op", "==", "expected", 1.0, "seen", 100,
					      "pass", 0, "status", "fail"));
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:f, s:n, s:b, s:s, s:s}", "text", CRAFTED, "path",
					      "packets.x", "op", ">=", "expected", 1.0, "seen", "pass", 0, "status",
					      "unavailable", "reason", "no capture in this run <&>"));
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:f, s:n, s:b, s:s, s:s}", "text",
					      "packets.retrans >= 1", "path", "packets.retrans", "op", ">=", "expected",
					      1.0, "seen", "pass", 0, "status", "unknown", "reason", "capture lost packets"));
	/* Written before statuses existed: only "pass". */
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:f, s:n, s:b}", "text", "server.x > 2", "path",
					      "server.x", "op", ">", "expected", 2.0, "seen", "pass", 0));
	/* Not valid UTF-8: jansson keeps it when told not to check, the file must not. */
	json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:f, s:i, s:b, s:s}", "text",
					      json_string_nocheck(BAD_UTF8), "path", "server.y", "op",
					      "==", "expected", 1.0, "seen", 1, "pass", 1, "status", "pass"));
	return doc;
}

static double xpath_number(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res = ctx != NULL ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	double v = res != NULL ? xmlXPathCastToNumber(res) : -1;

	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return v;
}

/* The string an XPath expression gives (the caller frees it), "" when nothing matched. */
static char *xpath_string(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res = ctx != NULL ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	xmlChar *s = res != NULL ? xmlXPathCastToString(res) : NULL;
	char *out = strdup(s != NULL ? (const char *)s : "");

	xmlFree(s);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return out;
}

/* Parse text strictly (no recovery, no network): NULL when it is not well-formed XML. */
static xmlDocPtr parse(const char *text, size_t len)
{
	return xmlReadMemory(text, (int)len, "junit.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static void test_counts_and_inert_text(void)
{
	json_t *doc = fixture();
	json_t *error_doc = fixture();
	struct junit_suite suites[3];
	struct tl_err err;
	size_t len = 0;
	char *xml;
	xmlDocPtr x;
	char *s;

	CHECK(doc != NULL && error_doc != NULL);
	if (doc == NULL || error_doc == NULL)
		return;
	json_object_set_new(json_object_get(error_doc, "run"), "status", json_string("error"));
	json_object_set_new(json_object_get(error_doc, "run"), "error", json_string("server exited <1> \x1b[0m"));
	suites[0] = (struct junit_suite){ .name = "syn-drop-when-full [default]", .doc = doc, .dir = "results/x" };
	suites[1] = (struct junit_suite){ .name = "syn-drop-when-full [other]", .doc = NULL,
					  .error = "lab set-up failed: veth & <ns>" };
	suites[2] = (struct junit_suite){ .name = "syn-drop-when-full [third]", .doc = error_doc };
	xml = junit_render(suites, 3, 0, &len, &err);
	CHECK(xml != NULL && len == strlen(xml));
	if (xml == NULL)
		return;
	/* No raw control byte, and the markup characters of the text escaped. */
	CHECK(strchr(xml, '\x01') == NULL && strchr(xml, '\x1b') == NULL && strchr(xml, '\x7f') == NULL &&
	      strchr(xml, '\r') == NULL && strstr(xml, "\xc2\x9b") == NULL && strstr(xml, "\xff") == NULL);
	CHECK(strstr(xml, "a &lt; b &amp;&amp; c &gt;") != NULL);
	x = parse(xml, len);
	CHECK(x != NULL);
	if (x == NULL) {
		printf("FAIL not well-formed:\n%s\n", xml);
		free(xml);
		return;
	}
	/* 6 fixture expectations + 5 added, twice, and two error testcases. */
	CHECK(xpath_number(x, "count(/testsuites/testsuite)") == 3);
	CHECK(xpath_number(x, "count(//testcase)") == 24);
	CHECK(xpath_number(x, "count(//testcase[failure])") == 4);
	CHECK(xpath_number(x, "count(//testcase[skipped])") == 4);
	CHECK(xpath_number(x, "count(//testcase[error])") == 2);
	CHECK(xpath_number(x, "/testsuites/@tests") == 24);
	CHECK(xpath_number(x, "/testsuites/@failures") == 4);
	CHECK(xpath_number(x, "/testsuites/@skipped") == 4);
	CHECK(xpath_number(x, "/testsuites/@errors") == 2);
	CHECK(xpath_number(x, "/testsuites/testsuite[1]/@tests") == 11);
	CHECK(xpath_number(x, "/testsuites/testsuite[2]/@tests") == 1);
	CHECK(xpath_number(x, "/testsuites/testsuite[3]/@errors") == 1);
	CHECK(xpath_number(x, "count(//testcase[@classname='syn-drop-when-full [default]'])") == 11);
	/* The failure says what was seen; the skipped test why. */
	s = xpath_string(x, "/testsuites/testsuite[1]/testcase[@name='client.outcome.ok == 1']/failure/@message");
	CHECK_STR(s, "seen 100, expected == 1");
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[1]/testcase[@name='server.x > 2']/failure/@message");
	CHECK_STR(s, "no such value in the run, expected > 2");
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[1]/testcase[8]/@name");
	CHECK_STR(s, CRAFTED_READ);
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[1]/testcase[8]/skipped/@message");
	CHECK_STR(s, "UNAVAILABLE: no capture in this run <&>");
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[1]/testcase[11]/@name");
	CHECK_STR(s, BAD_UTF8_READ);
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[1]/properties/property[@name='results']/@value");
	CHECK_STR(s, "results/x");
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[2]/testcase/error/@message");
	CHECK_STR(s, "lab set-up failed: veth & <ns>");
	free(s);
	s = xpath_string(x, "/testsuites/testsuite[3]/testcase[1]/error/@message");
	CHECK_STR(s, "server exited <1> " FFFD "[0m");
	free(s);
	xmlFreeDoc(x);
	free(xml);

	/* --strict: the unavailable and unknown verdicts are failures. */
	xml = junit_render(suites, 3, 1, &len, &err);
	x = xml != NULL ? parse(xml, len) : NULL;
	CHECK(x != NULL);
	if (x != NULL) {
		CHECK(xpath_number(x, "/testsuites/@failures") == 8);
		CHECK(xpath_number(x, "/testsuites/@skipped") == 0);
		CHECK(xpath_number(x, "count(//failure[@type='unavailable'])") == 2);
		CHECK(xpath_number(x, "count(//skipped)") == 0);
		xmlFreeDoc(x);
	}
	free(xml);
	json_decref(doc);
	json_decref(error_doc);
}

static void test_run_name(void)
{
	json_t *doc = json_load_file("tests/report/run/run.json", 0, NULL);
	char name[256];

	CHECK(doc != NULL);
	json_object_set_new(doc, "server", json_pack("{s:s}", "profile", "syncookies-off"));
	json_object_set_new(doc, "client", json_pack("{s:s}", "profile", "default"));
	junit_run_name(doc, "ignored", name, sizeof(name));
	CHECK_STR(name, "syn-drop-when-full [server=syncookies-off,client=default]");
	json_object_set_new(doc, "client", json_pack("{s:s}", "profile", "syncookies-off"));
	junit_run_name(doc, "ignored", name, sizeof(name));
	CHECK_STR(name, "syn-drop-when-full [syncookies-off]");
	junit_run_name(NULL, "accept-queue", name, sizeof(name));
	CHECK_STR(name, "accept-queue");
	json_decref(doc);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* Files are written whole, and the merge adds their suites and totals up. */
static void test_write_and_merge(void)
{
	char dir[] = "/tmp/tcplab-junit.XXXXXX";
	char one[128], two[128], merged[128], bad[128];
	char *inputs[2] = { one, two };
	json_t *doc = fixture();
	struct junit_suite suite = { .name = "s [p]", .doc = doc };
	struct junit_suite failed = { .name = "s [q]", .error = "no lab" };
	struct tl_err err;
	xmlDocPtr x;

	CHECK(doc != NULL && mkdtemp(dir) != NULL);
	snprintf(one, sizeof(one), "%s/one.xml", dir);
	snprintf(two, sizeof(two), "%s/two.xml", dir);
	snprintf(merged, sizeof(merged), "%s/all.xml", dir);
	snprintf(bad, sizeof(bad), "%s/bad.xml", dir);
	CHECK(junit_write(one, &suite, 1, 0, &err) == 0);
	/* Written again over the first: renamed into place. */
	CHECK(junit_write(one, &suite, 1, 0, &err) == 0);
	CHECK(junit_write(two, &failed, 1, 0, &err) == 0);
	CHECK(junit_merge(merged, inputs, 2, &err) == 0);
	x = xmlReadFile(merged, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	CHECK(x != NULL);
	if (x != NULL) {
		CHECK(xpath_number(x, "count(/testsuites/testsuite)") == 2);
		CHECK(xpath_number(x, "/testsuites/@tests") == 12);
		CHECK(xpath_number(x, "/testsuites/@failures") == 2);
		CHECK(xpath_number(x, "/testsuites/@skipped") == 2);
		CHECK(xpath_number(x, "/testsuites/@errors") == 1);
		CHECK(xpath_number(x, "count(//testcase)") == 12);
		xmlFreeDoc(x);
	}
	/* Not JUnit, not XML, and a DTD with an entity: refused, nothing written. */
	CHECK(write_text(bad, "<html><testsuite/></html>") == 0);
	inputs[1] = bad;
	CHECK(junit_merge(merged, inputs, 2, &err) != 0 && strstr(err.msg, "neither") != NULL);
	CHECK(write_text(bad, "<testsuites><testsuite") == 0);
	CHECK(junit_merge(merged, inputs, 2, &err) != 0 && strstr(err.msg, "not an XML document") != NULL);
	CHECK(write_text(bad, "<!DOCTYPE t [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
			      "<testsuites><testsuite name=\"s\" tests=\"1\">&e;</testsuite></testsuites>") == 0);
	CHECK(junit_merge(merged, inputs, 2, &err) != 0 && strstr(err.msg, "DTD") != NULL);
	CHECK(write_text(bad, "<!DOCTYPE t [<!ENTITY e \"x\">]><testsuites><testsuite name=\"&e;\" tests=\"1\"/>"
			      "</testsuites>") == 0);
	CHECK(junit_merge(merged, inputs, 2, &err) != 0 && strstr(err.msg, "DTD") != NULL);
	CHECK(access(merged, F_OK) == 0);
	CHECK(write_text(bad, "<testsuite name=\"x\" tests=\"-3\"/>") == 0);
	CHECK(junit_merge(merged, inputs, 2, &err) != 0);
	unlink(one);
	unlink(two);
	unlink(merged);
	unlink(bad);
	CHECK(rmdir(dir) == 0);
	json_decref(doc);
}

int main(void)
{
	const char *srcdir = getenv("TCPLAB_SRCDIR");

	/* The fixture is read from the source tree. */
	if (srcdir != NULL && srcdir[0] != '\0' && chdir(srcdir) != 0) {
		printf("FAIL cannot enter TCPLAB_SRCDIR=%s\n", srcdir);
		return 1;
	}
	RUN(test_counts_and_inert_text);
	RUN(test_run_name);
	RUN(test_write_and_merge);
	xmlCleanupParser();
	return UNIT_END();
}
