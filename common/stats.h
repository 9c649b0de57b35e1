/* stats: latency percentiles and the SYN-retransmission bands of connect times. */
#ifndef TL_STATS_H
#define TL_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sort an array of microsecond values ascending (in place). */
void stats_sort_us(int64_t *values_us, size_t n);

/* Nearest-rank percentile p (0..100) of a sorted array; 0 when n == 0. */
int64_t stats_percentile_us(const int64_t *sorted_us, size_t n, double p);

/* Connect-latency bands: how many SYN retransmissions (1 s initial RTO, doubling) a wait implies. */
enum syn_band {
	SYN_BAND_0,    /* under 0.5 s: no retransmission */
	SYN_BAND_1S,   /* 0.5 s .. 2 s: one retransmission (~1 s) */
	SYN_BAND_3S,   /* 2 s .. 5 s: two (~3 s) */
	SYN_BAND_7S,   /* 5 s .. 11 s: three (~7 s) */
	SYN_BAND_MORE, /* 11 s and beyond */
	SYN_BAND_COUNT
};

/* The band a connect time falls in. */
enum syn_band stats_syn_band(int64_t connect_us);

/* Short band name: "0", "1s", "3s", "7s", "more". */
const char *stats_syn_band_name(enum syn_band band);

#endif
