/* ns_reset: the netns backend gets fresh namespaces per run; a container keeps one, so the agent undoes what a run left. */
#include "ns_reset.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "probe/sockdiag.h"
#include "scenario/profile.h"
#include "side/sysctl_io.h"

/* A run leaves a few thousand sockets at most (a grid's TIME-WAIT); more are left alone and counted. */
#define RESET_MAX_SOCKETS 65536

/* Walks of the sockets before a reset makes do with one the kernel flagged inconsistent. */
#define RESET_DUMP_TRIES 4

int ns_reset_read_baseline(struct side_applied *baseline, struct tl_err *err)
{
	const char *keys[64];
	size_t n = 0;

	memset(baseline, 0, sizeof(*baseline));
	while (n < sizeof(keys) / sizeof(keys[0]) && profile_allowed_key(n) != NULL) {
		keys[n] = profile_allowed_key(n);
		n++;
	}
	return sysctl_io_apply(-1, NULL, 0, keys, n, baseline, err);
}

int ns_reset_sysctls(const struct side_applied *baseline, struct tl_err *err)
{
	struct sysctl_write writes[64];
	struct side_applied now;
	struct side_applied ignored;
	size_t n = 0;

	/* Only what differs is written: a namespace a run left alone is not touched at all. */
	if (ns_reset_read_baseline(&now, err) != 0)
		return -1;
	for (int i = 0; i < baseline->count && n < sizeof(writes) / sizeof(writes[0]); i++) {
		/* A key this kernel lacks was read as "absent": nothing to write back. */
		if (strcmp(baseline->values[i].value, "absent") == 0)
			continue;
		if (i < now.count && strcmp(now.values[i].key, baseline->values[i].key) == 0 &&
		    strcmp(now.values[i].value, baseline->values[i].value) == 0)
			continue;
		writes[n].key = baseline->values[i].key;
		writes[n].value = baseline->values[i].value;
		n++;
	}
	memset(&ignored, 0, sizeof(ignored));
	return sysctl_io_apply(-1, writes, n, NULL, 0, &ignored, err);
}

/* The sockets a dump found to reset: all but those on the agent's own port. */
struct reset_ids {
	uint16_t keep_port;
	struct inet_diag_sockid *ids;
	unsigned count;
	unsigned found;
};

static int collect_id(const struct inet_diag_msg *m, void *arg)
{
	struct reset_ids *r = arg;

	if (r->keep_port != 0 && ntohs(m->id.idiag_sport) == r->keep_port)
		return 0;
	r->found++;
	if (r->count < RESET_MAX_SOCKETS)
		r->ids[r->count++] = m->id;
	return 0;
}

int ns_reset_sockets(uint16_t keep_port, struct ns_reset_sockets *out, struct tl_err *err)
{
	struct sockdiag *d = malloc(sizeof(*d));
	struct reset_ids r = { .keep_port = keep_port, .ids = calloc(RESET_MAX_SOCKETS, sizeof(*r.ids)) };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (d == NULL || r.ids == NULL) {
		tl_errf(err, "out of memory");
		goto done;
	}
	if (sockdiag_open(d, -1, err) != 0) {
		free(d);
		d = NULL;
		goto done;
	}
	/* A dump the kernel flags inconsistent may have missed sockets: walk again, a few times at most. */
	for (int tries = 0;; tries++) {
		int interrupted = 0;

		r.count = 0;
		r.found = 0;
		if (sockdiag_each(d, SOCKDIAG_STATES_CONNECTIONS, collect_id, &r, &interrupted, err) != 0)
			goto done;
		if (!interrupted || tries == RESET_DUMP_TRIES - 1)
			break;
	}
	out->found = r.found;
	for (unsigned i = 0; i < r.count; i++) {
		int one = sockdiag_destroy(d, &r.ids[i], err);

		if (one < 0)
			goto done;
		if (one == 0)
			out->destroyed++;
	}
	out->left = out->found - out->destroyed;
	rc = 0;
done:
	if (d != NULL)
		sockdiag_close(d);
	free(d);
	free(r.ids);
	return rc;
}
