/* conn_join: connections.csv gains what the wire showed for each record, joined by local port and start time. */
#include "conn_join.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "path.h"

/* Columns a client record has (15 today); room for more. */
#define JOIN_FIELDS_MAX 48

static const char wire_header[] = ",wire_syn,wire_syn_retrans,wire_synack,wire_synack_retrans,wire_rst_client,"
				  "wire_rst_server,wire_handshake_us,wire_completed";
/* A record the captures hold no connection for. */
static const char wire_none[] = ",,,,,,,,";

/* A column's value as a plain decimal number, or -1 when it is not one. */
static long long field_num(char **fields, size_t n, int index)
{
	char *end;
	long long v;

	if (index < 0 || (size_t)index >= n || fields[index][0] < '0' || fields[index][0] > '9')
		return -1;
	errno = 0;
	v = strtoll(fields[index], &end, 10);
	return errno == 0 && *end == '\0' ? v : -1;
}

static int write_wire(FILE *out, const struct pk_conn *c)
{
	if (c == NULL)
		return fputs(wire_none, out) < 0 ? -1 : 0;
	if (fprintf(out, ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",", c->syn,
		    c->syn_retrans, c->synack, c->synack_retrans, c->rst[PK_CLIENT], c->rst[PK_SERVER]) < 0)
		return -1;
	if (c->handshake_us >= 0 && fprintf(out, "%" PRId64, c->handshake_us) < 0)
		return -1;
	return fprintf(out, ",%d", c->completed != 0) < 0 ? -1 : 0;
}

/* Copy in to out line by line, each record followed by its connection's wire columns. */
static int join_lines(FILE *in, FILE *out, const struct pk_analysis *a, const struct in_addr *clients,
		      size_t client_count, const char *path, size_t *matched, struct tl_err *err)
{
	/* The connection each port's last new (not reused) record rode: a keep-alive record rides it too. */
	const struct pk_conn **by_port = calloc(65536, sizeof(*by_port));
	char *fields[JOIN_FIELDS_MAX];
	char *line = NULL, *copy = NULL;
	size_t cap = 0, copy_cap = 0, lineno = 0, n;
	int start_col = -1, port_col = -1, reused_col = -1;
	ssize_t len;
	int rc = 0;

	if (by_port == NULL)
		return tl_errf(err, "out of memory joining %s", path);
	while (rc == 0 && (len = getline(&line, &cap, in)) > 0) {
		const struct pk_conn *c = NULL;
		long long port, start;

		lineno++;
		if ((size_t)len + 1 > copy_cap) {
			char *bigger = realloc(copy, (size_t)len + 1);

			if (bigger == NULL) {
				rc = tl_errf(err, "out of memory joining %s", path);
				break;
			}
			copy = bigger;
			copy_cap = (size_t)len + 1;
		}
		memcpy(copy, line, (size_t)len + 1);
		n = csv_split(copy, fields, JOIN_FIELDS_MAX);
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			start_col = csv_find(fields, n, "start_wall_us");
			port_col = csv_find(fields, n, "local_port");
			reused_col = csv_find(fields, n, "reused");
			if (port_col < 0) {
				rc = tl_errf(err, "%s:1: no local_port column to join the captures on", path);
				break;
			}
			if (fprintf(out, "%s%s\n", line, wire_header) < 0)
				rc = tl_errf(err, "write %s: %s", path, strerror(errno));
			continue;
		}
		port = field_num(fields, n, port_col);
		start = field_num(fields, n, start_col);
		if (port > 0 && port < 65536) {
			if (field_num(fields, n, reused_col) == 1)
				c = by_port[port];
			else
				c = by_port[port] = packets_find(a, clients, client_count, (uint16_t)port, start);
		}
		*matched += c != NULL;
		if (fputs(line, out) < 0 || write_wire(out, c) != 0 || fputc('\n', out) == EOF)
			rc = tl_errf(err, "write %s: %s", path, strerror(errno));
	}
	free(line);
	free(copy);
	free(by_port);
	return rc;
}

int conn_join_wire(const char *csv_path, const struct pk_analysis *a, const struct in_addr *clients,
		   size_t client_count, size_t *matched, struct tl_err *err)
{
	char tmp[TL_PATH_LEN];
	FILE *in, *out;
	int rc;

	*matched = 0;
	if (tl_path_fmt(tmp, sizeof(tmp), err, "%s.wire", csv_path) != 0)
		return -1;
	in = fopen(csv_path, "r");
	if (in == NULL)
		return tl_errf(err, "open %s: %s", csv_path, strerror(errno));
	out = fopen(tmp, "wx");
	if (out == NULL) {
		fclose(in);
		return tl_errf(err, "create %s: %s", tmp, strerror(errno));
	}
	rc = join_lines(in, out, a, clients, client_count, csv_path, matched, err);
	fclose(in);
	if (fclose(out) != 0 && rc == 0)
		rc = tl_errf(err, "write %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, csv_path) != 0)
		rc = tl_errf(err, "rename %s: %s", tmp, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	return rc;
}
