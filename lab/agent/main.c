/* tcplab-agent: serve one side of the lab (its sysctls, its program, its sockets and counters) to a tcplab controller. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "agent.h"
#include "listen.h"
#include "parse.h"
#include "path.h"
#include "trust.h"
#include "version.h"
#include "side/caps.h"
#include "side/sysctl_io.h"
#include "agent/agent_options.h"

/* statfs(2) f_type of procfs. */
#define PROCFS_MAGIC 0x9fa0

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tcplab-agent --role server|client (--socket PATH | --listen ADDR:PORT --token-file FILE)\n"
		"                    [--workdir DIR] [--sysctl-root DIR] [--program-user UID:GID] [--allow-init-netns]\n"
		"  -r, --role ROLE         the side served: server runs tcplab-server, client runs tcplab-client\n"
		"  -s, --socket PATH       listen on a unix socket (mode 0660: the controller needs the agent's group)\n"
		"  -l, --listen ADDR:PORT  listen on TCP; every request must carry the token (Authorization: Bearer)\n"
		"  -t, --token-file FILE   the token, first line of FILE (required with --listen; at least 16\n"
		"                          characters; a regular file owned by the agent's uid, mode 0600, not a symlink)\n"
		"  -i, --allow-init-netns  serve TCP in the machine's own network namespace (refused without it: a new\n"
		"                          session resets every TCP connection of the namespace the agent lives in)\n"
		"  -w, --workdir DIR       programs write their output in DIR/session-N (default\n"
		"                          /tmp/tcplab-agent-ROLE)\n"
		"  -u, --program-user UID:GID  run the programs as this user, not as the agent (not root, not the\n"
		"                          agent's uid; needs CAP_SETUID, CAP_SETGID and CAP_KILL permitted, and the\n"
		"                          agent in group GID): they can then neither reach the agent's socket nor\n"
		"                          touch its files\n"
		"  -y, --sysctl-root DIR   DIR/net is a writable view of this namespace's /proc/sys/net (default\n"
		"                          /proc/sys; a container mounts the host's /proc/sys/net there, see\n"
		"                          docs/docker.md)\n"
		"  -V, --version           print the version\n"
		"  -h, --help              print this usage\n"
		"It applies profiles of the per-namespace net.* allowlist, starts the role's program with the\n"
		"options a scenario can give it, and reads sockets and counters of its own network namespace.\n"
		"Exit status: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 bad option.\n");
}

/* Whether this process belongs to group gid (its own or a supplementary group). */
static int in_group(gid_t gid)
{
	gid_t groups[256];
	int n = getgroups(256, groups);

	if (getegid() == gid)
		return 1;
	for (int i = 0; i < n; i++) {
		if (groups[i] == gid)
			return 1;
	}
	return 0;
}

/* --program-user UID:GID: another user than the agent's, not root, that this process can become. */
static int parse_program_user(const char *text, struct agent_config *cfg, struct tl_err *err)
{
	char uid_text[16];
	long uid, gid;
	size_t n = strcspn(text, ":");

	if (text[n] != ':' || n == 0 || n >= sizeof(uid_text))
		return tl_errf(err, "--program-user %s: give UID:GID", text);
	snprintf(uid_text, sizeof(uid_text), "%.*s", (int)n, text);
	if (parse_long(uid_text, 1, 2147483646, &uid, "--program-user UID", err) != 0 ||
	    parse_long(text + n + 1, 1, 2147483646, &gid, "--program-user GID", err) != 0)
		return -1;
	if ((uid_t)uid == geteuid() || (uid_t)uid == getuid())
		return tl_errf(err, "--program-user %s: that is the agent's own uid; give another user", text);
	/* The socket and the agent's own files belong to its group: the programs must not have it. */
	if ((gid_t)gid == getegid() || (gid_t)gid == getgid())
		return tl_errf(err, "--program-user %s: that is the agent's own group, which opens its socket; give "
				    "another group",
			       text);
	if (!caps_setid_permitted())
		return tl_errf(err, "--program-user %s: the agent needs CAP_SETUID and CAP_SETGID to start programs as that "
				    "user and CAP_KILL to stop them",
			       text);
	if (geteuid() != 0 && !in_group((gid_t)gid))
		return tl_errf(err, "--program-user %s: the agent is not in group %ld, so it could not give the session "
				    "folders to it",
			       text, gid);
	cfg->program_user_set = 1;
	cfg->program_user.uid = (uid_t)uid;
	cfg->program_user.gid = (gid_t)gid;
	return 0;
}

