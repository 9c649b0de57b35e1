/* junit: run.json's "expectations" as <testcase> elements, written by libxml2's xmlTextWriter (never by hand). */
#include "junit.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "doc/results.h"
#include "report/jsonpath.h"
#include "unicode.h"

/* U+FFFD, what stands for a character that must not reach the file. */
#define REPLACEMENT "\xef\xbf\xbd"

/* How one expectation is reported. */
enum junit_outcome { JUNIT_PASS, JUNIT_FAILURE, JUNIT_SKIPPED };

/* The tallies of one suite (or of all). */
struct junit_counts {
	size_t tests, failures, errors, skipped;
};

/* The code point UTF-8 spells at p (its bytes in *len), or -1 when p does not start a well-formed sequence: no
 * overlong form, no surrogate, nothing above U+10FFFF (libxml2's xmlGetUTF8Char takes a stray continuation byte
 * as a lead byte, so the check is made here). */
static int utf8_next(const unsigned char *p, int *len)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	int cp;

	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf) {
		*len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		*len = 3;
		cp = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		*len = 4;
		cp = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		return -1;
	}
	/* The second byte has the narrowed range; the others any continuation byte. A NUL ends the check. */
	for (int i = 1; i < *len; i++) {
		unsigned char b = p[i];

		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf)) {
			*len = 1;
			return -1;
		}
		cp = (cp << 6) | (b & 0x3f);
	}
	return cp;
}

/* A copy of s that XML carries and a reader's terminal shows as it is: malformed UTF-8, C0 controls other than
 * tab and newline (CR and ESC among them), DEL, C1 controls, invisible format characters (bidi overrides, zero
 * widths: unicode_invisible) and the non-characters XML refuses become U+FFFD.
 * libxml2 escapes the rest (<, &, quotes). NULL when out of memory. */
static xmlChar *inert(const char *s)
{
	/* Every input byte becomes at most the three bytes of U+FFFD. */
	xmlChar *out = malloc(strlen(s) * 3 + 1);
	size_t used = 0;
	const unsigned char *p = (const unsigned char *)s;

	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		int len;
		int c = utf8_next(p, &len);
		int keep = c >= 0 && (c == '\t' || c == '\n' || (c >= 0x20 && c < 0x7f) ||
				      (c > 0x9f && c != 0xfffe && c != 0xffff && !unicode_invisible((uint32_t)c)));

		if (keep) {
			memcpy(out + used, p, (size_t)len);
			used += (size_t)len;
		} else {
			memcpy(out + used, REPLACEMENT, 3);
			used += 3;
		}
		p += len;
	}
	out[used] = '\0';
	return out;
}

/* Write attribute name="value" with value made inert; < 0 on failure. */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	xmlChar *safe = inert(value != NULL ? value : "");
	int rc;

	if (safe == NULL)
		return -1;
	rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, safe);
	free(safe);
	return rc;
}

/* Write value, made inert, as the current element's text; < 0 on failure. */
static int text(xmlTextWriterPtr w, const char *value)
{
	xmlChar *safe = inert(value);
	int rc;

	if (safe == NULL)
		return -1;
	rc = xmlTextWriterWriteString(w, safe);
	free(safe);
	return rc;
}

static const char *str_at(json_t *doc, const char *path)
{
	return json_string_value(jsonpath_get(doc, path));
}

/* An expectation's status as run.json spells it ("pass", "fail", "unknown", "unavailable"); documents written
 * before statuses existed have only "pass". */
static const char *status_of(json_t *e)
{
	const char *status = json_string_value(json_object_get(e, "status"));

	if (status != NULL)
		return status;
	return json_is_true(json_object_get(e, "pass")) ? "pass" : "fail";
}

static enum junit_outcome outcome_of(json_t *e, int strict)
{
	const char *status = status_of(e);

	if (strcmp(status, "pass") == 0)
		return JUNIT_PASS;
	if (strcmp(status, "unknown") == 0 || strcmp(status, "unavailable") == 0)
		return strict ? JUNIT_FAILURE : JUNIT_SKIPPED;
	/* "fail", and anything a document should not hold. */
	return JUNIT_FAILURE;
}

/* The error a suite reports as one testcase: the caller's, or the document's own when the run stopped with an
 * error or was interrupted; NULL when the run ended as it should. */
