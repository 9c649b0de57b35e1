/* cmd_opts: the options run, compare and sweep share (output, results folder, capture, backend), one table. */
#include "cmd_opts.h"

#include <string.h>

#include "commands.h"

int lab_opts_init(struct lab_common_opts *o, struct tl_err *err)
{
	memset(o, 0, sizeof(*o));
	o->results_dir = "results";
	o->capture = RUN_CAPTURE_AS_SCENARIO;
	/* The environment chooses first (the compose lab service sets TCPLAB_BACKEND=docker), options override. */
	return backend_config_from_env(&o->backend, err);
}

/* Take getopt's code c of option name with its argument: 1 when it was a shared option (taken), 0 when it is the
 * command's own, -1 with err on a bad value. */
static int take(struct lab_common_opts *o, int c, const char *name, const char *arg, struct tl_err *err)
{
	switch (c) {
	case LAB_OPT_JSON:
		o->json_out = 1;
		return 1;
	case LAB_OPT_RESULTS:
		o->results_dir = arg;
		return 1;
	case LAB_OPT_JUNIT:
		if (arg[0] == '\0')
			return tl_errf(err, "--junit: a file name, not an empty one");
		o->junit_path = arg;
		return 1;
	case LAB_OPT_CAPTURE:
		o->capture = RUN_CAPTURE_ON;
		return 1;
	case LAB_OPT_NO_CAPTURE:
		o->capture = RUN_CAPTURE_OFF;
		return 1;
	case LAB_OPT_BACKEND:
		return backend_config_set(&o->backend, name, arg, err) != 0 ? -1 : 1;
	}
	return 0;
}

int lab_opts_next(struct lab_common_opts *o, int argc, char **argv, const char *shortopts,
		  const struct option *long_opts, struct tl_err *err)
{
	for (;;) {
		int index = 0;
		int c = getopt_long(argc, argv, shortopts, long_opts, &index);
		int taken;

		if (c == -1)
			return -1;
		/* index names the entry of a long option only; a short one is never a shared option. */
		taken = take(o, c, long_opts[index].name, optarg, err);
		if (taken < 0)
			return LAB_OPT_BAD;
		if (taken == 0)
			return c;
	}
}

void lab_opts_usage(FILE *out)
{
	fputs("  --json         print the run or comparison document instead of the summary or table\n"
	      "  --results DIR  parent folder of the results (default: results)\n"
	      "  --junit FILE   also write the verdicts as JUnit XML to FILE, for CI: a testsuite per\n"
	      "                 replay, a testcase per expectation (docs/ci.md)\n"
	      "  --capture, --no-capture   record each side's packets (raw/server.pcap, raw/client.pcap)\n"
	      "                 and the kernel's drops (raw/drops.csv) or not, whatever the scenario's\n"
	      "                 [capture] says\n"
	      "  --backend B    netns: two network namespaces here (root; the default);\n"
	      "                 docker: the tcplab-agent of two containers (docs/docker.md)\n"
	      "  --server-agent ADDR, --client-agent ADDR   the agents: unix:/PATH or http://IP:PORT\n"
	      "  --agent-token-file F   bearer token of agents on TCP\n"
	      "  (defaults from TCPLAB_BACKEND, TCPLAB_SERVER_AGENT, TCPLAB_CLIENT_AGENT,\n"
	      "   TCPLAB_AGENT_TOKEN_FILE)\n",
	      out);
}

int lab_opts_check_environment(const struct lab_common_opts *o)
{
	return backend_needs_root(o->backend.kind) ? check_environment() : 0;
}

int lab_settings_add(struct lab_settings *s, const char *arg, struct tl_err *err)
{
	if (s->n == LAB_SET_MAX)
		return tl_errf(err, "--set %s: at most %d keys are replaced", arg, LAB_SET_MAX);
	if (scenario_override_parse(arg, &s->set[s->n], err) != 0)
		return tl_err_wrap(err, "--set");
	s->text[s->n++] = arg;
	return 0;
}
