/* describe: render a loaded scenario as a person reads it. */
#include "describe.h"

#include <string.h>

#include "parse.h"

static void describe_profile(const char *side, const struct profile *p, FILE *out)
{
	fprintf(out, "  %s profile %s (%s)\n", side, p->name, p->path);
	if (p->count == 0)
		fprintf(out, "      (kernel defaults of a new namespace)\n");
	for (size_t i = 0; i < p->count; i++)
		fprintf(out, "      %s = %s\n", p->settings[i].key, p->settings[i].value);
}

static void describe_section(const struct scenario *sc, enum scenario_section section, FILE *out)
{
	fprintf(out, "  [%s]", scenario_section_name(section));
	for (size_t i = 0; i < scenario_key_count(); i++) {
		const struct scenario_key *k = scenario_key_at(i);
		const struct scenario_value *v = &sc->values[i];

		if (k->section == section && v->present && v->line > 0)
			fprintf(out, " %s=%s", k->name, v->text);
	}
	fputc('\n', out);
}

/* What the run records besides samples and counters, and what its expectations need of it. */
static void describe_evidence(const struct scenario *sc, FILE *out)
{
	const struct scenario_value *packets = scenario_get(sc, "capture", "packets");
	const struct scenario_value *drops = scenario_get(sc, "capture", "drops");
	int needs_packets = 0;
	int needs_drops = 0;

	for (size_t i = 0; i < sc->expect_count; i++) {
		const char *p = sc->expects[i].path;

		needs_packets |= strncmp(p, "packets.", 8) == 0;
		needs_drops |= strstr(p, ".drops.") != NULL || strncmp(p, "drops.", 6) == 0;
	}
	if (packets->number)
		fprintf(out, "  [capture] packets on: each side's lab interface into raw/server.pcap and raw/client.pcap "
			     "(snaplen %s bytes, at most %s MB each)\n",
			scenario_get(sc, "capture", "snaplen")->text, scenario_get(sc, "capture", "max_mb")->text);
	else
		fprintf(out, "  [capture] packets off\n");
	/* Unset, drops follows packets (evidence_plan). */
	fprintf(out, "  [capture] drops %s: the kernel's drop reasons, SYN-ACK retransmissions and resets in the lab's "
		     "namespaces (BPF; needs root, or CAP_BPF and CAP_PERFMON, and BTF)\n",
		(drops->present && drops->line > 0 ? drops->number : packets->number) ? "on" : "off");
	if (needs_packets)
		fprintf(out, "  needs: packet capture for its packets.* expectations (UNAVAILABLE without it, UNKNOWN "
			     "when the capture lost packets)\n");
	if (needs_drops)
		fprintf(out, "  needs: drop tracing for its drops expectations (UNAVAILABLE where BPF cannot "
			     "run)\n");
}

void describe_scenario(const struct scenario *sc, FILE *out)
{
	char period[32];
	char limit[32];

	format_duration_us(sc->sample_period_us, period, sizeof(period));
	format_duration_us(sc->duration_us, limit, sizeof(limit));
	fprintf(out, "%s — %s\n", sc->name, sc->description);
	fprintf(out, "  file %s; client run limited to %s; queues sampled every %s\n", sc->path, limit, period);
	describe_section(sc, SECTION_SERVER, out);
	describe_profile("server", &sc->server.profile, out);
	describe_section(sc, SECTION_CLIENT, out);
	describe_profile("client", &sc->client.profile, out);
	describe_evidence(sc, out);
	if (sc->section_line[SECTION_LINK] != 0) {
		describe_section(sc, SECTION_LINK, out);
		fprintf(out, "  [link] made on each sender's way out: delay by an NFQUEUE delay line (tcplab-delay), loss "
			     "by nftables numgen, rate by tbf (docs/link.md; netns backend only)\n");
	}
	fprintf(out, "expects:\n");
	for (size_t i = 0; i < sc->expect_count; i++)
		fprintf(out, "  %s   (line %d)\n", sc->expects[i].text, sc->expects[i].line);
	if (sc->expect_count == 0)
		fprintf(out, "  (nothing: the run only reports)\n");
}
