/* test_agent: tcplab-agent refuses what is not one of its operations (in process, on a unix socket and on loopback TCP) and checks program options and profiles before anything runs. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include "agent/agent.h"
#include "agent/agent_log.h"
#include "agent/listen.h"
#include "agent/profile_body.h"
#include "agent/program_args.h"
#include "ipv4_prefix.h"
#include "side/remote_http.h"
#include "side/remote_reply.h"
#include "side/remote_wire.h"
#include "side/route_nl.h"
#include "unit.h"

static char tmpdir[64];

/* Start an agent for the server side on a unix socket (token "") or on 127.0.0.1 (token set). */
static struct agent *start_agent(const char *token, struct remote_endpoint *ep)
{
	struct agent_config cfg;
	struct agent *a = NULL;
	struct tl_err err;
	char path[96];
	int fd = -1;

	memset(&cfg, 0, sizeof(cfg));
	memset(ep, 0, sizeof(*ep));
	cfg.role = AGENT_ROLE_SERVER;
	snprintf(cfg.bindir, sizeof(cfg.bindir), "%s", tmpdir);
	snprintf(cfg.workdir, sizeof(cfg.workdir), "%s/work", tmpdir);
	snprintf(cfg.token, sizeof(cfg.token), "%s", token);
	if (token[0] == '\0') {
		snprintf(path, sizeof(path), "%s/agent.sock", tmpdir);
		CHECK(agent_listen_unix(path, &fd, &err) == 0);
		/* Made 0660 by bind itself, whatever the umask: the controller's group may connect, no one else. */
		{
			struct stat st;

			CHECK(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == 0660);
		}
		snprintf(ep->spec, sizeof(ep->spec), "unix:%s", path);
		snprintf(ep->unix_path, sizeof(ep->unix_path), "%s", path);
		snprintf(ep->base_url, sizeof(ep->base_url), "http://agent");
	} else {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(sin);
		int probe = socket(AF_INET, SOCK_STREAM, 0);
		char addr_port[32];

		/* A free port from the kernel: the agent, like its command line, takes an explicit one. */
		CHECK(bind(probe, (struct sockaddr *)&sin, sizeof(sin)) == 0);
		CHECK(getsockname(probe, (struct sockaddr *)&sin, &len) == 0);
		close(probe);
		snprintf(addr_port, sizeof(addr_port), "127.0.0.1:%u", ntohs(sin.sin_port));
		CHECK(agent_listen_tcp(addr_port, &fd, &err) == 0);
		snprintf(ep->base_url, sizeof(ep->base_url), "http://%s", addr_port);
		snprintf(ep->spec, sizeof(ep->spec), "%s", ep->base_url);
	}
	if (fd < 0)
		return NULL;
	if (agent_start(&cfg, fd, &a, &err) != 0) {
		printf("agent_start: %s\n", err.msg);
		return NULL;
	}
	return a;
}

/* One request; the HTTP status is read from the error message ("... METHOD PATH: 404 ...") or 200. */
static int request(const struct remote_endpoint *ep, const char *method, const char *path, json_t *body,
		   json_t **reply, char *msg, size_t msg_len)
{
	struct remote_http h;
	struct tl_err err;
	int rc;
	const char *p;
	int status = 200;

	CHECK(remote_http_open(&h, ep, &err) == 0);
	rc = remote_http_json(&h, method, path, body, reply, &err);
	remote_http_close(&h);
	if (rc == 0) {
		if (msg != NULL)
			msg[0] = '\0';
		return 200;
	}
	snprintf(msg, msg_len, "%s", err.msg);
	p = strstr(err.msg, path);
	if (p != NULL && sscanf(p + strlen(path), ": %d", &status) == 1)
		return status;
	return -1;
}

