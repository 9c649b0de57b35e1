/* caps: capget/capset and PR_CAP_AMBIENT on the calling thread (capabilities are per thread in Linux). */
#include "caps.h"

#include <errno.h>
#include <grp.h>
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

int caps_init(int kill, struct tl_err *err)
{
	const unsigned used = CAP_BIT(CAP_NET_ADMIN) | (kill ? CAP_BIT(CAP_KILL) : 0);
	struct caps c;
	unsigned raise;

	if (caps_get(&c, err) != 0)
		return -1;
	raise = c.data[0].permitted & used & ~c.data[0].effective;
	if (raise == 0)
		return 0;
	c.data[0].effective |= raise;
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

int caps_setid_permitted(void)
{
	struct caps c;
	struct tl_err ignored;
	const unsigned want = CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_SETGID) | CAP_BIT(CAP_KILL);

	return caps_get(&c, &ignored) == 0 && (c.data[0].permitted & want) == want;
}

int caps_become(uid_t uid, gid_t gid, struct tl_err *err)
{
	const unsigned setid = CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_SETGID);
	struct caps c;

	if (caps_get(&c, err) != 0)
		return -1;
	c.data[0].effective |= setid;
	if (caps_set(&c, err) != 0)
		return -1;
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0)
		return tl_errf(err, "becoming group %u: %s", (unsigned)gid, strerror(errno));
	/* From root the permitted set would be emptied, CAP_NET_RAW to lend included: keep it across the change. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || setresuid(uid, uid, uid) != 0)
		return tl_errf(err, "becoming user %u: %s", (unsigned)uid, strerror(errno));
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (caps_get(&c, err) != 0)
		return -1;
	/* Nothing but what may still be lent: exec keeps only the ambient set anyway. */
	c.data[0].effective = 0;
	c.data[0].permitted &= CAP_BIT(CAP_NET_RAW);
	c.data[0].inheritable &= CAP_BIT(CAP_NET_RAW);
	for (int i = 1; i < _LINUX_CAPABILITY_U32S_3; i++)
		c.data[i].effective = c.data[i].permitted = c.data[i].inheritable = 0;
	if (caps_set(&c, err) != 0)
		return -1;
	/* Nor can the program gain any through a binary with file capabilities (the agent's own among them, which
	 * would hand it CAP_SETUID back): no new privileges, ever. The ambient loan is not affected. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return tl_errf(err, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return 0;
}
