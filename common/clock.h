/* clock: monotonic and wall-clock time in microseconds, and sleeping by duration. */
#ifndef TL_CLOCK_H
#define TL_CLOCK_H

#include <stdint.h>

/* Microseconds on CLOCK_MONOTONIC: for intervals. */
int64_t clock_mono_us(void);

/* Microseconds since the Unix epoch (CLOCK_REALTIME): for records a person reads. */
int64_t clock_wall_us(void);

/* Sleep for us microseconds, resuming after signals that interrupt the sleep. */
void clock_sleep_us(int64_t us);

#endif
