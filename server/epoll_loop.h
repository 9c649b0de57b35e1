/* epoll_loop: the epoll discipline: one thread, non-blocking sockets, handle time by a timerfd. */
#ifndef TL_SERVER_EPOLL_LOOP_H
#define TL_SERVER_EPOLL_LOOP_H

#include "run.h"
#include "tl_err.h"

/* Serve until the stop (run->wake_fd becomes readable) and every request in progress is answered; 0 or -1 with err. */
int epoll_loop_run(const struct server_run *run, struct tl_err *err);

#endif
