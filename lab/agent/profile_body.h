/* profile_body: a profile sent to the agent as JSON, held to the same allowlist as a profile file. */
#ifndef TL_AGENT_PROFILE_BODY_H
#define TL_AGENT_PROFILE_BODY_H

#include <jansson.h>

#include "scenario/profile.h"
#include "tl_err.h"

/* Turn {"name": N, "settings": [{"key": K, "value": V}, ...]} into out: every key a per-namespace sysctl of
 * the allowlist, at most once, every value checked; nothing is written. Errors name the key. */
int profile_body_parse(const json_t *body, struct profile *out, struct tl_err *err);

#endif
