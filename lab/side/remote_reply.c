/* remote_reply: every field an agent's reply must have is checked before use; a malformed reply is an error. */
#include "remote_reply.h"

#include <stdio.h>
#include <string.h>

#include "remote_wire.h"

int remote_reply_proc(const json_t *reply, int *proc, struct tl_err *err)
{
	if (!json_is_integer(json_object_get(reply, "proc")))
		return tl_errf(err, "agent reply: \"proc\" is missing");
	*proc = (int)json_integer_value(json_object_get(reply, "proc"));
	return 0;
}

int remote_reply_exit(const json_t *reply, int *wait_status, struct tl_err *err)
{
	const json_t *running = json_object_get(reply, "running");

	if (!json_is_boolean(running))
		return tl_errf(err, "agent reply: \"running\" is missing");
	if (json_is_true(running))
		return 0;
	if (!json_is_integer(json_object_get(reply, "wait_status")))
		return tl_errf(err, "agent reply: \"wait_status\" is missing");
	*wait_status = (int)json_integer_value(json_object_get(reply, "wait_status"));
	return 1;
}

int remote_reply_info(const json_t *info, const char *role, const char *spec, char *address, size_t address_len,
		      uint64_t *netns_ino, struct tl_err *err)
{
	const char *agent_role = json_string_value(json_object_get(info, "role"));
	const json_t *api = json_object_get(info, "api");
	const json_t *addresses = json_object_get(info, "addresses");
	size_t i;
	const json_t *a;

	if (!json_is_integer(api) || json_integer_value(api) != WIRE_API_VERSION)
		return tl_errf(err, "%s side: agent %s speaks API %lld, this controller %d", role, spec,
			       (long long)json_integer_value(api), WIRE_API_VERSION);
	if (agent_role == NULL || strcmp(agent_role, role) != 0)
		return tl_errf(err, "%s side: agent %s serves the %s side", role, spec,
			       agent_role ? agent_role : "(unknown)");
	if (json_is_integer(json_object_get(info, "netns_ino")) &&
	    json_integer_value(json_object_get(info, "netns_ino")) > 0)
		*netns_ino = (uint64_t)json_integer_value(json_object_get(info, "netns_ino"));
	json_array_foreach(addresses, i, a) {
		if (json_is_string(a) && json_string_length(a) < address_len) {
			snprintf(address, address_len, "%s", json_string_value(a));
			return 0;
		}
	}
	return tl_errf(err, "%s side: agent %s reports no IPv4 address besides loopback", role, spec);
}

int remote_reply_session(const json_t *session, char *workdir, size_t workdir_len, long long *sockets_left,
			 struct tl_err *err)
{
	const char *dir = json_string_value(json_object_get(session, "workdir"));

	if (dir == NULL || strlen(dir) >= workdir_len)
		return tl_errf(err, "agent reply: \"workdir\" is missing or too long");
	snprintf(workdir, workdir_len, "%s", dir);
	*sockets_left = json_integer_value(json_object_get(session, "sockets_left"));
	return 0;
}
