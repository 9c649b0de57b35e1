/* setup_time: time tcplab's lab set-up and tear-down (namespaces, veth, addresses, both profiles applied). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "clock.h"
#include "parse.h"
#include "side/local.h"
#include "side/netns.h"
#include "side/sysctl_io.h"
#include "stats.h"
#include "tl_err.h"

#define SETUP_MAX_ROUNDS 1000

/* What the kernel gave the lab: its own established hash (negative: the host's) and the keys derived from it. */
static int print_lab_tables(const struct netns_lab *lab, struct tl_err *err)
{
	static const char *const keys[] = { "net.ipv4.tcp_ehash_entries", "net.ipv4.tcp_max_tw_buckets",
					    "net.ipv4.tcp_max_syn_backlog" };
	const int fds[2] = { lab->server_fd, lab->client_fd };
	struct side_applied seen;

	for (int i = 0; i < 2; i++) {
		memset(&seen, 0, sizeof(seen));
		if (sysctl_io_apply(fds[i], NULL, 0, keys, sizeof(keys) / sizeof(keys[0]), &seen, err) != 0)
			return -1;
		printf("%s:", i == 0 ? "server" : "client");
		for (int k = 0; k < seen.count; k++)
			printf(" %s=%s", seen.values[k].key + strlen("net.ipv4."), seen.values[k].value);
		printf("\n");
	}
	return 0;
}

/* One complete cycle, exactly what a run does before it starts programs and after it stops them. */
static int one_cycle(const struct profile *p, const char *workdir, int show_tables, int64_t *cycle_us,
		     struct tl_err *err)
{
	struct netns_lab lab;
	struct side *server = NULL;
	struct side *client = NULL;
	struct side_applied applied;
	int64_t start_us = clock_mono_us();
	int rc = -1;

	if (netns_lab_create(&lab, 0, err) != 0)
		return -1;
	if (side_local_create("server", lab.server_fd, workdir, &server, err) != 0 ||
	    side_local_create("client", lab.client_fd, workdir, &client, err) != 0)
		goto out;
	if (server->ops->apply_profile(server, p, &applied, err) != 0 ||
	    client->ops->apply_profile(client, p, &applied, err) != 0)
		goto out;
	rc = 0;
out:
	/* The tables can only be read while the lab exists: leave the read out of the cycle's time. */
	if (rc == 0 && show_tables) {
		int64_t read_start_us = clock_mono_us();

		rc = print_lab_tables(&lab, err);
		start_us += clock_mono_us() - read_start_us;
	}
	if (client != NULL)
		client->ops->destroy(client);
	if (server != NULL)
		server->ops->destroy(server);
	netns_lab_destroy(&lab);
	*cycle_us = clock_mono_us() - start_us;
	return rc;
}

int main(int argc, char **argv)
{
	static int64_t cycles_us[SETUP_MAX_ROUNDS];
	struct profile profile;
	struct tl_err err = { "" };
	long rounds;
	const char *workdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	if (argc != 3) {
		fprintf(stderr, "usage: %s ROUNDS PROFILE.conf\n", argv[0]);
		return 2;
	}
	if (parse_long(argv[1], 1, SETUP_MAX_ROUNDS, &rounds, "ROUNDS", &err) != 0 ||
	    profile_load(argv[2], &profile, &err) != 0) {
		fprintf(stderr, "setup_time: %s\n", err.msg);
		return 2;
	}
	/* The lab's names carry our pid; `tcplab cleanup` spares them only while that pid is called tcplab. */
	prctl(PR_SET_NAME, "tcplab");
	for (long i = 0; i < rounds; i++) {
		if (one_cycle(&profile, workdir, i == 0, &cycles_us[i], &err) != 0) {
			fprintf(stderr, "setup_time: round %ld: %s\n", i + 1, err.msg);
			return 1;
		}
	}
	stats_sort_us(cycles_us, (size_t)rounds);
	printf("rounds %ld median_ms %.2f p90_ms %.2f min_ms %.2f max_ms %.2f\n", rounds,
	       (double)stats_percentile_us(cycles_us, (size_t)rounds, 50) / 1000.0,
	       (double)stats_percentile_us(cycles_us, (size_t)rounds, 90) / 1000.0, (double)cycles_us[0] / 1000.0,
	       (double)cycles_us[rounds - 1] / 1000.0);
	return 0;
}
