/* sysctl_io: write and read back net.* sysctls inside one network namespace. */
#ifndef TL_SYSCTL_IO_H
#define TL_SYSCTL_IO_H

#include <stddef.h>

#include "side.h"

/* One sysctl to write. */
struct sysctl_write {
	const char *key;   /* dotted: net.core.somaxconn */
	const char *value; /* as written in the profile: "32768 60999" */
};

/* Read and write the sysctl tree under dir instead of /proc/sys: a container's /proc/sys is read-only, and
 * tcplab-agent there is given a writable view of its namespace's net/ subtree mounted elsewhere. */
int sysctl_io_set_root(const char *dir, struct tl_err *err);

/* Write writes[] in netns_fd, then read back every key of readback[] (writes first) into out. */
int sysctl_io_apply(int netns_fd, const struct sysctl_write *writes, size_t nwrites, const char *const *readback,
		    size_t nreadback, struct side_applied *out, struct tl_err *err);

#endif
