/* clock: monotonic and wall-clock time in microseconds. */
#include "clock.h"

#include <errno.h>
#include <time.h>

static int64_t clock_read_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_mono_us(void)
{
	return clock_read_us(CLOCK_MONOTONIC);
}

int64_t clock_wall_us(void)
{
	return clock_read_us(CLOCK_REALTIME);
}

void clock_sleep_us(int64_t us)
{
	struct timespec ts;

	if (us <= 0)
		return;
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
