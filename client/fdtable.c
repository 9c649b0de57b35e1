/* fdtable: a flat array indexed by fd, so the hot path looks a socket up without hashing. */
#include "fdtable.h"

#include <stdlib.h>

static struct fd_entry *fd_entries;
static size_t fd_entry_count;

int fdtable_init(size_t fd_limit, struct tl_err *err)
{
	fdtable_free();
	fd_entries = calloc(fd_limit, sizeof(fd_entries[0]));
	if (fd_entries == NULL)
		return tl_errf(err, "out of memory for a table of %zu file descriptors", fd_limit);
	fd_entry_count = fd_limit;
	return 0;
}

void fdtable_free(void)
{
	free(fd_entries);
	fd_entries = NULL;
	fd_entry_count = 0;
}

struct fd_entry *fdtable_get(int fd)
{
	if (fd < 0 || (size_t)fd >= fd_entry_count)
		return NULL;
	return &fd_entries[fd];
}
