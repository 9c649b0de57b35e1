/* analysis: what a finished analysis holds, shared by the files that read it (lookup, selection, JSON, text). */
#ifndef TL_PACKETS_ANALYSIS_H
#define TL_PACKETS_ANALYSIS_H

#include "packets/conntab.h"
#include "packets/packets.h"

struct pk_analysis {
	struct conntab tab;
	struct pk_totals totals;
};

#endif
