/* counters: what the server did (accepts, requests, errors by class), one slot per process, summed at the end. */
#ifndef TL_SERVER_COUNTERS_H
#define TL_SERVER_COUNTERS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

/* Error classes, counted separately (the way wrk counts connect/read/write/timeout). */
enum err_class {
	ERR_ACCEPT,           /* accept() failed for a reason other than EINTR/EAGAIN */
	ERR_READ,             /* read failed (not a reset) */
	ERR_WRITE,            /* write failed (not a reset) */
	ERR_RESET,            /* ECONNRESET or EPIPE: the peer reset the connection */
	ERR_HEADER_TOO_LARGE, /* no end of the request head within 8 KiB: answered 431 */
	ERR_OTHER,            /* malformed request (answered 400), thread or timer failures */
	ERR_CLASS_COUNT
};

/* One process's counters; atomics because several threads of the process share a slot. */
struct counters {
	_Atomic uint64_t accepted;       /* connections taken off the accept queue */
	_Atomic uint64_t requests;       /* complete request heads read */
	_Atomic uint64_t responses;      /* responses written in full */
	_Atomic uint64_t closed_by_peer; /* the client closed (read returned 0) */
	_Atomic uint64_t errors[ERR_CLASS_COUNT];
} __attribute__((aligned(64)));

/* Plain sums of one or more slots. */
struct counter_totals {
	uint64_t accepted;
	uint64_t requests;
	uint64_t responses;
	uint64_t closed_by_peer;
	uint64_t errors[ERR_CLASS_COUNT];
};

/* Map n zeroed slots in shared anonymous memory, so forked children write where the parent reads. */
struct counters *counters_create(size_t n, struct tl_err *err);

/* Add 1 to a counter (relaxed: the totals are read after the work stops). */
void counters_inc(_Atomic uint64_t *counter);

/* Count one error of a class. */
void counters_error(struct counters *slot, enum err_class cls);

/* Sum n slots into totals. */
void counters_sum(const struct counters *slots, size_t n, struct counter_totals *totals);

/* JSON/summary key of an error class ("accept", "header_too_large", ...). */
const char *err_class_name(enum err_class cls);

#endif
