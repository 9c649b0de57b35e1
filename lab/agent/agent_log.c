/* agent_log: the agent's lines about refused requests: text from the network escaped, a few lines per window. */
#include "agent_log.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

/* Printed characters of a method or URL: the rest is cut. */
#define AGENT_LOG_TEXT_MAX 80

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static long long window_start_s = -1000000;
static unsigned printed, dropped;

void agent_log_escape(const char *in, size_t max_in, char *out, size_t out_len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; in != NULL && i < max_in && in[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			if (o + 1 >= out_len)
				break;
			out[o++] = (char)ch;
		} else {
			if (o + 4 >= out_len)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

static long long mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* Under log_lock: start a new window when the current one is over, with the summary of the old one. */
static void roll_window(long long now_s)
{
	if (now_s - window_start_s < AGENT_LOG_REFUSAL_WINDOW_S)
		return;
	if (dropped > 0)
		fprintf(stderr, "tcplab-agent: %u more refusals not shown (at most %d lines per %d s)\n", dropped,
			AGENT_LOG_REFUSALS_PER_WINDOW, AGENT_LOG_REFUSAL_WINDOW_S);
	window_start_s = now_s;
	printed = 0;
	dropped = 0;
}

void agent_log_refusal(unsigned status, const char *method, const char *url, const char *why)
{
	char m[AGENT_LOG_TEXT_MAX * 4 + 1], u[AGENT_LOG_TEXT_MAX * 4 + 1], w[600];

	pthread_mutex_lock(&log_lock);
	roll_window(mono_s());
	if (printed == AGENT_LOG_REFUSALS_PER_WINDOW) {
		dropped++;
		pthread_mutex_unlock(&log_lock);
		return;
	}
	printed++;
	agent_log_escape(method, AGENT_LOG_TEXT_MAX, m, sizeof(m));
	agent_log_escape(url, AGENT_LOG_TEXT_MAX, u, sizeof(u));
	agent_log_escape(why, sizeof(w) / 4, w, sizeof(w));
	fprintf(stderr, "tcplab-agent: %u %s %s: %s\n", status, m, u, w);
	pthread_mutex_unlock(&log_lock);
}

void agent_log_tick(void)
{
	pthread_mutex_lock(&log_lock);
	if (dropped > 0)
		roll_window(mono_s());
	pthread_mutex_unlock(&log_lock);
}
