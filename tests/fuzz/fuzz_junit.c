/* fuzz_junit: JUnit files from run documents whose strings are any bytes, and junit-merge of any file: what is
 * written is always well-formed XML without a raw control character. */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "report/junit.h"

/* Abort unless text is well-formed XML holding no C0 control but tab and newline (and no ESC, DEL). */
static void check_xml(const char *text, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)len, "fuzz.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
									XML_PARSE_NOWARNING);

	if (doc == NULL)
		abort();
	xmlFreeDoc(doc);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			abort();
	}
}

/* The first line is an expectation's text, the suite's name and a reason; the rest an error message. Then the
 * whole input as a JUnit file to merge. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	char *first;
	const char *rest = fuzz_split(text, &first);
	json_t *doc = json_object();
	json_t *list = json_array();
	struct junit_suite suites[2];
	struct tl_err err;
	size_t len = 0;
	char *xml;
	char in[300];
	char out[300];
	char *inputs[1];

	json_object_set_new(doc, "run", json_pack("{s:o, s:s, s:o}", "scenario", json_string_nocheck(first), "status",
						  "error", "error", json_string_nocheck(rest)));
	json_array_append_new(list, json_pack("{s:o, s:s, s:f, s:f, s:s}", "text", json_string_nocheck(first), "op",
					      "==", "expected", 2.0, "seen", 1.0, "status", "fail"));
	json_array_append_new(list, json_pack("{s:o, s:s, s:o}", "text", json_string_nocheck(rest), "status",
					      "unavailable", "reason", json_string_nocheck(first)));
	json_object_set_new(doc, "expectations", list);
	suites[0] = (struct junit_suite){ .name = first, .doc = doc, .dir = rest };
	suites[1] = (struct junit_suite){ .name = rest, .error = first };
	xml = junit_render(suites, 2, (int)(size % 2), &len, &err);
	if (xml == NULL)
		abort();
	check_xml(xml, len);
	free(xml);
	json_decref(doc);

	/* fuzz_file's path is its own buffer, reused by the next call: the output is named beside the input. */
	snprintf(in, sizeof(in), "%s", fuzz_file("in.xml", data, size));
	snprintf(out, sizeof(out), "%s", in);
	memcpy(out + strlen(out) - strlen("in.xml"), "ou.xml", strlen("ou.xml"));
	inputs[0] = in;
	if (junit_merge(out, inputs, 1, &err) == 0) {
		xmlDocPtr back = xmlReadFile(out, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

		if (back == NULL)
			abort();
		xmlFreeDoc(back);
	}
	free(text);
	return 0;
}
