/* drop_join: mark the packets of the selected ladders that the receiving kernel dropped, with its drop reason. */
#include "drop_join.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "parse.h"

#define FIELDS_MAX 16
/* A drop follows the packet's arrival on the same side by microseconds; a little room for scheduling. */
#define MATCH_WINDOW_US 50000
/* The bits both writers name and a match needs: SYN, FIN, RST, ACK. */
#define F_SYN 1u
#define F_FIN 2u
#define F_RST 4u
#define F_ACK 8u

/* The SYN/FIN/RST/ACK bits of a flags text, in the tracer's letters (FSRPAUEC) or tcpdump's (S F R .). */
static unsigned flag_bits(const char *text)
{
	unsigned bits = 0;

	for (const char *p = text; p != NULL && *p != '\0'; p++) {
		if (*p == 'S')
			bits |= F_SYN;
		else if (*p == 'F')
			bits |= F_FIN;
		else if (*p == 'R')
			bits |= F_RST;
		else if (*p == 'A' || *p == '.')
			bits |= F_ACK;
	}
	return bits;
}

/* The ladder whose connection is "saddr:sport" -> "daddr:dport" in either direction; from_client says which. */
static json_t *find_ladder(json_t *ladders, const char *src, const char *dst, int *from_client)
{
	json_t *l;
	size_t i;

	json_array_foreach(ladders, i, l) {
		const char *client = json_string_value(json_object_get(l, "client"));
		const char *server = json_string_value(json_object_get(l, "server"));

		if (client == NULL || server == NULL)
			continue;
		if (strcmp(client, src) == 0 && strcmp(server, dst) == 0) {
			*from_client = 1;
			return l;
		}
		if (strcmp(server, src) == 0 && strcmp(client, dst) == 0) {
			*from_client = 0;
			return l;
		}
	}
	return NULL;
}

/* Mark the event of ladder l sent in that direction with those flags that arrived last before drop_us. */
static int mark_event(json_t *l, int from_client, unsigned bits, int64_t drop_us, const char *reason)
{
	json_t *events = json_object_get(l, "events");
	json_t *best = NULL;
	int64_t best_us = 0;
	json_t *e;
	size_t i;

	json_array_foreach(events, i, e) {
		const char *from = json_string_value(json_object_get(e, "from"));
		json_t *arrive = json_object_get(e, "arrive_us");
		int64_t at;

		if (from == NULL || (strcmp(from, "client") == 0) != from_client ||
		    flag_bits(json_string_value(json_object_get(e, "flags"))) != bits || json_object_get(e, "drop"))
			continue;
		at = json_is_integer(arrive) ? json_integer_value(arrive) : json_integer_value(json_object_get(e, "t_us"));
		if (at > drop_us + 1000 || at < drop_us - MATCH_WINDOW_US)
			continue;
		if (best == NULL || at > best_us) {
			best = e;
			best_us = at;
		}
	}
	if (best == NULL)
		return 0;
	json_object_set_new(best, "drop", json_pack("{s:s}", "reason", reason));
	return 1;
}

int drop_join_ladders(json_t *ladders, const char *csv_path, int64_t start_wall_us, size_t *marked,
		      struct tl_err *err)
{
	FILE *f = fopen(csv_path, "r");
	char *line = NULL;
	size_t cap = 0;
	char *fields[FIELDS_MAX];
	int ti, ei, ri, sa, sp, da, dp, fl;
	size_t n;

	*marked = 0;
	if (f == NULL)
		return tl_errf(err, "%s: %s", csv_path, strerror(errno));
	if (getline(&line, &cap, f) < 0) {
		free(line);
		fclose(f);
		return 0;
	}
	n = csv_split(line, fields, FIELDS_MAX);
	ti = csv_find(fields, n, "time_us");
	ei = csv_find(fields, n, "event");
	ri = csv_find(fields, n, "reason");
	sa = csv_find(fields, n, "saddr");
	sp = csv_find(fields, n, "sport");
	da = csv_find(fields, n, "daddr");
	dp = csv_find(fields, n, "dport");
	fl = csv_find(fields, n, "flags");
	if (ti < 0 || ei < 0 || ri < 0 || sa < 0 || sp < 0 || da < 0 || dp < 0 || fl < 0) {
		free(line);
		fclose(f);
		return tl_errf(err, "%s: the header lacks a column of time_us, event, reason, addresses, ports, flags",
			       csv_path);
	}
	while (json_array_size(ladders) > 0 && getline(&line, &cap, f) >= 0) {
		char src[32], dst[32];
		int from_client;
		json_t *l;
		long t;

		n = csv_split(line, fields, FIELDS_MAX);
		if ((int)n <= ti || (int)n <= ei || (int)n <= ri || (int)n <= sa || (int)n <= sp || (int)n <= da ||
		    (int)n <= dp || (int)n <= fl || strcmp(fields[ei], "drop") != 0 || fields[sa][0] == '\0' ||
		    /* Freed unread from a socket's queue when it closed: the packet had been taken in, not dropped. */
		    strcmp(fields[ri], "QUEUE_PURGE") == 0 ||
		    parse_long(fields[ti], 0, 1L << 40, &t, "time_us", NULL) != 0)
			continue;
		snprintf(src, sizeof(src), "%.15s:%.5s", fields[sa], fields[sp]);
		snprintf(dst, sizeof(dst), "%.15s:%.5s", fields[da], fields[dp]);
		l = find_ladder(ladders, src, dst, &from_client);
		if (l != NULL && mark_event(l, from_client, flag_bits(fields[fl]), start_wall_us + t, fields[ri]))
			(*marked)++;
	}
	free(line);
	fclose(f);
	return 0;
}