static void test_unknown_operations(void)
{
	struct remote_endpoint ep;
	struct agent *a = start_agent("", &ep);
	json_t *reply = NULL;
	json_t *body;
	char msg[600];

	CHECK(a != NULL);
	if (a == NULL)
		return;
	CHECK(request(&ep, "GET", "/v1/info", NULL, &reply, msg, sizeof(msg)) == 200);
	CHECK_STR(json_string_value(json_object_get(reply, "role")), "server");
	CHECK(json_is_false(json_object_get(reply, "session_open")));
	json_decref(reply);
	CHECK(request(&ep, "GET", "/v1/shell", NULL, NULL, msg, sizeof(msg)) == 404);
	CHECK(strstr(msg, "unknown operation GET /v1/shell") != NULL);
	CHECK(request(&ep, "GET", "/v1/programs/0/stdout/more/segments", NULL, NULL, msg, sizeof(msg)) == 404);
	CHECK(request(&ep, "DELETE", "/v1/profile", NULL, NULL, msg, sizeof(msg)) == 405);
	/* Every side operation needs a session, which this test never opens (it would reset this namespace). */
	CHECK(request(&ep, "GET", "/v1/counters", NULL, NULL, msg, sizeof(msg)) == 409);
	body = json_pack("{s:s, s:[]}", "name", "x", "settings");
	CHECK(request(&ep, "POST", "/v1/profile", body, NULL, msg, sizeof(msg)) == 409);
	json_decref(body);
	body = json_pack("{s:s}", "signal", "TERM");
	CHECK(request(&ep, "POST", "/v1/programs/0/signal", body, NULL, msg, sizeof(msg)) == 409);
	json_decref(body);
	/* Nothing above opened a session. */
	CHECK(request(&ep, "GET", "/v1/info", NULL, &reply, msg, sizeof(msg)) == 200);
	CHECK(json_is_false(json_object_get(reply, "session_open")));
	json_decref(reply);
	agent_stop(a);
}

static void test_token(void)
{
	struct remote_endpoint ep;
	struct agent *a = start_agent("a-token-of-twenty-chars", &ep);
	json_t *reply = NULL;
	char msg[600];

	CHECK(a != NULL);
	if (a == NULL)
		return;
	CHECK(request(&ep, "GET", "/v1/info", NULL, NULL, msg, sizeof(msg)) == 401);
	CHECK(strstr(msg, "missing bearer token") != NULL);
	CHECK(request(&ep, "POST", "/v1/session", NULL, NULL, msg, sizeof(msg)) == 401);
	snprintf(ep.token, sizeof(ep.token), "a-token-of-twenty-charX");
	CHECK(request(&ep, "GET", "/v1/info", NULL, NULL, msg, sizeof(msg)) == 401);
	CHECK(strstr(msg, "wrong bearer token") != NULL);
	snprintf(ep.token, sizeof(ep.token), "a-token-of-twenty-chars");
	CHECK(request(&ep, "GET", "/v1/info", NULL, &reply, msg, sizeof(msg)) == 200);
	/* The refused POST /v1/session changed nothing. */
	CHECK(json_is_false(json_object_get(reply, "session_open")));
	json_decref(reply);
	agent_stop(a);
}

static int args_ok(enum agent_role role, const char *const *args, size_t n, char *msg, size_t len)
{
	struct tl_err err;
	int rc = program_args_check(role, (char *const *)args, n, "/tmp/w/session-1", &err);

	snprintf(msg, len, "%s", rc == 0 ? "" : err.msg);
	return rc == 0;
}

static void test_token_compare(void)
{
	const char *token = "token-0123456789abcdef";

	CHECK(agent_token_matches("token-0123456789abcdef", token));
	CHECK(!agent_token_matches("token-0123456789abcdeF", token));
	/* A prefix, a longer text that starts with the token, nothing: all differ. */
	CHECK(!agent_token_matches("token-0123456789abcde", token));
	CHECK(!agent_token_matches("token-0123456789abcdef0", token));
	CHECK(!agent_token_matches("", token));
}

