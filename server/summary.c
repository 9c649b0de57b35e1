/* summary: human and JSON forms of the final counters. */
#include "summary.h"

#include <inttypes.h>
#include <stdatomic.h>

#include "parse.h"

/* Accepts of one slot. */
static uint64_t slot_accepted(const struct counters *slot)
{
	return atomic_load_explicit(&slot->accepted, memory_order_relaxed);
}

/*
 * Keys and string values are fixed by this program (engine and discipline names are
 * built from known words and numbers), so nothing needs JSON escaping.
 */
static void print_json(FILE *out, const struct summary_info *info, const struct counter_totals *t)
{
	char discipline[64];

	opts_format_discipline(info->opts, discipline, sizeof(discipline));
	fprintf(out, "{\"engine\":\"%s\",\"discipline\":\"%s\",\"backlog\":%ld,\"effective_backlog\":%ld,"
		     "\"somaxconn\":%ld,",
		opts_engine_name(info->opts->engine), discipline, info->opts->backlog, info->effective_backlog,
		info->somaxconn);
	fprintf(out, "\"accepted\":%" PRIu64 ",\"requests\":%" PRIu64 ",\"responses\":%" PRIu64
		     ",\"closed_by_peer\":%" PRIu64 ",\"errors\":{",
		t->accepted, t->requests, t->responses, t->closed_by_peer);
	for (int c = 0; c < ERR_CLASS_COUNT; c++)
		fprintf(out, "%s\"%s\":%" PRIu64, c ? "," : "", err_class_name((enum err_class)c), t->errors[c]);
	fprintf(out, "},\"per_process_accepted\":[");
	for (size_t i = 0; i < info->nslots; i++)
		fprintf(out, "%s%" PRIu64, i ? "," : "", slot_accepted(&info->slots[i]));
	fprintf(out, "],\"elapsed_us\":%" PRId64 "}\n", info->elapsed_us);
}

static void print_human(FILE *out, const struct summary_info *info, const struct counter_totals *t)
{
	char discipline[64];
	char elapsed[32];

	opts_format_discipline(info->opts, discipline, sizeof(discipline));
	format_duration_us(info->elapsed_us, elapsed, sizeof(elapsed));
	fprintf(out, "engine %s, discipline %s, backlog %ld (effective %ld, somaxconn %ld), ran %s\n",
		opts_engine_name(info->opts->engine), discipline, info->opts->backlog, info->effective_backlog,
		info->somaxconn, elapsed);
	fprintf(out, "accepted %" PRIu64 ", requests %" PRIu64 ", responses %" PRIu64 ", closed by peer %" PRIu64 "\n",
		t->accepted, t->requests, t->responses, t->closed_by_peer);
	fprintf(out, "errors:");
	for (int c = 0; c < ERR_CLASS_COUNT; c++)
		fprintf(out, " %s %" PRIu64, err_class_name((enum err_class)c), t->errors[c]);
	fprintf(out, "\n");
	if (info->nslots > 1) {
		fprintf(out, "accepted per process:");
		for (size_t i = 0; i < info->nslots; i++)
			fprintf(out, " %" PRIu64, slot_accepted(&info->slots[i]));
		fprintf(out, "\n");
	}
}

void summary_print(FILE *out, const struct summary_info *info)
{
	struct counter_totals totals;

	counters_sum(info->slots, info->nslots, &totals);
	if (info->opts->json)
		print_json(out, info, &totals);
	else
		print_human(out, info, &totals);
	fflush(out);
}
