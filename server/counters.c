/* counters: shared-memory counter slots and their sums. */
#include "counters.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

struct counters *counters_create(size_t n, struct tl_err *err)
{
	void *mem;

	/* MAP_SHARED survives fork() as the same pages: a prefork child's counts reach the parent. */
	mem = mmap(NULL, n * sizeof(struct counters), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		tl_errf(err, "mmap of %zu counter slots: %s", n, strerror(errno));
		return NULL;
	}
	return mem; /* anonymous mappings start zeroed */
}

void counters_inc(_Atomic uint64_t *counter)
{
	atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

void counters_error(struct counters *slot, enum err_class cls)
{
	counters_inc(&slot->errors[cls]);
}

void counters_sum(const struct counters *slots, size_t n, struct counter_totals *totals)
{
	memset(totals, 0, sizeof(*totals));
	for (size_t i = 0; i < n; i++) {
		const struct counters *s = &slots[i];

		totals->accepted += atomic_load_explicit(&s->accepted, memory_order_relaxed);
		totals->requests += atomic_load_explicit(&s->requests, memory_order_relaxed);
		totals->responses += atomic_load_explicit(&s->responses, memory_order_relaxed);
		totals->closed_by_peer += atomic_load_explicit(&s->closed_by_peer, memory_order_relaxed);
		for (int c = 0; c < ERR_CLASS_COUNT; c++)
			totals->errors[c] += atomic_load_explicit(&s->errors[c], memory_order_relaxed);
	}
}

const char *err_class_name(enum err_class cls)
{
	switch (cls) {
	case ERR_ACCEPT:
		return "accept";
	case ERR_READ:
		return "read";
	case ERR_WRITE:
		return "write";
	case ERR_RESET:
		return "reset";
	case ERR_HEADER_TOO_LARGE:
		return "header_too_large";
	case ERR_OTHER:
		return "other";
	case ERR_CLASS_COUNT:
		break;
	}
	return "?";
}
