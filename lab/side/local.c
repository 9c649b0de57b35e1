/* local: a side in a network namespace of this machine: setns for sysctls and probes, fork/exec for programs. */
#include "local.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "clock.h"
#include "csv.h"
#include "exec.h"
#include "ipv4_prefix.h"
#include "link_rules.h"
#include "nsthread.h"
#include "path.h"
#include "route_nl.h"
#include "sysctl_io.h"

#define LOCAL_MAX_PROCS 8
/* Routes one side may add (the SYN-flood lab adds one per side). */
#define LOCAL_MAX_ROUTES 4

struct local_proc {
	pid_t pid;
	int exited;
	int wait_status;
	char name[32];
};

struct local_side {
	struct side base;
	int netns_fd;
	char workdir[TL_PATH_LEN];
	struct sockdiag diag;
	int diag_open;
	struct local_proc procs[LOCAL_MAX_PROCS];
	int nprocs;
	struct lab_route routes[LOCAL_MAX_ROUTES];
	int nroutes;
	int lend_net_raw; /* the next program started gets CAP_NET_RAW (side_local_lend_net_raw) */
	int run_as_set;   /* programs run as run_as (side_local_run_as) */
	struct exec_user run_as;
};

static struct local_side *local_of(struct side *s)
{
	return (struct local_side *)s;
}

static int local_apply_profile(struct side *s, const struct profile *p, struct side_applied *out, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct sysctl_write writes[PROFILE_MAX_SETTINGS];
	const char *readback[64];
	size_t nreadback = 0;
	struct utsname uts;

	memset(out, 0, sizeof(*out));
	if (uname(&uts) == 0)
		snprintf(out->kernel_release, sizeof(out->kernel_release), "%s", uts.release);
	for (size_t i = 0; i < p->count; i++) {
		writes[i].key = p->settings[i].key;
		writes[i].value = p->settings[i].value;
	}
	/* Record every key a profile could set, so two runs' profiles compare line by line. */
	while (nreadback < sizeof(readback) / sizeof(readback[0]) && profile_allowed_key(nreadback) != NULL) {
		readback[nreadback] = profile_allowed_key(nreadback);
		nreadback++;
	}
	return sysctl_io_apply(ls->netns_fd, writes, p->count, readback, nreadback, out, err);
}

static int local_spawn(struct side *s, const char *name, char *const argv[], int *proc, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct local_proc *lp;
	char out_path[TL_PATH_LEN];
	char err_path[TL_PATH_LEN];

	if (ls->nprocs == LOCAL_MAX_PROCS)
		return tl_errf(err, "%s side: too many programs", s->role);
	lp = &ls->procs[ls->nprocs];
	memset(lp, 0, sizeof(*lp));
	snprintf(lp->name, sizeof(lp->name), "%s", name);
	if (tl_path_fmt(out_path, sizeof(out_path), err, "%s/%s.stdout", ls->workdir, name) != 0 ||
	    tl_path_fmt(err_path, sizeof(err_path), err, "%s/%s.stderr", ls->workdir, name) != 0)
		return tl_err_wrap(err, "%s side", s->role);
	if (exec_spawn(ls->netns_fd, argv, out_path, err_path, ls->run_as_set ? &ls->run_as : NULL, ls->lend_net_raw,
		       &lp->pid, err) != 0)
		return -1;
	*proc = ls->nprocs++;
	return 0;
}

static int local_signal(struct side *s, int proc, int sig, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct local_proc *lp = &ls->procs[proc];

	if (lp->exited)
		return 0;
	if (kill(lp->pid, sig) != 0 && errno != ESRCH)
		return tl_errf(err, "kill %s (pid %d): %s", lp->name, (int)lp->pid, strerror(errno));
	return 0;
}

static int local_poll_exit(struct side *s, int proc, int *wait_status, struct tl_err *err)
{
	struct local_proc *lp = &local_of(s)->procs[proc];
	pid_t r;

	if (!lp->exited) {
		r = waitpid(lp->pid, &lp->wait_status, WNOHANG);
		if (r < 0 && errno != EINTR)
			return tl_errf(err, "waitpid %s: %s", lp->name, strerror(errno));
		if (r == lp->pid)
			lp->exited = 1;
	}
	if (lp->exited)
		*wait_status = lp->wait_status;
	return lp->exited;
}

static int local_counters(struct side *s, struct counters *out, struct tl_err *err)
{
	return counters_read_netns(local_of(s)->netns_fd, out, err);
}

static int local_sample(struct side *s, uint16_t port, int listeners_only, struct sockdiag_sample *out,
			struct tl_err *err)
{
	struct local_side *ls = local_of(s);

