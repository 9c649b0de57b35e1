/* junit_merge: several JUnit files into one <testsuites>, parsed and written by libxml2 (no network, no entities). */
#include "junit.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "doc/results.h"
#include "parse.h"

/* The largest JUnit file taken: a catalogue's verdicts are kilobytes. */
#define JUNIT_FILE_MAX_BYTES (64LL << 20)

/* The counters a <testsuites> adds up, in the order they are written. */
static const char *const counters[] = { "tests", "failures", "errors", "skipped" };
#define COUNTER_COUNT (sizeof(counters) / sizeof(counters[0]))

static int is_element(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST name) == 0;
}

/* Add a <testsuite>'s counters to totals; a missing one counts zero, a bad one is refused. */
static int add_counts(xmlNodePtr suite, const char *path, long long totals[COUNTER_COUNT], struct tl_err *err)
{
	for (size_t i = 0; i < COUNTER_COUNT; i++) {
		xmlChar *value = xmlGetProp(suite, BAD_CAST counters[i]);
		long v = 0;
		int rc = value == NULL ? 0 : parse_long((const char *)value, 0, 100000000, &v, counters[i], err);

		xmlFree(value);
		if (rc != 0)
			return tl_err_wrap(err, "%s: <testsuite>", path);
		totals[i] += v;
	}
	return 0;
}

/* The file at path read whole, as untrusted input: a plain file (no FIFO, no symlink, no "-" for stdin), bounded,
 * and never decompressed (libxml2's own file reader would inflate gzip or xz). */
static xmlDocPtr read_untrusted(const char *path, struct tl_err *err)
{
	FILE *f = csv_open_untrusted(path, JUNIT_FILE_MAX_BYTES, err);
	char *buf;
	size_t len;
	xmlDocPtr doc;
	struct stat st;

	if (f == NULL)
		return NULL;
	buf = fstat(fileno(f), &st) == 0 && st.st_size < INT32_MAX ? malloc((size_t)st.st_size + 1) : NULL;
	if (buf == NULL) {
		fclose(f);
		tl_errf(err, "%s: cannot be read into memory", path);
		return NULL;
	}
	len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	/* Our own files, but read as anyone's: no network, no DTD loading, no entity substitution. */
	doc = xmlReadMemory(buf, (int)len, path, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(buf);
	if (doc == NULL)
		tl_errf(err, "%s: not an XML document", path);
	return doc;
}

/* Copy every <testsuite> of the file at path under root. */
static int take_file(const char *path, xmlNodePtr root, long long totals[COUNTER_COUNT], struct tl_err *err)
{
	xmlDocPtr in = read_untrusted(path, err);
	xmlNodePtr top = in != NULL ? xmlDocGetRootElement(in) : NULL;
	int rc = 0;

	if (in == NULL)
		return -1;
	if (top == NULL) {
		xmlFreeDoc(in);
		return tl_errf(err, "%s: not an XML document", path);
	}
	/* A JUnit file has no use for a DTD; its entities would be copied out as references to nothing. */
	if (in->intSubset != NULL || in->extSubset != NULL) {
		xmlFreeDoc(in);
		return tl_errf(err, "%s: a JUnit file with a DTD (<!DOCTYPE>) is not taken", path);
	}
	if (is_element(top, "testsuite")) {
		rc = add_counts(top, path, totals, err);
		if (rc == 0 && xmlAddChild(root, xmlDocCopyNode(top, root->doc, 1)) == NULL)
			rc = tl_errf(err, "out of memory merging %s", path);
	} else if (is_element(top, "testsuites")) {
		for (xmlNodePtr s = top->children; s != NULL && rc == 0; s = s->next) {
			if (!is_element(s, "testsuite"))
				continue;
			rc = add_counts(s, path, totals, err);
			if (rc == 0 && xmlAddChild(root, xmlDocCopyNode(s, root->doc, 1)) == NULL)
				rc = tl_errf(err, "out of memory merging %s", path);
		}
	} else {
		rc = tl_errf(err, "%s: the root element is neither <testsuites> nor <testsuite>", path);
	}
	xmlFreeDoc(in);
	return rc;
}

int junit_merge(const char *path, char *const *inputs, size_t n, struct tl_err *err)
{
	xmlDocPtr out = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = out != NULL ? xmlNewDocNode(out, NULL, BAD_CAST "testsuites", NULL) : NULL;
	long long totals[COUNTER_COUNT] = { 0 };
	xmlChar *text = NULL;
	int len = 0;
	int rc = 0;

	if (root == NULL) {
		xmlFreeDoc(out);
		return tl_errf(err, "out of memory starting %s", path);
	}
	xmlDocSetRootElement(out, root);
	xmlNewProp(root, BAD_CAST "name", BAD_CAST "tcplab");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = take_file(inputs[i], root, totals, err);
	for (size_t i = 0; i < COUNTER_COUNT && rc == 0; i++) {
		char value[32];

		snprintf(value, sizeof(value), "%lld", totals[i]);
		if (xmlNewProp(root, BAD_CAST counters[i], BAD_CAST value) == NULL)
			rc = tl_errf(err, "out of memory merging into %s", path);
	}
	if (rc == 0) {
		xmlDocDumpFormatMemoryEnc(out, &text, &len, "UTF-8", 1);
		if (text == NULL)
			rc = tl_errf(err, "out of memory writing %s", path);
	}
	if (rc == 0)
		rc = results_write_file(path, (const char *)text, (size_t)len, err);
	xmlFree(text);
	xmlFreeDoc(out);
	return rc;
}
