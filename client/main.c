/* tcplab-client: load generator of tcplab (HTTP via libcurl multi, or bare connects), one record per connection. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdlimit.h"
#include "fdtable.h"
#include "grid.h"
#include "opts.h"
#include "record.h"
#include "run.h"
#include "summary.h"
#include "target.h"
#include "version.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static int fail(int status, const struct tl_err *err)
{
	fprintf(stderr, "tcplab-client: %s\n", err->msg);
	return status;
}

/* One run: records after the run (never on the hot path), then the summary. */
static int single_run(const struct client_opts *opts, FILE *records_out, FILE *summary_out, struct tl_err *err)
{
	struct run_result result;
	struct run_summary summary;
	int rc;

	if (run_execute(opts, &result, err) != 0)
		return -1;
	rc = summary_compute(opts, &result, &summary, err);
	if (rc == 0 && records_out != NULL)
		rc = records_write(records_out, result.records, result.record_count,
				   opts->records_jsonl >= 0 ? opts->records_jsonl : opts->json, err);
	run_result_free(&result);
	if (rc != 0)
		return -1;
	if (opts->json)
		summary_print_json(summary_out, opts, &summary);
	else if (!opts->quiet)
		summary_print_text(summary_out, opts, &summary);
	fflush(summary_out);
	return 0;
}

int main(int argc, char **argv)
{
	struct client_opts opts;
	struct tl_err err;
	FILE *records_out = NULL;
	FILE *summary_out = stdout;
	size_t fd_limit = 0;
	long max_workers;
	int rc;

	memset(&err, 0, sizeof(err));
	if (client_opts_parse(argc, argv, &opts, &err) != 0)
		return fail(EXIT_USAGE, &err);
	if (opts.help) {
		client_opts_usage(stdout);
		return 0;
	}
	if (opts.version) {
		printf("tcplab-client %s\n", tl_version());
		return 0;
	}
	if (opts.check) {
		if (opts.json)
			printf("{\"planned_connections\":%" PRId64 "}\n", run_planned_connections(&opts));
		return 0;
	}
	if (target_check_reachable(&opts.target, &err) != 0)
		return fail(EXIT_USAGE, &err);
	max_workers = opts.concurrency;
	for (size_t i = 0; i < opts.grid_count; i++)
		if (opts.grid[i] > max_workers)
			max_workers = opts.grid[i];
	if (fdlimit_raise(run_fds_needed(&opts, max_workers), &fd_limit, &err) != 0) {
		tl_err_wrap(&err, "--concurrency");
		return fail(EXIT_USAGE, &err);
	}
	if (opts.records_path != NULL) {
		if (strcmp(opts.records_path, "-") == 0) {
			records_out = stdout;
			/* stdout carries the records: keep it machine-readable. */
			summary_out = stderr;
		} else {
			/* Not through a symlink: a link planted where the records go does not lead the write elsewhere. */
			int fd = open(opts.records_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

			records_out = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (records_out == NULL) {
				if (fd >= 0)
					close(fd);
				tl_errf(&err, "--records: cannot open '%s': %s", opts.records_path, strerror(errno));
				return fail(EXIT_USAGE, &err);
			}
		}
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		tl_errf(&err, "curl_global_init failed");
		return fail(EXIT_RUNTIME, &err);
	}
	rc = run_prepare(fd_limit, &err);
	if (rc == 0) {
		if (opts.grid_count > 0)
			rc = grid_run(&opts, stdout, &err);
		else
			rc = single_run(&opts, records_out, summary_out, &err);
	}
	if (records_out != NULL && records_out != stdout && fclose(records_out) != 0 && rc == 0)
		rc = tl_errf(&err, "--records: writing '%s': %s", opts.records_path, strerror(errno));
	fdtable_free();
	curl_global_cleanup();
	if (rc != 0)
		return fail(EXIT_RUNTIME, &err);
	return 0;
}