static const char *run_error(const struct junit_suite *s)
{
	const char *status = str_at(s->doc, "run.status");

	if (s->error != NULL && s->error[0] != '\0')
		return s->error;
	if (s->doc == NULL)
		return "the run produced no result";
	if (status != NULL && strcmp(status, "error") == 0) {
		const char *why = str_at(s->doc, "run.error");

		return why != NULL ? why : "the run ended with an error";
	}
	if (status != NULL && strcmp(status, "interrupted") == 0)
		return "the run was interrupted";
	return NULL;
}

static struct junit_counts count_suite(const struct junit_suite *s, int strict)
{
	struct junit_counts c = { 0 };
	json_t *e;
	size_t i;

	if (run_error(s) != NULL) {
		c.tests++;
		c.errors++;
	}
	json_array_foreach(json_object_get(s->doc, "expectations"), i, e) {
		enum junit_outcome o = outcome_of(e, strict);

		c.tests++;
		c.failures += o == JUNIT_FAILURE;
		c.skipped += o == JUNIT_SKIPPED;
	}
	return c;
}

static int write_counts(xmlTextWriterPtr w, const struct junit_counts *c)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", c->tests) < 0 ||
			       xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", c->failures) < 0 ||
			       xmlTextWriterWriteFormatAttribute(w, BAD_CAST "errors", "%zu", c->errors) < 0 ||
			       xmlTextWriterWriteFormatAttribute(w, BAD_CAST "skipped", "%zu", c->skipped) < 0
		       ? -1
		       : 0;
}

static int property(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return 0;
	return xmlTextWriterStartElement(w, BAD_CAST "property") < 0 || attr(w, "name", name) < 0 ||
		       attr(w, "value", value) < 0 || xmlTextWriterEndElement(w) < 0
		       ? -1
		       : 0;
}

/* What a run was: scenario, profiles, kernel, status, results folder. */
static int properties(xmlTextWriterPtr w, const struct junit_suite *s)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "properties") < 0 ||
	    property(w, "scenario", str_at(s->doc, "run.scenario")) < 0 ||
	    property(w, "server_profile", str_at(s->doc, "server.profile")) < 0 ||
	    property(w, "client_profile", str_at(s->doc, "client.profile")) < 0 ||
	    property(w, "kernel", str_at(s->doc, "run.kernel")) < 0 ||
	    property(w, "status", str_at(s->doc, "run.status")) < 0 || property(w, "results", s->dir) < 0)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* "seen 34, expected >= 1", or what stood in for the value. */
static void failure_message(json_t *e, char *buf, size_t len)
{
	const char *reason = json_string_value(json_object_get(e, "reason"));
	const char *op = json_string_value(json_object_get(e, "op"));
	json_t *seen = json_object_get(e, "seen");
	json_t *expected = json_object_get(e, "expected");
	char want[96] = "";

	if (op != NULL && json_is_number(expected))
		snprintf(want, sizeof(want), ", expected %.40s %.10g", op, json_number_value(expected));
	if (strcmp(status_of(e), "unknown") == 0 || strcmp(status_of(e), "unavailable") == 0)
		snprintf(buf, len, "%s: %s", strcmp(status_of(e), "unknown") == 0 ? "UNKNOWN" : "UNAVAILABLE",
			 reason != NULL ? reason : "not recorded in this run");
	else if (json_is_number(seen))
		snprintf(buf, len, "seen %.10g%s", json_number_value(seen), want);
	else
		snprintf(buf, len, "no such value in the run%s", want);
}

