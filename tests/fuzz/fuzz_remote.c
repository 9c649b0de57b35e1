/* fuzz_remote: any bytes as an agent's reply (HTTP status and JSON body) read by the controller's remote side for each operation. */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "side/remote_http.h"
#include "side/remote_reply.h"
#include "side/remote_wire.h"

/* The statuses an agent answers with, and a few it never does. */
static const long statuses[] = { 200, 201, 400, 401, 404, 405, 409, 413, 500, 204, 302, 299 };

/* What the controller asked: the reply is read as this operation's (remote.c). */
enum asked {
	ASKED_INFO,
	ASKED_SESSION,
	ASKED_PROFILE,
	ASKED_COUNTERS,
	ASKED_SAMPLE,
	ASKED_START,
	ASKED_STATUS,
	ASKED_SIGNAL, /* the reply body is not read */
	ASKED_KINDS
};

static void read_reply(enum asked asked, const json_t *reply)
{
	static struct side_applied applied;
	static struct counters counters;
	static struct sockdiag_sample sample;
	struct tl_err err;
	char address[16];
	char workdir[256];
	uint64_t netns_ino = 0;
	long long sockets_left;
	int value;

	switch (asked) {
	case ASKED_INFO:
		if (remote_reply_info(reply, "server", "unix:/fuzz", address, sizeof(address), &netns_ino, &err) == 0 &&
		    strlen(address) >= sizeof(address))
			abort();
		break;
	case ASKED_SESSION:
		if (remote_reply_session(reply, workdir, sizeof(workdir), &sockets_left, &err) == 0 &&
		    strlen(workdir) >= sizeof(workdir))
			abort();
		break;
	case ASKED_PROFILE:
		if (wire_applied_from_json(reply, &applied, &err) == 0 &&
		    (applied.count < 0 || (size_t)applied.count > sizeof(applied.values) / sizeof(applied.values[0])))
			abort();
		break;
	case ASKED_COUNTERS:
		if (wire_counters_from_json(reply, &counters, &err) == 0 && counters.count > COUNTERS_MAX)
			abort();
		break;
	case ASKED_SAMPLE:
		if (wire_sample_from_json(reply, &sample, &err) == 0 && sample.listener_count > SOCKDIAG_MAX_LISTENERS)
			abort();
		break;
	case ASKED_START:
		remote_reply_proc(reply, &value, &err);
		break;
	case ASKED_STATUS:
		remote_reply_exit(reply, &value, &err);
		break;
	case ASKED_SIGNAL:
	case ASKED_KINDS:
		break;
	}
}

/* The first byte picks the operation, the second the status; the rest is the body as libcurl hands it over. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum asked asked;
	json_t *reply = NULL;
	struct tl_err err;
	char *body;

	if (size < 2)
		return 0;
	asked = (enum asked)(data[0] % ASKED_KINDS);
	body = fuzz_cstring(data + 2, size - 2);
	if (remote_http_reply("unix:/fuzz", "GET", "/v1/fuzz", statuses[data[1] % (sizeof(statuses) / sizeof(statuses[0]))],
			      size > 2 ? body : NULL, size - 2, asked == ASKED_SIGNAL ? NULL : &reply, &err) == 0 &&
	    asked != ASKED_SIGNAL) {
		if (!json_is_object(reply))
			abort();
		read_reply(asked, reply);
	}
	json_decref(reply);
	free(body);
	return 0;
}
