/* guard: on TCP, a connection that has not carried the token is closed a fixed time after its accept. */
#include "guard.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "agent_log.h"

/* How often connections are checked against their deadline: the deadline is kept to within this. */
#define GUARD_SWEEP_NS 200000000LL

struct guarded {
	struct guarded *prev, *next;
	int fd;
	long long accepted_ns; /* CLOCK_MONOTONIC */
	int authorized;        /* a request carried the token: no deadline */
	int shut;              /* shut down at its deadline; libmicrohttpd closes it next */
};

struct agent_guard {
	pthread_mutex_t lock; /* the list, and the fds in it: one is closed only after guard_notify took it out */
	pthread_cond_t wake;
	pthread_t thread;
	int stopping;
	long long deadline_ns;
	struct guarded *head;
};

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Shut down every connection past its deadline. Under the lock: libmicrohttpd tells of a close (and takes
 * the entry out) before it closes the fd, so an fd shut here is still that connection's. */
static void sweep(struct agent_guard *g)
{
	long long now = now_ns(CLOCK_MONOTONIC);

	for (struct guarded *c = g->head; c != NULL; c = c->next) {
		if (c->authorized || c->shut || now - c->accepted_ns < g->deadline_ns)
			continue;
		/* Both ways: libmicrohttpd's epoll sees the end of input and closes the connection. */
		shutdown(c->fd, SHUT_RDWR);
		c->shut = 1;
	}
}

static void *guard_thread(void *arg)
{
	struct agent_guard *g = arg;

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		long long until = now_ns(CLOCK_MONOTONIC) + GUARD_SWEEP_NS;
		struct timespec ts = { .tv_sec = until / 1000000000LL, .tv_nsec = until % 1000000000LL };

		pthread_cond_timedwait(&g->wake, &g->lock, &ts);
		if (g->deadline_ns > 0)
			sweep(g);
		agent_log_tick();
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

int guard_start(unsigned deadline_s, struct agent_guard **out, struct tl_err *err)
{
	struct agent_guard *g = calloc(1, sizeof(*g));
	pthread_condattr_t attr;
	int rc;

	if (g == NULL)
		return tl_errf(err, "out of memory");
	g->deadline_ns = (long long)deadline_s * 1000000000LL;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &attr);
	pthread_condattr_destroy(&attr);
	rc = pthread_create(&g->thread, NULL, guard_thread, g);
	if (rc != 0) {
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return tl_errf(err, "starting the connection guard: %s", strerror(rc));
	}
	*out = g;
	return 0;
}

void guard_stop(struct agent_guard *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	while (g->head != NULL) {
		struct guarded *c = g->head;

		g->head = c->next;
		free(c);
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe)
{
	struct agent_guard *g = cls;
	struct guarded *c = *socket_context;
	const union MHD_ConnectionInfo *info;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c == NULL)
			return;
		pthread_mutex_lock(&g->lock);
		if (c->prev != NULL)
			c->prev->next = c->next;
		else
			g->head = c->next;
		if (c->next != NULL)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&g->lock);
		free(c);
		*socket_context = NULL;
		return;
	}
	if (g->deadline_ns == 0)
		return;
	info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	c = calloc(1, sizeof(*c));
	if (info == NULL || c == NULL) {
		/* Not watched means no deadline: refuse the connection instead. */
		free(c);
		if (info != NULL)
			shutdown(info->connect_fd, SHUT_RDWR);
		return;
	}
	c->fd = info->connect_fd;
	c->accepted_ns = now_ns(CLOCK_MONOTONIC);
	pthread_mutex_lock(&g->lock);
	c->next = g->head;
	if (g->head != NULL)
		g->head->prev = c;
	g->head = c;
	pthread_mutex_unlock(&g->lock);
	*socket_context = c;
}

void guard_authorized(struct agent_guard *g, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct guarded *c = info != NULL ? info->socket_context : NULL;

	if (c == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	c->authorized = 1;
	pthread_mutex_unlock(&g->lock);
}