	if (!ls->diag_open) {
		if (sockdiag_open(&ls->diag, ls->netns_fd, err) != 0)
			return -1;
		ls->diag_open = 1;
	}
	if (listeners_only)
		return sockdiag_sample_listeners(&ls->diag, port, out, err);
	return sockdiag_sample(&ls->diag, port, out, err);
}

static int local_raw(struct side *s, enum side_raw what, const char *local_path, struct tl_err *err)
{
	char *ss_tan[] = { "ss", "-tan", NULL };
	char *ss_ltn[] = { "ss", "-ltn", NULL };
	/* -a absolute, -s do not touch nstat's history file, -z include zero counters. */
	char *nstat[] = { "nstat", "-asz", NULL };
	char **argv = NULL;

	switch (what) {
	case SIDE_RAW_SS_TAN:
		argv = ss_tan;
		break;
	case SIDE_RAW_SS_LTN:
		argv = ss_ltn;
		break;
	case SIDE_RAW_NSTAT:
		argv = nstat;
		break;
	}
	return exec_to_file(local_of(s)->netns_fd, argv, local_path, err);
}

static int copy_file(const char *from, const char *to, struct tl_err *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out;
	ssize_t r;

	if (in < 0)
		return tl_errf(err, "open %s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (out < 0) {
		close(in);
		return tl_errf(err, "create %s: %s", to, strerror(errno));
	}
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)r) != r) {
			close(in);
			close(out);
			return tl_errf(err, "write %s: %s", to, strerror(errno));
		}
	}
	close(in);
	if (close(out) != 0 || r < 0)
		return tl_errf(err, "copy %s: %s", from, strerror(errno));
	return 0;
}

static int local_fetch(struct side *s, int proc, const char *stream, const char *local_path, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	char path[TL_PATH_LEN];

	if ((strcmp(stream, "stdout") == 0 || strcmp(stream, "stderr") == 0
		     ? tl_path_fmt(path, sizeof(path), err, "%s/%s.%s", ls->workdir, ls->procs[proc].name, stream)
		     : tl_path_fmt(path, sizeof(path), err, "%s/%s", ls->workdir, stream)) != 0)
		return -1;
	if (strcmp(path, local_path) == 0)
		return 0;
	return copy_file(path, local_path, err);
}

static int add_route_here(void *arg, struct tl_err *err)
{
	return route_nl_add(arg, err);
}

static int delete_route_here(void *arg, struct tl_err *err)
{
	return route_nl_delete(arg, err);
}

static int local_add_route(struct side *s, const char *prefix, const char *via, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct lab_route *r;

	if (ls->nroutes == LOCAL_MAX_ROUTES)
		return tl_errf(err, "%s side: more than %d routes", s->role, LOCAL_MAX_ROUTES);
	r = &ls->routes[ls->nroutes];
	if (lab_route_parse(prefix, via, "route", r, err) != 0 || nsthread_run(ls->netns_fd, add_route_here, r, err) != 0)
		return tl_err_wrap(err, "%s side", s->role);
	ls->nroutes++;
	return 0;
}

/* How long a recorder may take to open its interface. */
#define CAPTURE_READY_US 5000000

struct lab_iface {
	char name[IF_NAMESIZE];
};

/* The interface that carries this namespace's address on the lab link (the veth, or a container's eth0). */
static int find_lab_iface(void *arg, struct tl_err *err)
{
	struct lab_iface *out = arg;
	struct ipv4_prefix link;
	struct ifaddrs *ifs = NULL;

	if (ipv4_prefix_parse(LAB_LINK_TEXT, "lab link", &link, err) != 0)
		return -1;
	if (getifaddrs(&ifs) != 0)
		return tl_errf(err, "getifaddrs: %s", strerror(errno));
	out->name[0] = '\0';
	for (struct ifaddrs *i = ifs; i != NULL && out->name[0] == '\0'; i = i->ifa_next) {
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET &&
		    ipv4_prefix_contains(&link, ((struct sockaddr_in *)i->ifa_addr)->sin_addr))
			snprintf(out->name, sizeof(out->name), "%s", i->ifa_name);
	}
	freeifaddrs(ifs);
	if (out->name[0] == '\0')
		return tl_errf(err, "no interface with an address on the lab link %s", LAB_LINK_TEXT);
	return 0;
}

/* A program's stderr or stdout read back for a message: far more than any says. */
#define LOCAL_TEXT_MAX_BYTES (64LL * 1024 * 1024)

