/* side_stop: end a program on a side in order: SIGTERM, a grace period, then SIGKILL. */
#include "side_stop.h"

#include <signal.h>

#include "clock.h"

void side_stop_program(struct side *s, int proc, int64_t grace_us, int *wait_status)
{
	struct tl_err ignored;
	int64_t deadline = clock_mono_us() + grace_us;

	*wait_status = -1;
	if (s->ops->poll_exit(s, proc, wait_status, &ignored) == 1)
		return;
	s->ops->signal(s, proc, SIGTERM, &ignored);
	while (clock_mono_us() < deadline) {
		if (s->ops->poll_exit(s, proc, wait_status, &ignored) == 1)
			return;
		clock_sleep_us(2000);
	}
	s->ops->signal(s, proc, SIGKILL, &ignored);
	/* An agent that stopped answering cannot say when its program ended: stop asking after a while. */
	deadline = clock_mono_us() + grace_us;
	while (s->ops->poll_exit(s, proc, wait_status, &ignored) == 0 && clock_mono_us() < deadline)
		clock_sleep_us(1000);
}
