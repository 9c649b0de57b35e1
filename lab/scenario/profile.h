/* profile: a sysctl profile (sysctl.conf syntax) limited to keys that belong to one network namespace. */
#ifndef TL_PROFILE_H
#define TL_PROFILE_H

#include <stddef.h>

#include "tl_err.h"

#define PROFILE_NAME_MAX 64
/* A key appears at most once and only allowlisted keys are accepted, so this bounds every profile. */
#define PROFILE_MAX_SETTINGS 32

/* One key = value line of a profile. */
struct profile_setting {
	char key[64];       /* dotted form, whatever the file used: "net.ipv4.tcp_syncookies" */
	char proc_path[80]; /* relative to /proc/sys: "net/ipv4/tcp_syncookies" */
	char value[64];     /* integers separated by one space ("32768 60999"); the kernel prints tabs */
	int line;           /* line in the profile file */
};

struct profile {
	char name[PROFILE_NAME_MAX]; /* file name without .conf */
	char path[512];
	size_t count;
	struct profile_setting settings[PROFILE_MAX_SETTINGS]; /* in file order */
};

/* Load and validate a profile file; errors read "path:line: key: problem". */
int profile_load(const char *path, struct profile *out, struct tl_err *err);

/* Whether name is a valid profile (and scenario) name: [a-z0-9-]+, shorter than PROFILE_NAME_MAX. */
int profile_name_valid(const char *name);

/* Path of profile name in dir (dir/name.conf), or an error that lists the profiles dir holds. */
int profile_find(const char *dir, const char *name, char *path, size_t path_len, struct tl_err *err);

/* The profile names in dir, sorted, joined by ", " ("(none)" when there are none). */
void profile_list(const char *dir, char *buf, size_t len);

/* How many keys a profile may set. */
size_t profile_allowed_count(void);

/* The i-th allowed key in dotted form (NULL past the end). */
const char *profile_allowed_key(size_t i);

#endif
