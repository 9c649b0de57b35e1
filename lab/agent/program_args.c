/* program_args: an allowlist of options, then the program's own --check: the agent is no shell and starts nothing else. */
#include "program_args.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ipv4_prefix.h"
#include "parse.h"
#include "scenario/scenario_keys.h"
#include "side/exec.h"

int program_args_plain_name(const char *name)
{
	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 64)
		return 0;
	for (const char *c = name; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '_' || *c == '-'))
			return 0;
	}
	return 1;
}

static int check_records(const char *value, const char *workdir, struct tl_err *err)
{
	size_t n = strlen(workdir);

	/* The client writes where the controller can fetch it back: the session's folder, nowhere else. */
	if (strncmp(value, workdir, n) != 0 || value[n] != '/' || !program_args_plain_name(value + n + 1))
		return tl_errf(err, "--records %s: the file must be a plain name in %s", value, workdir);
	return 0;
}

static int check_sources(const char *value, struct tl_err *err)
{
	char item[32];
	const char *p = value;

	if (strlen(value) >= LAB_SOURCE_LIST_CHARS)
		return tl_errf(err, "--source: the list is too long");
	for (int count = 1;; count++) {
		size_t n = strcspn(p, ",");
		struct in_addr a;

		if (n == 0 || n >= sizeof(item))
			return tl_errf(err, "--source %s: not a list of IPv4 addresses", value);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (inet_pton(AF_INET, item, &a) != 1)
			return tl_errf(err, "--source: '%s' is not an IPv4 address", item);
		if (p[n] == '\0')
			return 0;
		if (count == LAB_SOURCE_ADDRS_MAX)
			return tl_errf(err, "--source: more than %d addresses", LAB_SOURCE_ADDRS_MAX);
		p += n + 1;
	}
}

static int check_addr_port(const char *flag, const char *value, struct tl_err *err)
{
	struct sockaddr_in sin;

	return parse_ipv4_port(value, &sin, flag, err);
}

/* Whether addr is one of this namespace's own IPv4 addresses, or one lies inside p when p is given
 * (unknown counts as yes). */
static int own_address_hit(struct in_addr addr, const struct ipv4_prefix *p)
{
	struct ifaddrs *ifs = NULL;
	int found = 0;

	if (getifaddrs(&ifs) != 0)
		return 1;
	for (struct ifaddrs *i = ifs; i != NULL && !found; i = i->ifa_next) {
		struct in_addr own;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
			continue;
		own = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		found = p != NULL ? ipv4_prefix_contains(p, own) : own.s_addr == addr.s_addr;
	}
	freeifaddrs(ifs);
	return found;
}

/* The client's target: a lab host on the sides' own link, never the network's gateway (a host of the
 * machine), its network or broadcast address, nor this side itself. */
static int check_lab_target(const char *value, struct sockaddr_in *sin, struct tl_err *err)
{
	struct ipv4_prefix link;
	uint32_t host;

	if (parse_ipv4_port(value, sin, "target", err) != 0 ||
	    ipv4_prefix_parse(LAB_LINK_TEXT, "lab link", &link, err) != 0)
		return -1;
	host = ntohl(sin->sin_addr.s_addr) & 0xff;
	if (!ipv4_prefix_contains(&link, sin->sin_addr) || host == 0 || host >= LAB_GATEWAY_HOST)
		return tl_errf(err, "target %s: the agent aims its client only at a lab host inside %s (.1 to .%d), "
				    "never the gateway .%d",
			       value, LAB_LINK_TEXT, LAB_GATEWAY_HOST - 1, LAB_GATEWAY_HOST);
	if (own_address_hit(sin->sin_addr, NULL))
		return tl_errf(err, "target %s: this side's own address", value);
	return 0;
}

/* A spoofed prefix stays off the sides' link (the server, this client, the gateway) and off this side's addresses. */
static int check_spoof(char *const args[], size_t nargs, struct tl_err *err)
{
	struct ipv4_prefix link;
	struct ipv4_prefix spoof;

	if (ipv4_prefix_parse(LAB_LINK_TEXT, "lab link", &link, err) != 0)
		return -1;
	for (size_t i = 0; i + 1 < nargs; i++) {
		struct in_addr none = { 0 };

		if (strcmp(args[i], "--spoof") != 0)
			continue;
		if (ipv4_prefix_parse(args[i + 1], "--spoof", &spoof, err) != 0)
			return -1;
		if (ipv4_prefix_overlaps(&spoof, &link))
			return tl_errf(err,
				       "--spoof %s overlaps the lab's own link %s (the server, the client, the gateway)",
				       args[i + 1], LAB_LINK_TEXT);
		if (own_address_hit(none, &spoof))
			return tl_errf(err, "--spoof %s contains this side's own address", args[i + 1]);
	}
	return 0;
}