/* The last line of a small text file (a program's stderr), "" when there is none. */
static void last_line(const char *path, char *line, size_t len)
{
	char buf[512];
	struct tl_err ignored;
	/* A program may have left something else under that name: read only a plain file, never a FIFO. */
	FILE *f = csv_open_untrusted(path, LOCAL_TEXT_MAX_BYTES, &ignored);

	line[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		if (buf[0] != '\n') {
			size_t n = strnlen(buf, len - 1);

			memcpy(line, buf, n);
			line[n] = '\0';
		}
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
}

/* Whether the recorder's stdout already holds its "ready" line. */
static int capture_ready(const char *stdout_path)
{
	char buf[256];
	struct tl_err ignored;
	FILE *f = csv_open_untrusted(stdout_path, LOCAL_TEXT_MAX_BYTES, &ignored);
	int ready = 0;

	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL)
		ready = strstr(buf, "\"ready\":true") != NULL;
	fclose(f);
	return ready;
}

/* Wait until the program proc started as name prints its "ready" line; on failure it is ended and the error
 * carries its last word (or what). */
static int wait_ready(struct side *s, int proc, const char *name, const char *what, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	char out_path[TL_PATH_LEN], err_path[TL_PATH_LEN], why[300];
	int64_t deadline;
	int status;

	/* local_spawn built these very paths: they fit. */
	if (tl_path_fmt(out_path, sizeof(out_path), err, "%s/%s.stdout", ls->workdir, name) != 0 ||
	    tl_path_fmt(err_path, sizeof(err_path), err, "%s/%s.stderr", ls->workdir, name) != 0)
		return -1;
	deadline = clock_mono_us() + CAPTURE_READY_US;
	while (!capture_ready(out_path)) {
		if (local_poll_exit(s, proc, &status, err) != 0) {
			last_line(err_path, why, sizeof(why));
			return tl_errf(err, "%s side: %s", s->role, why[0] ? why : what);
		}
		if (clock_mono_us() > deadline) {
			local_signal(s, proc, SIGKILL, err);
			return tl_errf(err, "%s side: %s: not ready within %d s", s->role, name, CAPTURE_READY_US / 1000000);
		}
		clock_sleep_us(1000);
	}
	return 0;
}

static int local_capture_start(struct side *s, const struct side_capture *c, int *proc, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct lab_iface iface;
	char name[32], pcap[TL_PATH_LEN], snaplen[16], max_bytes[32];
	char *argv[] = { (char *)c->program, "--interface", iface.name, "--output", pcap, "--snaplen", snaplen,
			 "--max-bytes", max_bytes, NULL };
	int rc;

	*proc = -1;
	if (nsthread_run(ls->netns_fd, find_lab_iface, &iface, err) != 0)
		return tl_err_wrap(err, "%s side: capture", s->role);
	snprintf(name, sizeof(name), "%s-capture", s->role);
	if (tl_path_fmt(pcap, sizeof(pcap), err, "%s/%s.pcap", ls->workdir, s->role) != 0)
		return tl_err_wrap(err, "%s side: capture", s->role);
	snprintf(snaplen, sizeof(snaplen), "%d", c->snaplen_bytes);
	snprintf(max_bytes, sizeof(max_bytes), "%" PRId64, c->max_bytes);
	/* A file an earlier recorder left would be refused (O_EXCL): each run's folder starts empty. */
	ls->lend_net_raw = caps_net_raw_permitted();
	rc = local_spawn(s, name, argv, proc, err);
	ls->lend_net_raw = 0;
	if (rc != 0)
		return -1;
	return wait_ready(s, *proc, name, "tcplab-capture ended at start", err);
}

/* Run argv in the side's namespace with stdin_text; an error carrying its output unless it exits 0. */
static int run_tool(struct local_side *ls, char *const argv[], const char *stdin_text, char *out, size_t cap,
		    struct tl_err *err)
{
	int status = 0;

	if (exec_capture_netns(ls->netns_fd, argv, stdin_text, out, cap, &status, err) != 0)
		return tl_err_wrap(err, "%s side: %s", ls->base.role, argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		out[strcspn(out, "\n")] = '\0';
		return tl_errf(err, "%s side: %s failed: %s", ls->base.role, argv[0], out[0] ? out : "no message");
	}
	return 0;
}

