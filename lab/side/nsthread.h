/* nsthread: run a function in a short-lived thread that has entered a network namespace. */
#ifndef TL_NSTHREAD_H
#define TL_NSTHREAD_H

#include "tl_err.h"

/* Call fn(arg, err) in a new thread that first joins netns_fd (< 0: fn runs here, in our own namespace). */
int nsthread_run(int netns_fd, int (*fn)(void *arg, struct tl_err *err), void *arg, struct tl_err *err);

#endif
