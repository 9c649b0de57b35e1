/* program_args: the only command lines the agent starts: options the controller builds for tcplab-server or tcplab-client. */
#ifndef TL_AGENT_PROGRAM_ARGS_H
#define TL_AGENT_PROGRAM_ARGS_H

#include <stddef.h>

#include "agent.h"
#include "tl_err.h"

/*
 * Check args (the command line without the program) for the role's program: every option is one a
 * scenario can set for that program ([server] or [client] keys, with their values checked as a
 * scenario's are) or one the controller adds (--json, --listen ADDR:PORT, --source ADDRS, --records
 * FILE inside workdir, --records-format, the client's target ADDR:PORT). Errors name the argument.
 */
int program_args_check(enum agent_role role, char *const args[], size_t nargs, const char *workdir,
		       struct tl_err *err);

/* Whether name is a plain file name in a session folder: [A-Za-z0-9._-], no leading dot, at most 64 characters. */
int program_args_plain_name(const char *name);

/* Run the program's own `--check` with args (--json left out) and turn a refusal into an error. */
int program_args_self_check(const char *program_path, char *const args[], size_t nargs, struct tl_err *err);

#endif