static void test_program_args(void)
{
	char msg[512];
	const char *server[] = { "--json", "--listen", "198.18.0.1:8080", "--backlog", "1", "--discipline", "serial",
				 "--handle-time", "1s", "--keepalive", "off", "--reuseport" };
	const char *client[] = { "--json", "--mode", "http", "--concurrency", "4", "--records",
				 "/tmp/w/session-1/connections.csv", "--records-format", "csv", "198.18.0.1:8080" };
	const char *unknown[] = { "--listen", "198.18.0.1:8080", "--exec", "/bin/sh" };
	const char *bad_value[] = { "--listen", "198.18.0.1:8080", "--handle-time", "soon" };
	const char *client_flag_on_server[] = { "--listen", "198.18.0.1:8080", "--records", "/tmp/w/session-1/x" };
	const char *records_elsewhere[] = { "--records", "/etc/cron.d/x", "198.18.0.1:8080" };
	const char *records_up[] = { "--records", "/tmp/w/session-1/../x", "198.18.0.1:8080" };
	const char *no_target[] = { "--concurrency", "4" };
	const char *missing_value[] = { "--concurrency", "198.18.0.1:8080" };
	const char *stray[] = { "extra", "198.18.0.1:8080" };

	CHECK(args_ok(AGENT_ROLE_SERVER, server, sizeof(server) / sizeof(server[0]), msg, sizeof(msg)));
	CHECK(args_ok(AGENT_ROLE_CLIENT, client, sizeof(client) / sizeof(client[0]), msg, sizeof(msg)));
	CHECK(!args_ok(AGENT_ROLE_SERVER, unknown, 4, msg, sizeof(msg)));
	CHECK(strstr(msg, "'--exec' is not an option the agent passes to tcplab-server") != NULL);
	CHECK(!args_ok(AGENT_ROLE_SERVER, bad_value, 4, msg, sizeof(msg)));
	CHECK(strstr(msg, "--handle-time") != NULL);
	CHECK(!args_ok(AGENT_ROLE_SERVER, client_flag_on_server, 4, msg, sizeof(msg)));
	CHECK(!args_ok(AGENT_ROLE_CLIENT, records_elsewhere, 3, msg, sizeof(msg)));
	CHECK(strstr(msg, "plain name") != NULL);
	CHECK(!args_ok(AGENT_ROLE_CLIENT, records_up, 3, msg, sizeof(msg)));
	CHECK(!args_ok(AGENT_ROLE_CLIENT, no_target, 2, msg, sizeof(msg)));
	CHECK(!args_ok(AGENT_ROLE_CLIENT, missing_value, 2, msg, sizeof(msg)));
	CHECK(strstr(msg, "needs a value") != NULL);
	CHECK(!args_ok(AGENT_ROLE_CLIENT, stray, 2, msg, sizeof(msg)));
	CHECK(!args_ok(AGENT_ROLE_CLIENT, NULL, 0, msg, sizeof(msg)));
}

static void test_source_list(void)
{
	char list[LAB_SOURCE_LIST_CHARS + 32];
	char msg[512];
	const char *client[] = { "--source", list, "198.18.0.1:8080" };
	size_t off = (size_t)snprintf(list, sizeof(list), "198.18.0.2");

	/* The client's own address and the most extra ones a scenario may ask for pass... */
	for (int i = 0; i < LAB_EXTRA_SOURCES_MAX; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, ",198.18.0.%d", 3 + i);
	CHECK(args_ok(AGENT_ROLE_CLIENT, client, 3, msg, sizeof(msg)));
	/* ...one more does not. */
	snprintf(list + off, sizeof(list) - off, ",198.18.0.99");
	CHECK(!args_ok(AGENT_ROLE_CLIENT, client, 3, msg, sizeof(msg)));
	CHECK(strstr(msg, "--source: more than") != NULL);
}

static int profile_ok(const char *text, char *msg, size_t len, struct profile *p)
{
	json_t *body = json_loads(text, 0, NULL);
	struct tl_err err;
	int rc;

	CHECK(body != NULL);
	rc = profile_body_parse(body, p, &err);
	json_decref(body);
	snprintf(msg, len, "%s", rc == 0 ? "" : err.msg);
	return rc == 0;
}

