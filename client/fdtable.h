/* fdtable: per-file-descriptor facts shared by all threads (fds are process-wide; one thread owns each at a time). */
#ifndef TL_CLIENT_FDTABLE_H
#define TL_CLIENT_FDTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "tl_err.h"

struct fd_entry {
	struct conn_record *rec; /* record whose SYN this socket sent; NULL when none */
	uint8_t in_epoll;        /* registered with the owning thread's epoll */
	uint8_t unwanted;        /* registered, but its owner no longer wants events (unregister lazily) */
};

/* Allocate the table for fds below fd_limit (the RLIMIT_NOFILE soft limit, which no fd reaches). */
int fdtable_init(size_t fd_limit, struct tl_err *err);

/* Free the table. */
void fdtable_free(void);

/* The entry of fd, or NULL when fd is outside the table. */
struct fd_entry *fdtable_get(int fd);

#endif
