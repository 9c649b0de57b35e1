/* agent_log: the agent's lines about refused requests: text from the network escaped, a few lines per window. */
#ifndef TL_AGENT_LOG_H
#define TL_AGENT_LOG_H

#include <stddef.h>

/* Lines about refused requests printed per window; the rest are counted in one summary line. */
#define AGENT_LOG_REFUSALS_PER_WINDOW 5
#define AGENT_LOG_REFUSAL_WINDOW_S 10

/* Copy at most max_in bytes of in to out (out_len > 0, always terminated), every control character,
 * non-ASCII byte and backslash written as \xNN: network text cannot start a line or fake one. */
void agent_log_escape(const char *in, size_t max_in, char *out, size_t out_len);

/* One line "STATUS METHOD URL: WHY" on stderr, all three texts escaped, unless this window already has
 * its lines: then it is only counted. */
void agent_log_refusal(unsigned status, const char *method, const char *url, const char *why);

/* Close the window when it is over: print "N more refusals not shown" if any were counted. Called often. */
void agent_log_tick(void);

#endif
