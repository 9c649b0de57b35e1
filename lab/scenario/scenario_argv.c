/* scenario_argv: turn a scenario's [server] / [client] keys into the programs' command lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "scenario_internal.h"

/* The client option that names the per-connection records file. */
#define CLIENT_RECORDS_FLAG "--records"

struct argv_builder {
	char **argv;
	size_t argc;
	size_t cap;
	int failed;
};

static void push(struct argv_builder *b, const char *arg)
{
	if (b->failed)
		return;
	if (b->argc + 1 >= b->cap) {
		b->failed = 1;
		return;
	}
	b->argv[b->argc] = strdup(arg);
	if (b->argv[b->argc] == NULL) {
		b->failed = 1;
		return;
	}
	b->argc++;
}

static void push_options(struct argv_builder *b, const struct scenario *sc, enum scenario_section section)
{
	for (size_t i = 0; i < scenario_key_count(); i++) {
		const struct scenario_key *k = scenario_key_at(i);
		const struct scenario_value *v = &sc->values[i];

		if (k->section != section || !v->present)
			continue;
		switch (k->use) {
		case USE_CONTROLLER:
			break;
		case USE_FLAG:
			push(b, k->flag);
			/* on/off keys accept yes/no, 1/0, true/false in the file: the programs get one spelling. */
			push(b, k->kind == KIND_ONOFF ? (v->number ? "on" : "off") : v->text);
			break;
		case USE_SWITCH:
			if (v->number)
				push(b, k->flag);
			break;
		}
	}
}

int scenario_build_argv(const struct scenario *sc, enum scenario_section section, const char *bindir,
			const char *addr, const char *records_path, const char *sources, int check, char ***argv,
			struct tl_err *err)
{
	struct argv_builder b;
	char program[TL_PATH_LEN];
	char addr_port[96];

	*argv = NULL;
	if (section != SECTION_SERVER && section != SECTION_CLIENT)
		return tl_errf(err, "[%s] has no program", scenario_section_name(section));
	if (tl_path_fmt(program, sizeof(program), err, "%s/%s", bindir,
			section == SECTION_SERVER ? "tcplab-server" : "tcplab-client") != 0)
		return -1;
	if ((size_t)snprintf(addr_port, sizeof(addr_port), "%s:%u", addr, sc->server.port) >= sizeof(addr_port))
		return tl_errf(err, "address '%s' is too long", addr);
	memset(&b, 0, sizeof(b));
	/* program, --check --json, --listen/--source/--records pairs, target, two words per key, the final NULL. */
	b.cap = 12 + 2 * scenario_key_count();
	b.argv = calloc(b.cap, sizeof(*b.argv));
	if (b.argv == NULL)
		return tl_errf(err, "out of memory building the %s command line", scenario_section_name(section));
	push(&b, program);
	/* The controller reads both programs' summaries from their stdout as JSON (and the client's plan from its
	 * --check). */
	if (check)
		push(&b, "--check");
	push(&b, "--json");
	if (section == SECTION_SERVER) {
		push(&b, "--listen");
		push(&b, addr_port);
	}
	push_options(&b, sc, section);
	if (section == SECTION_CLIENT) {
		if (sources != NULL) {
			push(&b, "--source");
			push(&b, sources);
		}
		if (records_path != NULL && scenario_client_writes_records(sc)) {
			push(&b, CLIENT_RECORDS_FLAG);
			push(&b, records_path);
			/* connections.csv stays CSV although the summary is JSON. */
			push(&b, "--records-format");
			push(&b, "csv");
		}
		push(&b, addr_port);
	}
	if (b.failed) {
		scenario_argv_free(b.argv);
		return tl_errf(err, "out of memory building the %s command line", scenario_section_name(section));
	}
	*argv = b.argv;
	return 0;
}

int scenario_client_writes_records(const struct scenario *sc)
{
	/* A grid reports per cell, not per connection: the client refuses records there. */
	const struct scenario_value *grid = scenario_get(sc, "client", "grid");

	return !(grid != NULL && grid->present);
}

int scenario_server_argv(const struct scenario *sc, const char *bindir, const char *listen_addr, char ***argv,
			 struct tl_err *err)
{
	return scenario_build_argv(sc, SECTION_SERVER, bindir, listen_addr, NULL, NULL, 0, argv, err);
}

int scenario_client_argv(const struct scenario *sc, const char *bindir, const char *target_addr,
			 const char *records_path, const char *sources, char ***argv, struct tl_err *err)
{
	return scenario_build_argv(sc, SECTION_CLIENT, bindir, target_addr, records_path, sources, 0, argv, err);
}

void scenario_argv_free(char **argv)
{
	if (argv == NULL)
		return;
	for (char **a = argv; *a != NULL; a++)
		free(*a);
	free(argv);
}
