/* drop_join: mark the packets of the selected ladders that the receiving kernel dropped, with its drop reason. */
#ifndef TL_DROP_JOIN_H
#define TL_DROP_JOIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/*
 * For each drop of raw/drops.csv at csv_path (times in microseconds after start_wall_us), find in ladders (run.json's
 * packets.ladders) the packet it was: same connection and direction (the drop's addresses and ports), the same
 * TCP flags, seen arriving at the dropping side within 50 ms before the drop; that event gains "drop":
 * {"reason": R}. QUEUE_PURGE (freed unread when a socket closed, after it was taken in) marks nothing. marked
 * counts the events marked. -1 with err when the file cannot be read.
 */
int drop_join_ladders(json_t *ladders, const char *csv_path, int64_t start_wall_us, size_t *marked,
		      struct tl_err *err);

#endif