static void test_profile_body(void)
{
	struct profile p;
	char msg[512];

	CHECK(profile_ok("{\"name\": \"lab\", \"settings\": [{\"key\": \"net.core.somaxconn\", \"value\": \"64\"},"
			 "{\"key\": \"net.ipv4.ip_local_port_range\", \"value\": \"40000   40999\"}]}",
			 msg, sizeof(msg), &p));
	CHECK(p.count == 2);
	CHECK_STR(p.settings[1].value, "40000 40999");
	CHECK_STR(p.settings[1].proc_path, "net/ipv4/ip_local_port_range");
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [{\"key\": \"kernel.pid_max\", \"value\": \"1\"}]}", msg,
			  sizeof(msg), &p));
	CHECK(strstr(msg, "whole host") != NULL);
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [{\"key\": \"net.core.rmem_max\", \"value\": \"1\"}]}", msg,
			  sizeof(msg), &p));
	CHECK(strstr(msg, "whole host") != NULL);
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [{\"key\": \"net.core.somaxcon\", \"value\": \"1\"}]}", msg,
			  sizeof(msg), &p));
	CHECK(strstr(msg, "did you mean net.core.somaxconn") != NULL);
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [{\"key\": \"net.ipv4.tcp_syncookies\", \"value\": \"7\"}]}",
			  msg, sizeof(msg), &p));
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [{\"key\": \"net.core.somaxconn\", \"value\": \"1\"},"
			  "{\"key\": \"net.core.somaxconn\", \"value\": \"2\"}]}",
			  msg, sizeof(msg), &p));
	CHECK(strstr(msg, "set twice") != NULL);
	CHECK(!profile_ok("{\"name\": \"x\", \"settings\": [], \"exec\": \"sh\"}", msg, sizeof(msg), &p));
	CHECK(!profile_ok("{\"name\": \"../x\", \"settings\": []}", msg, sizeof(msg), &p));
}

static void test_wire_round_trip(void)
{
	struct sockdiag_sample s, back_s;
	struct counters *c = calloc(2, sizeof(*c));
	struct side_applied a, back_a;
	struct tl_err err;
	json_t *j;

	memset(&s, 0, sizeof(s));
	s.listener_count = 2;
	s.listeners[1].inode = 4000000000u;
	s.listeners[1].acceptq_len = 3;
	s.listeners[1].acceptq_limit = 64;
	s.states_all[10] = 1;
	s.states_port[6] = 7;
	s.sockets_total = 9;
	s.listeners_only = 1;
	j = wire_sample_to_json(&s);
	CHECK(wire_sample_from_json(j, &back_s, &err) == 0);
	CHECK(memcmp(&s, &back_s, sizeof(s)) == 0);
	json_decref(j);

	c[0].count = 2;
	snprintf(c[0].items[0].name, COUNTER_NAME_BYTES, "TcpExtListenOverflows");
	c[0].items[0].value = 12;
	snprintf(c[0].items[1].name, COUNTER_NAME_BYTES, "TcpMaxConn");
	c[0].items[1].value = -1;
	j = wire_counters_to_json(&c[0]);
	CHECK(wire_counters_from_json(j, &c[1], &err) == 0);
	CHECK(c[1].count == 2 && c[1].items[1].value == -1 && strcmp(c[1].items[0].name, "TcpExtListenOverflows") == 0);
	json_decref(j);
	free(c);

	memset(&a, 0, sizeof(a));
	a.count = 1;
	snprintf(a.kernel_release, sizeof(a.kernel_release), "6.18");
	snprintf(a.values[0].key, sizeof(a.values[0].key), "net.core.somaxconn");
	snprintf(a.values[0].value, sizeof(a.values[0].value), "64");
	j = wire_applied_to_json(&a);
	CHECK(wire_applied_from_json(j, &back_a, &err) == 0);
	CHECK(memcmp(&a, &back_a, sizeof(a)) == 0);
	json_decref(j);
	/* A reply that lacks a field is an error, not a zero. */
	j = json_pack("{s:[]}", "listeners");
	CHECK(wire_sample_from_json(j, &back_s, &err) != 0);
	json_decref(j);
	CHECK(wire_signal_find("TERM") == SIGTERM && wire_signal_find("STOP") < 0 && wire_signal_name(SIGSTOP) == NULL);
}

