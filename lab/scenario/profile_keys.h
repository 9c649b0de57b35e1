/* profile_keys: the allowlist of per-network-namespace sysctls and the check of each one's value. */
#ifndef TL_PROFILE_KEYS_H
#define TL_PROFILE_KEYS_H

#include <stddef.h>

#include "tl_err.h"

struct sysctl_key;

/* The allowlisted key with this dotted name, or NULL. */
const struct sysctl_key *sysctl_key_find(const char *dotted);

/* Whether dotted names a known key that is shared by the whole host (not per namespace). */
int sysctl_key_is_host_wide(const char *dotted);

/* The allowlisted key closest to an unknown name (a likely typo), or NULL. */
const char *sysctl_key_suggest(const char *dotted);

/* The allowlisted keys as one short list for messages ("net.core.{somaxconn}, net.ipv4.{...}"). */
void sysctl_key_list(char *buf, size_t len);

/* Check value for key and write its normalized form (integers joined by one space); errors name the key. */
int sysctl_key_check_value(const struct sysctl_key *key, const char *value, char *norm, size_t norm_len,
			   struct tl_err *err);

/* The dotted name of an allowlisted key. */
const char *sysctl_key_name(const struct sysctl_key *key);

#endif
