/* stats: percentiles and SYN-retransmission bands. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a;
	int64_t y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void stats_sort_us(int64_t *values_us, size_t n)
{
	if (n > 1)
		qsort(values_us, n, sizeof(values_us[0]), cmp_i64);
}

int64_t stats_percentile_us(const int64_t *sorted_us, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	if (p <= 0)
		return sorted_us[0];
	if (p >= 100)
		return sorted_us[n - 1];
	/* Nearest rank: the smallest value with at least p% of values at or below it. */
	rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	return sorted_us[rank - 1];
}

enum syn_band stats_syn_band(int64_t connect_us)
{
	/* Retransmissions go out at 1, 3, 7, 15 s: the midpoints between them bound the bands. */
	if (connect_us < 500000)
		return SYN_BAND_0;
	if (connect_us < 2000000)
		return SYN_BAND_1S;
	if (connect_us < 5000000)
		return SYN_BAND_3S;
	if (connect_us < 11000000)
		return SYN_BAND_7S;
	return SYN_BAND_MORE;
}

const char *stats_syn_band_name(enum syn_band band)
{
	switch (band) {
	case SYN_BAND_0:
		return "0";
	case SYN_BAND_1S:
		return "1s";
	case SYN_BAND_3S:
		return "3s";
	case SYN_BAND_7S:
		return "7s";
	case SYN_BAND_MORE:
		return "more";
	case SYN_BAND_COUNT:
		break;
	}
	return "?";
}
