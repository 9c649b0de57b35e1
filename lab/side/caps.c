/* caps: capget/capset and PR_CAP_AMBIENT on the calling thread (capabilities are per thread in Linux). */
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Bits of the first 32-bit word of the capability sets. */
#define CAP_BIT(cap) (1u << (cap))

struct caps {
	struct __user_cap_header_struct header;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
};

static int caps_get(struct caps *c, struct tl_err *err)
{
	memset(c, 0, sizeof(*c));
	c->header.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &c->header, c->data) != 0)
		return tl_errf(err, "capget: %s", strerror(errno));
	return 0;
}

static int caps_set(struct caps *c, struct tl_err *err)
{
	if (syscall(SYS_capset, &c->header, c->data) != 0)
		return tl_errf(err, "capset: %s", strerror(errno));
	return 0;
}

int caps_init(struct tl_err *err)
{
	struct caps c;

	if (caps_get(&c, err) != 0)
		return -1;
	if (!(c.data[0].permitted & CAP_BIT(CAP_NET_ADMIN)) || (c.data[0].effective & CAP_BIT(CAP_NET_ADMIN)))
		return 0;
	c.data[0].effective |= CAP_BIT(CAP_NET_ADMIN);
	return caps_set(&c, err);
}

int caps_net_raw_permitted(void)
{
	struct caps c;
	struct tl_err ignored;

	return caps_get(&c, &ignored) == 0 && (c.data[0].permitted & CAP_BIT(CAP_NET_RAW)) != 0;
}

int caps_lend_net_raw(struct tl_err *err)
{
	struct caps c;

	if (caps_get(&c, err) != 0)
		return -1;
	/* Ambient needs the capability permitted and inheritable; a program without file capabilities then gets
	 * the ambient set as its permitted and effective sets. */
	c.data[0].inheritable |= CAP_BIT(CAP_NET_RAW);
	if (caps_set(&c, err) != 0)
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) != 0)
		return tl_errf(err, "raising ambient CAP_NET_RAW: %s", strerror(errno));
	return 0;
}
