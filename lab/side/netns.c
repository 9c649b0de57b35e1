/* netns: the lab topology (two namespaces with their own connection tables, one veth pair) built with ip -batch. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "ipv4_prefix.h"
#include "path.h"
#include "sysctl_io.h"

/*
 * Size of each lab namespace's own TCP established hash. A namespace created from the host shares the
 * host's table (262144 buckets here), and every inet_diag dump walks all of it: ~290 us per dump with
 * 500 sockets, against ~78 us with a private table of 1024 (bench/dump_cost.c). The kernel sizes a new
 * namespace's table from tcp_child_ehash_entries of the namespace its creator is in, so the lab
 * namespaces are created from a parent namespace that sets it; the host's value is never touched.
 * Chains stay short for the few thousand sockets a lab holds.
 */
#define NETNS_LAB_EHASH_ENTRIES "1024"

/*
 * The kernel also derives two defaults from the table size (tcp_max_tw_buckets = entries / 2 and
 * tcp_max_syn_backlog = max(128, entries / 128)): with 1024 entries a lab would keep only 512
 * TIME-WAIT sockets. The lab namespaces get back the values of a namespace created from the host,
 * which the parent is, so "kernel defaults" means the same thing with or without the private table.
 */
static const char *const ehash_derived_keys[] = { "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_max_tw_buckets" };
#define EHASH_DERIVED_COUNT (sizeof(ehash_derived_keys) / sizeof(ehash_derived_keys[0]))

/* Where iproute2 keeps named namespaces: one bind mount of /proc/<pid>/ns/net per name. */
#define NETNS_RUN_DIR "/run/netns"

/* One side's ip batch: loopback, its link, and a line of at most 64 bytes per extra client address. */
#define SIDE_CMDS_CHARS (256 + 64 * LAB_EXTRA_SOURCES_MAX)

static int lab_counter;

/* ip -batch with its commands on stdin, inside netns_fd (-1: ours); what is how errors name the command. */
static int ip_batch_in(int netns_fd, const char *what, char *const argv[], const char *commands, struct tl_err *err)
{
	char output[1024];
	int status;

	if (exec_capture_netns(netns_fd, argv, commands, output, sizeof(output), &status, err) != 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		output[strcspn(output, "\n")] = '\0';
		return tl_errf(err, "%s failed: %s", what, output);
	}
	return 0;
}

int netns_ip_batch(const char *ns, const char *commands, struct tl_err *err)
{
	char *argv_ns[] = { "ip", "-n", (char *)ns, "-batch", "-", NULL };
	char *argv_plain[] = { "ip", "-batch", "-", NULL };
	char what[64];

	snprintf(what, sizeof(what), "ip%s%s -batch", ns ? " -n " : "", ns ? ns : "");
	return ip_batch_in(-1, what, ns ? argv_ns : argv_plain, commands, err);
}

struct parent_call {
	int fd;
	struct tl_err err;
};