static int testcase(xmlTextWriterPtr w, const char *suite, json_t *e, int strict)
{
	enum junit_outcome o = outcome_of(e, strict);
	const char *name = json_string_value(json_object_get(e, "text"));
	char message[1024];

	failure_message(e, message, sizeof(message));
	if (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
	    attr(w, "name", name != NULL ? name : json_string_value(json_object_get(e, "path"))) < 0 ||
	    attr(w, "classname", suite) < 0)
		return -1;
	switch (o) {
	case JUNIT_PASS:
		break;
	case JUNIT_FAILURE:
		if (xmlTextWriterStartElement(w, BAD_CAST "failure") < 0 || attr(w, "message", message) < 0 ||
		    attr(w, "type", strcmp(status_of(e), "fail") == 0 ? "FAIL" : status_of(e)) < 0 ||
		    text(w, message) < 0 || xmlTextWriterEndElement(w) < 0)
			return -1;
		break;
	case JUNIT_SKIPPED:
		if (xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0 || attr(w, "message", message) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
		break;
	}
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int suite(xmlTextWriterPtr w, const struct junit_suite *s, int strict)
{
	struct junit_counts c = count_suite(s, strict);
	const char *error = run_error(s);
	const char *started = str_at(s->doc, "run.started");
	json_t *wall_us = jsonpath_get(s->doc, "client.wall_us");
	json_t *e;
	size_t i;

	if (xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 || attr(w, "name", s->name) < 0 ||
	    write_counts(w, &c) < 0)
		return -1;
	if (json_is_number(wall_us) &&
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.3f", json_number_value(wall_us) / 1e6) < 0)
		return -1;
	if (started != NULL && attr(w, "timestamp", started) < 0)
		return -1;
	if (s->doc != NULL && properties(w, s) < 0)
		return -1;
	if (error != NULL &&
	    (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 || attr(w, "name", "run") < 0 ||
	     attr(w, "classname", s->name) < 0 || xmlTextWriterStartElement(w, BAD_CAST "error") < 0 ||
	     attr(w, "message", error) < 0 || attr(w, "type", "error") < 0 || xmlTextWriterEndElement(w) < 0 ||
	     xmlTextWriterEndElement(w) < 0))
		return -1;
	json_array_foreach(json_object_get(s->doc, "expectations"), i, e) {
		if (testcase(w, s->name, e, strict) < 0)
			return -1;
	}
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

void junit_run_name(json_t *doc, const char *scenario, char *buf, size_t len)
{
	const char *name = str_at(doc, "run.scenario");
	const char *server = str_at(doc, "server.profile");
	const char *client = str_at(doc, "client.profile");

	if (name == NULL)
		name = scenario;
	if (server == NULL || client == NULL)
		snprintf(buf, len, "%s", name);
	else if (strcmp(server, client) == 0)
		snprintf(buf, len, "%s [%s]", name, server);
	else
		snprintf(buf, len, "%s [server=%s,client=%s]", name, server, client);
}

char *junit_render(const struct junit_suite *suites, size_t n, int strict, size_t *len, struct tl_err *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf != NULL ? xmlNewTextWriterMemory(buf, 0) : NULL;
	struct junit_counts total = { 0 };
	char *out = NULL;
	int bad;

	if (w == NULL) {
		xmlBufferFree(buf);
		tl_errf(err, "out of memory starting the JUnit document");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct junit_counts c = count_suite(&suites[i], strict);

		total.tests += c.tests;
		total.failures += c.failures;
		total.errors += c.errors;
		total.skipped += c.skipped;
	}
	bad = xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	      xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0 || attr(w, "name", "tcplab") < 0 ||
	      write_counts(w, &total) < 0;
	for (size_t i = 0; i < n && !bad; i++)
		bad = suite(w, &suites[i], strict) < 0;
	bad = bad || xmlTextWriterEndDocument(w) < 0;
	/* Freeing the writer flushes it into buf. */
	xmlFreeTextWriter(w);
	if (!bad) {
		*len = (size_t)xmlBufferLength(buf);
		out = malloc(*len + 2);
		if (out != NULL) {
			memcpy(out, xmlBufferContent(buf), *len);
			/* A text file ends with a newline; the writer stops after the root's end tag. */
			if (*len == 0 || out[*len - 1] != '\n')
				out[(*len)++] = '\n';
			out[*len] = '\0';
		}
	}
	xmlBufferFree(buf);
	if (out == NULL)
		tl_errf(err, "writing the JUnit document failed (out of memory)");
	return out;
}

int junit_write(const char *path, const struct junit_suite *suites, size_t n, int strict, struct tl_err *err)
{
	size_t len = 0;
	char *xml = junit_render(suites, n, strict, &len, err);
	int rc;

	if (xml == NULL)
		return tl_err_wrap(err, "%s", path);
	rc = results_write_file(path, xml, len, err);
	free(xml);
	return rc;
}