static int local_link_apply(struct side *s, const struct side_link *l, int *proc, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	struct lab_iface iface;
	char ruleset[1024], out[2048], name[32], delay[32], jitter[32];
	char *nft[] = { "nft", "-f", "-", NULL };
	struct link_tbf t;

	*proc = -1;
	if (nsthread_run(ls->netns_fd, find_lab_iface, &iface, err) != 0)
		return tl_err_wrap(err, "%s side: link", s->role);
	if (link_nft_ruleset(iface.name, l, ruleset, sizeof(ruleset), err) != 0)
		return tl_err_wrap(err, "%s side", s->role);
	/* The delay line reads its queue before the rule sends packets there. */
	if (l->delay_us > 0) {
		char queue[16];
		char *argv[] = { (char *)l->delay_program, "--queue", queue, "--delay", delay, "--jitter", jitter, NULL };

		snprintf(name, sizeof(name), "%s-delay", s->role);
		snprintf(queue, sizeof(queue), "%d", LINK_QUEUE_NUM);
		snprintf(delay, sizeof(delay), "%" PRId64 "us", l->delay_us);
		snprintf(jitter, sizeof(jitter), "%" PRId64 "us", l->jitter_us);
		if (local_spawn(s, name, argv, proc, err) != 0 ||
		    wait_ready(s, *proc, name, "tcplab-delay ended at start", err) != 0)
			return -1;
	}
	if (run_tool(ls, nft, ruleset, out, sizeof(out), err) != 0)
		return -1;
	if (l->delay_us > 0) {
		char num[16];
		char *queue[] = LINK_QUEUE_RULE(iface.name, num);

		snprintf(num, sizeof(num), "%d", LINK_QUEUE_NUM);
		if (run_tool(ls, queue, NULL, out, sizeof(out), err) != 0)
			return -1;
	}
	if (l->rate_bps > 0) {
		char *tc[] = { "tc", "qdisc", "replace", "dev", iface.name, "root", "tbf", "rate", t.rate_bit,
			       "burst", t.burst_bytes, "limit", t.limit_bytes, NULL };

		link_tbf_params(l->rate_bps, &t);
		if (run_tool(ls, tc, NULL, out, sizeof(out), err) != 0)
			return -1;
	}
	return 0;
}

static int local_link_counts(struct side *s, struct side_link_counts *out, struct tl_err *err)
{
	struct local_side *ls = local_of(s);
	char *nft[] = { "nft", "-j", "list", "counters", "table", "ip", LINK_NFT_TABLE, NULL };
	char text[8192];

	if (run_tool(ls, nft, NULL, text, sizeof(text), err) != 0)
		return -1;
	if (link_nft_counts_parse(text, out, err) != 0)
		return tl_err_wrap(err, "%s side", s->role);
	return 0;
}

static uint64_t local_netns_ino(struct side *s)
{
	struct local_side *ls = local_of(s);
	struct stat st;
	int rc = ls->netns_fd >= 0 ? fstat(ls->netns_fd, &st) : stat("/proc/self/ns/net", &st);

	return rc == 0 ? (uint64_t)st.st_ino : 0;
}

static const char *local_workdir(struct side *s)
{
	return local_of(s)->workdir;
}

static void local_destroy(struct side *s)
{
	struct local_side *ls = local_of(s);
	int status;
	struct tl_err ignored;

	for (int i = 0; i < ls->nprocs; i++) {
		if (local_poll_exit(s, i, &status, &ignored) == 0) {
			kill(ls->procs[i].pid, SIGKILL);
			waitpid(ls->procs[i].pid, &status, 0);
		}
	}
	/* A namespace of our own goes with its routes; a container's lives on, and the next session starts
	 * without them (an agent's session closes its side before it opens a new one). */
	for (int i = ls->nroutes - 1; i >= 0; i--)
		nsthread_run(ls->netns_fd, delete_route_here, &ls->routes[i], &ignored);
	if (ls->diag_open)
		sockdiag_close(&ls->diag);
	free(ls);
}

static const struct side_ops local_ops = {
	.apply_profile = local_apply_profile,
	.spawn = local_spawn,
	.signal = local_signal,
	.poll_exit = local_poll_exit,
	.counters = local_counters,
	.sample = local_sample,
	.raw = local_raw,
	.fetch = local_fetch,
	.add_route = local_add_route,
	.capture_start = local_capture_start,
	.link_apply = local_link_apply,
	.link_counts = local_link_counts,
	.netns_ino = local_netns_ino,
	.workdir = local_workdir,
	.destroy = local_destroy,
};

void side_local_lend_net_raw(struct side *s, int on)
{
	local_of(s)->lend_net_raw = on;
}

int side_local_create(const char *role, int netns_fd, const char *workdir, struct side **out, struct tl_err *err)
{
	struct local_side *ls = calloc(1, sizeof(*ls));

	if (ls == NULL)
		return tl_errf(err, "out of memory");
	ls->base.ops = &local_ops;
	ls->base.role = role;
	ls->netns_fd = netns_fd;
	if (tl_path_fmt(ls->workdir, sizeof(ls->workdir), err, "%s", workdir) != 0) {
		free(ls);
		return tl_err_wrap(err, "%s side: work folder", role);
	}
	*out = &ls->base;
	return 0;
}

void side_local_run_as(struct side *s, const struct exec_user *user)
{
	struct local_side *ls = local_of(s);

	ls->run_as_set = user != NULL;
	if (user != NULL)
		ls->run_as = *user;
}