/* The controller's reading of an agent's replies: refusals carry the agent's message, fields are checked. */
static void test_remote_reply(void)
{
	json_t *reply = NULL;
	struct tl_err err;
	char address[16];
	char workdir[64];
	uint64_t ino = 0;
	long long left = -1;
	int value = -1;
	const char *refusal = "{\"error\": \"no session is open\"}";
	const char *info = "{\"api\": 1, \"role\": \"server\", \"addresses\": [\"198.18.0.1\"], \"netns_ino\": 7}";

	CHECK(remote_http_reply("unix:/a", "GET", "/v1/counters", 409, refusal, strlen(refusal), &reply, &err) != 0);
	CHECK(reply == NULL && strstr(err.msg, "409 no session is open") != NULL);
	CHECK(remote_http_reply("unix:/a", "GET", "/v1/info", 200, "[1]", 3, &reply, &err) != 0 && reply == NULL);
	CHECK(remote_http_reply("unix:/a", "POST", "/v1/routes", 201, NULL, 0, NULL, &err) == 0);
	CHECK(remote_http_reply("unix:/a", "GET", "/v1/info", 200, info, strlen(info), &reply, &err) == 0);
	CHECK(remote_reply_info(reply, "server", "unix:/a", address, sizeof(address), &ino, &err) == 0);
	CHECK(strcmp(address, "198.18.0.1") == 0 && ino == 7);
	CHECK(remote_reply_info(reply, "client", "unix:/a", address, sizeof(address), &ino, &err) != 0);
	CHECK(strstr(err.msg, "serves the server side") != NULL);
	json_decref(reply);
	reply = json_pack("{s:b}", "running", 0);
	CHECK(remote_reply_exit(reply, &value, &err) < 0 && strstr(err.msg, "wait_status") != NULL);
	json_object_set_new(reply, "wait_status", json_integer(256));
	CHECK(remote_reply_exit(reply, &value, &err) == 1 && value == 256);
	CHECK(remote_reply_proc(reply, &value, &err) != 0);
	json_decref(reply);
	reply = json_pack("{s:s, s:i}", "workdir", "/var/lib/tcplab-agent/session-1234567", "sockets_left", 2);
	/* A folder name longer than the room for it is refused, not cut. */
	CHECK(remote_reply_session(reply, workdir, 32, &left, &err) != 0);
	CHECK(remote_reply_session(reply, workdir, sizeof(workdir), &left, &err) == 0 && left == 2);
	json_decref(reply);
}

/* One NLMSG_ERROR message of sequence seq carrying code (0 acknowledges), in buf; its length. */
static size_t nl_ack(unsigned char *buf, uint32_t seq, int code)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)), .nlmsg_type = NLMSG_ERROR };
	struct nlmsgerr e = { .error = code };

	h.nlmsg_seq = seq;

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	return NLMSG_ALIGN(h.nlmsg_len);
}

/* The acknowledgement of a route request is found among other messages; a bad one is an error. */
static void test_route_nl_ack(void)
{
	static _Alignas(8) unsigned char buf[256];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct tl_err err;
	int code = -1;
	size_t n;

	n = nl_ack(buf, 1, 0);
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) == 1 && code == 0);
	n = nl_ack(buf, 7, -EINVAL);
	n += nl_ack(buf + n, 1, -EEXIST);
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) == 1 && code == EEXIST);
	/* Another request's answer only: read on. */
	code = -1;
	n = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct nlmsgerr)));
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) == 0 && code == -1);
	/* Not an errno the kernel can send. */
	n = nl_ack(buf, 1, 5);
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) == 1 && code == EPROTO);
	/* Shorter than an nlmsgerr. */
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) < 0 && strstr(err.msg, "truncated") != NULL);
	/* A header that claims more than was received is not read. */
	h->nlmsg_len = 4096;
	CHECK(route_nl_parse_ack(buf, n, 1, &code, &err) == 0);
}

static void test_log_escape(void)
{
	char out[64];

	agent_log_escape("/x\ntcplab-agent: serving FAKE", 80, out, sizeof(out));
	CHECK(strcmp(out, "/x\\x0atcplab-agent: serving FAKE") == 0);
	agent_log_escape("a\r\x1b[2J\\\xc3\xa9\x7f", 80, out, sizeof(out));
	CHECK(strcmp(out, "a\\x0d\\x1b[2J\\x5c\\xc3\\xa9\\x7f") == 0);
	/* Cut at max_in bytes, and never past the buffer nor inside an escape. */
	agent_log_escape("abcdef", 3, out, sizeof(out));
	CHECK(strcmp(out, "abc") == 0);
	agent_log_escape("ab\n", 80, out, 6);
	CHECK(strcmp(out, "ab") == 0);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tcplab-agent-test.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	RUN(test_unknown_operations);
	RUN(test_token);
	RUN(test_token_compare);
	RUN(test_log_escape);
	RUN(test_program_args);
	RUN(test_source_list);
	RUN(test_profile_body);
	RUN(test_wire_round_trip);
	RUN(test_remote_reply);
	RUN(test_route_nl_ack);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/agent.sock", tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/work", tmpdir);
		rmdir(path);
		rmdir(tmpdir);
	}
	return UNIT_END();
}
