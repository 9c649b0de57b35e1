/* fdlimit: RLIMIT_NOFILE handling; a connection flood needs one fd per connection in flight. */
#include "fdlimit.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

/* Above this the fd table (16 bytes per fd) would cost more than it helps: 64 MB. */
#define FDLIMIT_CAP ((rlim_t)4 << 20)

int fdlimit_raise(size_t needed, size_t *limit, struct tl_err *err)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return tl_errf(err, "getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
	want = rl.rlim_max;
	if (want == RLIM_INFINITY || want > FDLIMIT_CAP)
		want = FDLIMIT_CAP;
	if (want < (rlim_t)needed) {
		/* Only root may raise the hard limit (up to fs.nr_open); otherwise stay below it. */
		struct rlimit more = { (rlim_t)needed, (rlim_t)needed };

		if (setrlimit(RLIMIT_NOFILE, &more) == 0) {
			*limit = needed;
			return 0;
		}
	}
	/* Also lowers an enormous soft limit to the cap, so every fd fits the fd table. */
	if (want != rl.rlim_cur) {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			return tl_errf(err, "setrlimit(RLIMIT_NOFILE, %llu): %s", (unsigned long long)want,
				       strerror(errno));
	}
	*limit = (size_t)want;
	if (*limit < needed)
		return tl_errf(err, "the run needs %zu file descriptors, RLIMIT_NOFILE allows %zu", needed, *limit);
	return 0;
}