/* The profiles are written under root: it must be procfs and writable now, not at the first run. */
static int check_sysctl_root(const char *root)
{
	char path[TL_PATH_LEN];
	struct statfs st;
	struct tl_err err;
	int fd;

	if (tl_path_fmt(path, sizeof(path), &err, "%s/net", root) != 0) {
		fprintf(stderr, "tcplab-agent: sysctl root: %s\n", err.msg);
		return -1;
	}
	if (statfs(path, &st) != 0 || st.f_type != PROCFS_MAGIC) {
		fprintf(stderr, "tcplab-agent: %s is not /proc/sys/net (mount it there: docs/docker.md)\n", path);
		return -1;
	}
	if (tl_path_fmt(path, sizeof(path), &err, "%s/net/core/somaxconn", root) != 0) {
		fprintf(stderr, "tcplab-agent: sysctl root: %s\n", err.msg);
		return -1;
	}
	/* Opened, never written: permission is checked at open. */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr,
			"tcplab-agent: cannot write %s: %s; the agent needs CAP_NET_ADMIN (or root) and a writable\n"
			"  /proc/sys/net view (docs/docker.md: privileges)\n",
			path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int own_bindir(char *dir, size_t len)
{
	char exe[TL_PATH_LEN];
	struct tl_err err;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		fprintf(stderr, "tcplab-agent: readlink /proc/self/exe: %s\n", strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	if (tl_path_fmt(dir, len, &err, "%s", dirname(exe)) != 0) {
		fprintf(stderr, "tcplab-agent: program folder: %s\n", err.msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct agent_config cfg;
	const char *role = NULL, *socket_path = NULL, *listen_addr = NULL, *token_file = NULL, *workdir = NULL;
	const char *sysctl_root = "/proc/sys";
	const char *program_user = NULL;
	struct agent *agent = NULL;
	struct tl_err err;
	sigset_t stop;
	int listen_fd;
	int allow_init_netns = 0;
	int sig = 0;
	int c;

	memset(&cfg, 0, sizeof(cfg));
	opterr = 0; /* one line of our own instead of getopt's and the usage */
	while ((c = getopt_long(argc, argv, agent_short_options, agent_long_options, NULL)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 's':
			socket_path = optarg;
			break;
		case 'l':
			listen_addr = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'w':
			workdir = optarg;
			break;
		case 'y':
			sysctl_root = optarg;
			break;
		case 'i':
			allow_init_netns = 1;
			break;
		case 'u':
			program_user = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tcplab-agent %s\n", tl_version());
			return 0;
		case ':':
			fprintf(stderr, "tcplab-agent: %s needs a value (--help)\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "tcplab-agent: bad option '%s' (--help)\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc || role == NULL || (socket_path == NULL) == (listen_addr == NULL)) {
		fprintf(stderr, "tcplab-agent: give --role and exactly one of --socket or --listen (--help)\n");
		return 2;
	}
	if (agent_role_parse(role, &cfg.role, &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 2;
	}
	if (listen_addr != NULL && token_file == NULL) {
		fprintf(stderr, "tcplab-agent: --listen needs --token-file: on TCP every request must carry the token\n");
		return 2;
	}
	if (token_file != NULL && socket_path != NULL) {
		fprintf(stderr, "tcplab-agent: --token-file goes with --listen (a unix socket is guarded by its mode)\n");
		return 2;
	}
	if (program_user != NULL && parse_program_user(program_user, &cfg, &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 2;
	}
	if (token_file != NULL && trust_read_token(token_file, cfg.token, sizeof(cfg.token), &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 2;
	}
	/* POST /v1/session destroys every TCP connection of the agent's namespace but its own listener's. */
	if (listen_addr != NULL && !allow_init_netns) {
		int init = trust_in_init_netns(&err);

		if (init != 0) {
			fprintf(stderr, "tcplab-agent: %s: a TCP agent resets every connection of its network namespace "
					"at each session; run it in the lab's namespace or container, or give "
					"--allow-init-netns\n",
				init < 0 ? err.msg : "this is the machine's own network namespace");
			return 2;
		}
	}
	if ((workdir != NULL ? tl_path_fmt(cfg.workdir, sizeof(cfg.workdir), &err, "%s", workdir)
			     : tl_path_fmt(cfg.workdir, sizeof(cfg.workdir), &err, "/tmp/tcplab-agent-%s", role)) != 0) {
		fprintf(stderr, "tcplab-agent: --workdir: %s\n", err.msg);
		return 2;
	}
	/* Somebody else's folder, or a link to one, would receive the programs' output. */
	if (trust_check_workdir(cfg.workdir, AGENT_WORKDIR_MODE(&cfg), &err) < 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 2;
	}
	/* First of all: the sysctl check below already writes with CAP_NET_ADMIN. */
	if (caps_init(cfg.program_user_set, &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 1;
	}
	if (own_bindir(cfg.bindir, sizeof(cfg.bindir)) != 0 || check_sysctl_root(sysctl_root) != 0)
		return 1;
	if (sysctl_io_set_root(sysctl_root, &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 1;
	}

	/* Stop signals are taken by sigwait below; the serving thread inherits the blocked mask, and
	 * the programs it starts unblock every signal before exec. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((socket_path ? agent_listen_unix(socket_path, &listen_fd, &err)
			 : agent_listen_tcp(listen_addr, &listen_fd, &err)) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		return 1;
	}
	if (agent_start(&cfg, listen_fd, &agent, &err) != 0) {
		fprintf(stderr, "tcplab-agent: %s\n", err.msg);
		if (socket_path != NULL)
			unlink(socket_path);
		return 1;
	}
	fprintf(stderr, "tcplab-agent: serving the %s side on %s%s (programs from %s, sessions in %s)\n", role,
		socket_path ? "unix:" : "http://", socket_path ? socket_path : listen_addr, cfg.bindir, cfg.workdir);
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "tcplab-agent: %s: stopping\n", strsignal(sig));
	agent_stop(agent);
	if (socket_path != NULL)
		unlink(socket_path);
	return 0;
}
