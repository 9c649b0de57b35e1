/* record: syn_retrans estimates and CSV / JSON-lines output of per-connection records. */
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "outcome.h"
#include "stats.h"

static const char *syn_source_name(enum syn_source src)
{
	switch (src) {
	case SYN_SRC_NONE:
		return "none";
	case SYN_SRC_TCP_INFO:
		return "tcp_info";
	case SYN_SRC_BAND:
		return "band";
	}
	return "?";
}

void records_estimate_syn(struct conn_record *records, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct conn_record *r = &records[i];

		/* Only a finished handshake has a connect time to read a band from. */
		if (!(r->flags & RECORD_STARTED) || (r->flags & RECORD_REUSED) || r->syn_src != SYN_SRC_NONE ||
		    r->connect_us < 0)
			continue;
		/* The band index is the number of retransmissions the wait implies (more = 4 or beyond). */
		r->syn_retrans = (uint8_t)stats_syn_band(r->connect_us);
		r->syn_src = SYN_SRC_BAND;
	}
}

static const char *errno_name(int err_no)
{
	const char *name;

	if (err_no == 0)
		return "";
	name = strerrorname_np(err_no);
	return name != NULL ? name : "?";
}

static void write_csv_line(FILE *out, size_t id, const struct conn_record *r)
{
	fprintf(out, "%zu,%" PRIu32 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%s,%d,%s,%u,%s,%u,%d,%d,%" PRId64
		",%" PRIu32 "\n",
		id, r->worker, r->start_wall_us, r->connect_us, r->first_byte_us, r->total_us,
		outcome_name((enum outcome)r->outcome), r->err_no, errno_name(r->err_no), r->syn_retrans,
		syn_source_name((enum syn_source)r->syn_src), r->local_port, (r->flags & RECORD_REUSED) ? 1 : 0,
		r->http_status, r->late_us, r->rtt_us);
}

static void write_json_line(FILE *out, size_t id, const struct conn_record *r)
{
	fprintf(out,
		"{\"id\":%zu,\"worker\":%" PRIu32 ",\"start_wall_us\":%" PRId64 ",\"connect_us\":%" PRId64
		",\"first_byte_us\":%" PRId64 ",\"total_us\":%" PRId64 ",\"outcome\":\"%s\",\"errno\":%d,"
		"\"errno_name\":\"%s\",\"syn_retrans\":%u,\"syn_retrans_src\":\"%s\",\"local_port\":%u,"
		"\"reused\":%s,\"http_status\":%d,\"late_us\":%" PRId64 ",\"tcpi_rtt_us\":%" PRIu32 "}\n",
		id, r->worker, r->start_wall_us, r->connect_us, r->first_byte_us, r->total_us,
		outcome_name((enum outcome)r->outcome), r->err_no, errno_name(r->err_no), r->syn_retrans,
		syn_source_name((enum syn_source)r->syn_src), r->local_port,
		(r->flags & RECORD_REUSED) ? "true" : "false", r->http_status, r->late_us, r->rtt_us);
}

int records_write(FILE *out, const struct conn_record *records, size_t count, int json, struct tl_err *err)
{
	if (!json)
		fputs("id,worker,start_wall_us,connect_us,first_byte_us,total_us,outcome,errno,errno_name,"
		      "syn_retrans,syn_retrans_src,local_port,reused,http_status,late_us,tcpi_rtt_us\n",
		      out);
	for (size_t i = 0; i < count; i++) {
		if (!(records[i].flags & RECORD_STARTED))
			continue;
		if (json)
			write_json_line(out, i, &records[i]);
		else
			write_csv_line(out, i, &records[i]);
	}
	if (fflush(out) != 0 || ferror(out))
		return tl_errf(err, "writing records: %s", strerror(errno));
	return 0;
}
