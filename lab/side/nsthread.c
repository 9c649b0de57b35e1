/* nsthread: setns(2) applies to the calling thread only, so namespace work runs in a thread of its own. */
#include "nsthread.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

struct nsthread_call {
	int netns_fd;
	int (*fn)(void *arg, struct tl_err *err);
	void *arg;
	struct tl_err err;
	int result;
};

static void *nsthread_main(void *p)
{
	struct nsthread_call *call = p;

	/* Only CLONE_NEWNS needs an unshared filesystem context; joining a network namespace changes
	 * which namespace this thread's new sockets and /proc/thread-self/net and /proc/sys/net belong to. */
	if (setns(call->netns_fd, CLONE_NEWNET) != 0) {
		call->result = tl_errf(&call->err, "setns: %s", strerror(errno));
		return NULL;
	}
	call->result = call->fn(call->arg, &call->err);
	return NULL;
}

int nsthread_run(int netns_fd, int (*fn)(void *arg, struct tl_err *err), void *arg, struct tl_err *err)
{
	struct nsthread_call call = { .netns_fd = netns_fd, .fn = fn, .arg = arg, .result = -1 };
	pthread_t tid;
	int rc;

	call.err.msg[0] = '\0';
	/* The caller's own namespace needs no setns (nor CAP_SYS_ADMIN, which setns asks even for it):
	 * tcplab-agent runs inside the namespace it serves. */
	if (netns_fd < 0)
		return fn(arg, err);
	rc = pthread_create(&tid, NULL, nsthread_main, &call);
	if (rc != 0)
		return tl_errf(err, "pthread_create: %s", strerror(rc));
	pthread_join(tid, NULL);
	if (call.result != 0 && err != NULL)
		*err = call.err;
	return call.result;
}