/* unshare(2) in a thread of its own moves only that thread, which ends right after. */
static void *parent_main(void *p)
{
	struct parent_call *call = p;

	if (unshare(CLONE_NEWNET) != 0) {
		tl_errf(&call->err, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return NULL;
	}
	call->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (call->fd < 0)
		tl_errf(&call->err, "open /proc/thread-self/ns/net: %s", strerror(errno));
	return NULL;
}

/*
 * The parent namespace has no name: only the fd holds it, so it goes away when the fd is closed or the
 * controller dies, and no error path (not even SIGKILL) can leave it behind. Its tcp_child_ehash_entries
 * is set; defaults[] receives the ehash-derived keys as a namespace created from the host has them.
 */
static int parent_create(int *parent_fd, struct side_applied *defaults, struct tl_err *err)
{
	const struct sysctl_write child_ehash = { "net.ipv4.tcp_child_ehash_entries", NETNS_LAB_EHASH_ENTRIES };
	struct parent_call call = { .fd = -1 };
	pthread_t tid;
	int rc;

	rc = pthread_create(&tid, NULL, parent_main, &call);
	if (rc != 0)
		return tl_errf(err, "pthread_create: %s", strerror(rc));
	pthread_join(tid, NULL);
	if (call.fd < 0) {
		*err = call.err;
		return tl_err_wrap(err, "parent namespace");
	}
	memset(defaults, 0, sizeof(*defaults));
	/* Kernels before 6.1 lack the key; sysctl_io skips it and the lab shares the host's table as before. */
	if (sysctl_io_apply(call.fd, &child_ehash, 1, ehash_derived_keys, EHASH_DERIVED_COUNT, defaults, err) != 0) {
		close(call.fd);
		return tl_err_wrap(err, "parent namespace");
	}
	*parent_fd = call.fd;
	return 0;
}

/* Give a lab namespace the parent's (the host-created) values of the ehash-derived keys. */
static int restore_defaults(int netns_fd, const char *ns, const struct side_applied *defaults, struct tl_err *err)
{
	struct sysctl_write writes[EHASH_DERIVED_COUNT];
	struct side_applied ignored;
	size_t n = 0;

	/* defaults also holds tcp_child_ehash_entries as written: take only the derived keys. */
	for (int i = 0; i < defaults->count; i++) {
		for (size_t k = 0; k < EHASH_DERIVED_COUNT; k++) {
			/* A key this kernel lacks reads back "absent": nothing to restore. */
			if (strcmp(defaults->values[i].key, ehash_derived_keys[k]) != 0 ||
			    strcmp(defaults->values[i].value, "absent") == 0)
				continue;
			writes[n].key = defaults->values[i].key;
			writes[n].value = defaults->values[i].value;
			n++;
		}
	}
	memset(&ignored, 0, sizeof(ignored));
	if (sysctl_io_apply(netns_fd, writes, n, NULL, 0, &ignored, err) != 0)
		return tl_err_wrap(err, "%s: restoring defaults", ns);
	return 0;
}

static int open_ns(const char *name, int *fd, struct tl_err *err)
{
	char path[TL_PATH_LEN];

	*fd = -1;
	if (tl_path_fmt(path, sizeof(path), err, NETNS_RUN_DIR "/%s", name) != 0)
		return -1;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return tl_errf(err, "open %s: %s", path, strerror(errno));
	return 0;
}

/* What one lab namespace needs once the veth is in place. */
struct side_setup {
	int netns_fd;
	const char *ns;
	const struct side_applied *defaults;
	char cmds[SIDE_CMDS_CHARS];
	struct tl_err err;
	int result;
};

/* Loopback, address(es), link up, then the host-created defaults of the ehash-derived keys. */
static void *side_setup_main(void *p)
{
	struct side_setup *job = p;
	char *ip_argv[] = { "ip", "-batch", "-", NULL };
	char what[64];

	snprintf(what, sizeof(what), "ip -batch in %s", job->ns);
	/* ip joins the namespace by fd: `ip -n` would also unshare a mount namespace and remount /sys. */
	job->result = ip_batch_in(job->netns_fd, what, ip_argv, job->cmds, &job->err);
	if (job->result == 0)
		job->result = restore_defaults(job->netns_fd, job->ns, job->defaults, &job->err);
	return NULL;
}

int netns_lab_create(struct netns_lab *lab, int client_sources, struct tl_err *err)
{
	char *ip_argv[] = { "ip", "-batch", "-", NULL };
	struct side_applied defaults;
	struct side_setup server = { .result = -1 };
	struct side_setup client = { .result = -1 };
	pthread_t server_tid;
	char cmds[2048];
	size_t off;
	int parent_fd = -1;
	int n = lab_counter++;
	long pid = (long)getpid();
	int rc;

	if (client_sources < 0 || client_sources > LAB_EXTRA_SOURCES_MAX)
		return tl_errf(err, "creating the lab namespaces: %d extra client addresses, at most %d", client_sources,
			       LAB_EXTRA_SOURCES_MAX);
	memset(lab, 0, sizeof(*lab));
	lab->server_fd = -1;
	lab->client_fd = -1;
	lab->client_sources = client_sources;
	snprintf(lab->server_ns, sizeof(lab->server_ns), NETNS_PREFIX "%ld-%d-s", pid, n);
	snprintf(lab->client_ns, sizeof(lab->client_ns), NETNS_PREFIX "%ld-%d-c", pid, n);
	/* The ends never exist in our namespace, so names need only differ inside one lab; pid and counter still
	 * tell labs apart in a kernel log. */
	snprintf(lab->server_if, sizeof(lab->server_if), "tl%ldx%ds", pid % 10000000, n % 100);
	snprintf(lab->client_if, sizeof(lab->client_if), "tl%ldx%dc", pid % 10000000, n % 100);
	snprintf(lab->server_addr, sizeof(lab->server_addr), "198.18.0.1");
	snprintf(lab->client_addr, sizeof(lab->client_addr), "198.18.0.2");

	if (parent_create(&parent_fd, &defaults, err) != 0)
		return tl_err_wrap(err, "creating the lab namespaces");
	/* ip returns to the parent after each `netns add`, so both are created from it. */
	snprintf(cmds, sizeof(cmds),
		 "netns add %s\nnetns add %s\nlink add %s netns %s type veth peer name %s netns %s\n",
		 lab->server_ns, lab->client_ns, lab->server_if, lab->server_ns, lab->client_if, lab->client_ns);
	lab->up = 1;
	rc = ip_batch_in(parent_fd, "ip -batch in the parent namespace", ip_argv, cmds, err);
	/* The lab namespaces keep their tables; the parent is done. */
	close(parent_fd);
	if (rc != 0)
		goto fail;

	if (open_ns(lab->server_ns, &lab->server_fd, err) != 0 || open_ns(lab->client_ns, &lab->client_fd, err) != 0)
		goto fail;
	server.netns_fd = lab->server_fd;
	server.ns = lab->server_ns;
	server.defaults = &defaults;
	snprintf(server.cmds, sizeof(server.cmds), "link set lo up\naddr add %s/24 dev %s\nlink set %s up\n",
		 lab->server_addr, lab->server_if, lab->server_if);
	client.netns_fd = lab->client_fd;
	client.ns = lab->client_ns;
	client.defaults = &defaults;
	off = (size_t)snprintf(client.cmds, sizeof(client.cmds), "link set lo up\naddr add %s/24 dev %s\n",
			       lab->client_addr, lab->client_if);
	for (int i = 0; i < client_sources; i++)
		off += (size_t)snprintf(client.cmds + off, sizeof(client.cmds) - off, "addr add 198.18.0.%d/24 dev %s\n",
					3 + i, lab->client_if);
	off += (size_t)snprintf(client.cmds + off, sizeof(client.cmds) - off, "link set %s up\n", lab->client_if);
	if (off >= sizeof(client.cmds)) {
		tl_errf(err, "the client's ip batch does not fit in %zu bytes", sizeof(client.cmds));
		goto fail;
	}
	/* The two sides are independent: configure them at once (each is mostly an ip process starting). */
	rc = pthread_create(&server_tid, NULL, side_setup_main, &server);
	if (rc != 0) {
		tl_errf(err, "pthread_create: %s", strerror(rc));
		goto fail;
	}
	side_setup_main(&client);
	pthread_join(server_tid, NULL);
	if (server.result != 0 || client.result != 0) {
		*err = server.result != 0 ? server.err : client.err;
		goto fail;
	}
	return 0;
fail:
	tl_err_wrap(err, "creating the lab namespaces");
	netns_lab_destroy(lab);
	return -1;
}

const char *netns_lab_sources(const struct netns_lab *lab, char *buf, size_t len)
{
	size_t off;

	if (lab->client_sources <= 0)
		return NULL;
	off = (size_t)snprintf(buf, len, "%s", lab->client_addr);
	for (int i = 0; i < lab->client_sources && off + 16 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, ",198.18.0.%d", 3 + i);
	return buf;
}

/* What `ip netns del` does: detach the bind mount that keeps the namespace alive and remove its file. */
static int remove_ns(const char *name, struct tl_err *err)
{
	char path[TL_PATH_LEN];

	if (tl_path_fmt(path, sizeof(path), err, NETNS_RUN_DIR "/%s", name) != 0)
		return -1;
	/* EINVAL: not a mount point (the empty file of a failed `netns add`), which still has to go. */
	if (umount2(path, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
		return tl_errf(err, "umount %s: %s", path, strerror(errno));
	if (unlink(path) != 0 && errno != ENOENT)
		return tl_errf(err, "remove %s: %s", path, strerror(errno));
	return 0;
}

void netns_lab_destroy(struct netns_lab *lab)
{
	struct tl_err ignored;

	if (!lab->up)
		return;
	if (lab->server_fd >= 0)
		close(lab->server_fd);
	if (lab->client_fd >= 0)
		close(lab->client_fd);
	lab->server_fd = lab->client_fd = -1;
	/* Deleting a namespace takes its end of the veth with it, and the peer goes too. A namespace that was
	 * never created is simply absent. */
	remove_ns(lab->server_ns, &ignored);
	remove_ns(lab->client_ns, &ignored);
	lab->up = 0;
}

/* A namespace is stale when the controller whose pid is in its name no longer runs tcplab. */
int netns_owner_alive(long pid)
{
	char path[64];
	char comm[32] = "";
	FILE *f;

	/* Always fits: a number in a fixed frame. */
	if (tl_path_fmt(path, sizeof(path), NULL, "/proc/%ld/comm", pid) != 0)
		return 0;
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(comm, sizeof(comm), f) == NULL)
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, "tcplab") == 0;
}

int netns_cleanup_stale(int dry_run, struct tl_err *err)
{
	DIR *dir = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	int removed = 0;

	if (dir == NULL)
		return errno == ENOENT ? 0 : tl_errf(err, "opendir " NETNS_RUN_DIR ": %s", strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		char *end = NULL;
		long pid;
		size_t plen = strlen(NETNS_PREFIX);

		if (strncmp(de->d_name, NETNS_PREFIX, plen) != 0)
			continue;
		pid = strtol(de->d_name + plen, &end, 10);
		/* Only names of our shape: tcplab-<pid>-<n>-s|c (the parent namespace is never named). */
		if (end == de->d_name + plen || *end != '-' || netns_owner_alive(pid))
			continue;
		printf("%s namespace %s (controller pid %ld is gone)\n", dry_run ? "would remove" : "removing",
		       de->d_name, pid);
		if (!dry_run && remove_ns(de->d_name, err) != 0) {
			closedir(dir);
			return -1;
		}
		removed++;
	}
	closedir(dir);
	return removed;
}
