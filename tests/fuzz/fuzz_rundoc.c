/* fuzz_rundoc: any bytes as a run.json given to tcplab report: checked, then rendered as text and Markdown. */
#include <stdio.h>
#include <stdlib.h>

#include "input.h"
#include "report/doc_check.h"
#include "report/explain.h"
#include "report/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tl_err err;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (doc == NULL)
		return 0;
	/* Only what passes the check reaches the renderers, as in tcplab report. */
	if (doc_check_run(doc, "run.json", &err) == 0) {
		FILE *sink = fopen("/dev/null", "w");

		free(summary_render(doc, SUMMARY_TERMINAL));
		free(summary_render(doc, SUMMARY_MARKDOWN));
		if (sink != NULL) {
			explain_run(doc, sink);
			fclose(sink);
		}
	}
	json_decref(doc);
	return 0;
}
