/* side_stop: end a program on a side in order: SIGTERM, a grace period, then SIGKILL. */
#ifndef TL_SIDE_STOP_H
#define TL_SIDE_STOP_H

#include <stdint.h>

#include "side.h"

/* Stop proc on s (SIGTERM, then SIGKILL after grace_us); its wait status, or -1 when it was never seen to end. */
void side_stop_program(struct side *s, int proc, int64_t grace_us, int *wait_status);

#endif
