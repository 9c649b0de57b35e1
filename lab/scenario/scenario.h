/* scenario: a lab scenario file, read and validated in full (profiles and program options too) before anything runs. */
#ifndef TL_SCENARIO_H
#define TL_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "expect.h"
#include "profile.h"
#include "scenario_keys.h"
#include "tl_err.h"

/* The [server] section as the controller uses it (every key is also in values[]). */
struct scenario_server {
	char profile_name[PROFILE_NAME_MAX];
	struct profile profile; /* loaded from the profiles directory */
	unsigned port;          /* listening port: --listen ADDR:port, and the client's target */
	long backlog;           /* listen() backlog from the file; -1 when tcplab-server's default applies */
};

/* The [client] section as the controller uses it. */
struct scenario_client {
	char profile_name[PROFILE_NAME_MAX];
	struct profile profile;
	int sources; /* extra source addresses the controller adds to the client side (0..LAB_EXTRA_SOURCES_MAX) */
};

struct scenario {
	char path[512];
	char name[PROFILE_NAME_MAX]; /* equals the file name without .conf */
	char description[256];
	int64_t duration_us;      /* upper bound of the client's run: the controller stops it after this */
	int64_t sample_period_us; /* how often queues and sockets are sampled */
	struct scenario_server server;
	struct scenario_client client;
	struct expect *expects;   /* [expect], in file order */
	size_t expect_count;
	struct profile *compare;  /* [compare] profiles, loaded, in the order written */
	size_t compare_count;
	int64_t planned_connections; /* what tcplab-client --check said it will open; -1: not known in advance */
	int section_line[SECTION_COUNT];                /* header line of each section; 0 when absent */
	struct scenario_value values[SCENARIO_KEY_MAX]; /* every key, by its index in the key table */
};

/*
 * Read and check the scenario at path: syntax, keys and values, the profiles
 * it names (profiles_dir/NAME.conf, loaded into out), and the server and
 * client options, by running `tcplab-server --check ...` and
 * `tcplab-client --check ...` from bindir (NULL: skip that step). Nothing
 * else is started. Errors read "file:line: [section] key: problem".
 */
int scenario_load(const char *path, const char *profiles_dir, const char *bindir, struct scenario *out,
		  struct tl_err *err);

/* One key replaced on the command line (tcplab sweep --set): SECTION.KEY=VALUE. */
struct scenario_override {
	char section[16];
	char key[48];
	char value[256];
};

/* Parse "server.backlog=5" and check that the key exists and may be replaced (the value is checked on load). */
int scenario_override_parse(const char *text, struct scenario_override *o, struct tl_err *err);

/* The key an override names (into *key when not NULL), or an error when it does not exist or is not replaceable. */
int scenario_override_key(const struct scenario_override *o, const struct scenario_key **key, struct tl_err *err);

/* scenario_load with keys replaced first, so every check (profiles, the programs' --check) sees the new values. */
int scenario_load_overridden(const char *path, const char *profiles_dir, const char *bindir,
			     const struct scenario_override *overrides, size_t override_count, struct scenario *out,
			     struct tl_err *err);

/* Release what scenario_load allocated (safe on a zeroed or failed scenario). */
void scenario_free(struct scenario *sc);

/* The value of section/key (set in the file or given its fallback), or NULL. */
const struct scenario_value *scenario_get(const struct scenario *sc, const char *section, const char *key);

/* argv for tcplab-server: bindir/tcplab-server --json --listen listen_addr:port [options]; free with scenario_argv_free. */
int scenario_server_argv(const struct scenario *sc, const char *bindir, const char *listen_addr, char ***argv,
			 struct tl_err *err);

/* Whether the client writes per-connection records (connections.csv): every run but a grid's. */
int scenario_client_writes_records(const struct scenario *sc);

/* argv for tcplab-client: bindir/tcplab-client --json [options] [--source sources] [--records records_path]
 * target_addr:port (no records for a grid); sources is a comma-separated address list or NULL. */
int scenario_client_argv(const struct scenario *sc, const char *bindir, const char *target_addr,
			 const char *records_path, const char *sources, char ***argv, struct tl_err *err);

/* Free an argv built above (NULL is fine). */
void scenario_argv_free(char **argv);

#endif
