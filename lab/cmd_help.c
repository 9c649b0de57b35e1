/* cmd_help: the table of subcommands, and the help made from each one's own getopt tables and usage. */
#include <string.h>

#include "commands.h"

static const struct command *const all[] = {
	&command_run,  &command_compare, &command_sweep,   &command_report,
	&command_list, &command_show,    &command_packets, &command_cleanup, &command_junit_merge,
};

const struct command *const *commands_all(size_t *n)
{
	*n = sizeof(all) / sizeof(all[0]);
	return all;
}

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	}
	return NULL;
}

void command_usage(const struct command *c, FILE *out)
{
	c->usage(out);
	fprintf(out, "  -h, --help     print this usage\n");
	if (c->exit_status != NULL)
		fprintf(out, "exit status: %s\n", c->exit_status);
}

void commands_overview(FILE *out)
{
	fprintf(out, "usage: tcplab COMMAND [OPTIONS] [ARGS]\n"
		     "       tcplab help [COMMAND], tcplab COMMAND --help: the usage of one command\n"
		     "       tcplab --version: print the version\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		fprintf(out, "  %-9s %s\n", all[i]->name, all[i]->summary);
	fprintf(out, "exit status: 0 all expectations held, 1 one failed, 2 bad input, 3 this machine cannot run labs\n"
		     "or a lab program failed, 130 interrupted\n");
}

void commands_help(FILE *out)
{
	commands_overview(out);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		fprintf(out, "\n");
		command_usage(all[i], out);
	}
}
