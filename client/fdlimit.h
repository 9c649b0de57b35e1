/* fdlimit: raise RLIMIT_NOFILE so a run can hold as many sockets as it needs. */
#ifndef TL_CLIENT_FDLIMIT_H
#define TL_CLIENT_FDLIMIT_H

#include <stddef.h>

#include "tl_err.h"

/* Raise the soft limit to the hard one (and the hard one too when needed and allowed); *limit = the result. */
int fdlimit_raise(size_t needed, size_t *limit, struct tl_err *err);

#endif