/* Whether flag is an option the controller adds to the role's program and that takes a value. */
static int controller_flag(enum agent_role role, const char *flag)
{
	if (role == AGENT_ROLE_SERVER)
		return strcmp(flag, "--listen") == 0;
	return strcmp(flag, "--source") == 0 || strcmp(flag, "--records") == 0 ||
	       strcmp(flag, "--records-format") == 0;
}

/* An option the controller adds itself: 1 and *used (1 or 2 arguments) when it is one, 0 when not, -1 on a bad value. */
static int controller_option(enum agent_role role, char *const args[], size_t nargs, size_t i, const char *workdir,
			     size_t *used, struct tl_err *err)
{
	const char *flag = args[i];
	const char *value;
	int rc;

	if (strcmp(flag, "--json") == 0) {
		*used = 1;
		return 1;
	}
	if (!controller_flag(role, flag))
		return 0;
	if (i + 1 >= nargs)
		return tl_errf(err, "%s needs a value", flag);
	value = args[i + 1];
	if (strcmp(flag, "--listen") == 0)
		rc = check_addr_port(flag, value, err);
	else if (strcmp(flag, "--source") == 0)
		rc = check_sources(value, err);
	else if (strcmp(flag, "--records") == 0)
		rc = check_records(value, workdir, err);
	else if (strcmp(value, "csv") == 0 || strcmp(value, "jsonl") == 0)
		rc = 0;
	else
		rc = tl_errf(err, "--records-format: '%s' is not csv or jsonl", value);
	if (rc != 0)
		return -1;
	*used = 2;
	return 1;
}

/* An option a scenario key stands for: 1 and *used when it is one, 0 when not, -1 on a bad value. */
static int scenario_option(enum scenario_section section, char *const args[], size_t nargs, size_t i, size_t *used,
			   struct tl_err *err)
{
	int k = scenario_key_find_flag(section, args[i]);
	const struct scenario_key *key;
	struct scenario_value v;

	if (k < 0)
		return 0;
	key = scenario_key_at((size_t)k);
	switch (key->use) {
	case USE_CONTROLLER:
		return 0;
	case USE_SWITCH:
		*used = 1;
		return 1;
	case USE_FLAG:
		break;
	}
	if (i + 1 >= nargs)
		return tl_errf(err, "%s needs a value", args[i]);
	memset(&v, 0, sizeof(v));
	if (scenario_key_parse(key, args[i + 1], &v, err) != 0)
		return tl_err_wrap(err, "%s", args[i]);
	*used = 2;
	return 1;
}

int program_args_check(enum agent_role role, char *const args[], size_t nargs, const char *workdir,
		       struct tl_err *err)
{
	enum scenario_section section = role == AGENT_ROLE_SERVER ? SECTION_SERVER : SECTION_CLIENT;
	/* The client's last argument is its target; the server takes none. */
	size_t options_end = role == AGENT_ROLE_CLIENT ? nargs - (nargs > 0) : nargs;

	if (role == AGENT_ROLE_CLIENT && nargs == 0)
		return tl_errf(err, "tcplab-client needs its target ADDR:PORT as the last argument");
	for (size_t i = 0; i < options_end;) {
		size_t used = 0;
		int r = controller_option(role, args, options_end, i, workdir, &used, err);

		if (r == 0)
			r = scenario_option(section, args, options_end, i, &used, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return tl_errf(err, "'%s' is not an option the agent passes to %s", args[i],
				       agent_role_program(role));
		i += used;
	}
	if (role == AGENT_ROLE_CLIENT) {
		struct sockaddr_in target;

		if (check_lab_target(args[nargs - 1], &target, err) != 0 || check_spoof(args, options_end, err) != 0)
			return -1;
	}
	return 0;
}

int program_args_self_check(const char *program_path, char *const args[], size_t nargs, struct tl_err *err)
{
	char **argv = calloc(nargs + 3, sizeof(*argv));
	char output[1024];
	size_t n = 0;
	int status;
	int rc;

	if (argv == NULL)
		return tl_errf(err, "out of memory");
	argv[n++] = (char *)program_path;
	argv[n++] = "--check";
	for (size_t i = 0; i < nargs; i++) {
		if (strcmp(args[i], "--json") != 0)
			argv[n++] = args[i];
	}
	rc = exec_capture(argv, NULL, output, sizeof(output), &status, err);
	free(argv);
	if (rc != 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		output[strcspn(output, "\n")] = '\0';
		return tl_errf(err, "%s --check refused the options: %s", program_path, output);
	}
	return 0;
}
