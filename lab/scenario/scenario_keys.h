/* scenario_keys: the sections and keys a scenario file may hold, and how each key's value is checked. */
#ifndef TL_SCENARIO_KEYS_H
#define TL_SCENARIO_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "tl_err.h"

enum scenario_section {
	SECTION_SCENARIO,
	SECTION_SERVER,
	SECTION_CLIENT,
	SECTION_EXPECT,
	SECTION_COMPARE,
	SECTION_CAPTURE,
	SECTION_LINK,
	SECTION_COUNT
};

/* How a value is written and checked. */
enum key_kind {
	KIND_INT,       /* decimal integer in [min, max] */
	KIND_DURATION,  /* duration with a unit, in [min, max] microseconds */
	KIND_SIZE,      /* byte count, optional k/m suffix */
	KIND_ONOFF,     /* on/off (also yes/no, 1/0, true/false) */
	KIND_CHOICE,    /* one word of a '|'-separated list */
	KIND_TEXT,      /* any non-empty text; the program that receives it checks it */
	KIND_NAME,      /* [a-z0-9-]+ (scenario and profile names) */
	KIND_INT_LIST,  /* comma-separated integers, each in [min, max] */
	KIND_NAME_LIST, /* comma-separated names, [min, max] of them */
	KIND_PERCENT,   /* percentage DIGITS[.DIGITS][%] as parts per million, in [min, max] */
	KIND_RATE,      /* rate with a unit (bit, kbit, mbit, gbit) as bits per second, in [min, max] */
};

/* What the key turns into. */
enum key_use {
	USE_CONTROLLER, /* read by the controller, not passed to a program */
	USE_FLAG,       /* "--flag value" on the section's program */
	USE_SWITCH,     /* on: "--flag" alone; off: nothing */
};

struct scenario_key {
	enum scenario_section section;
	const char *name;
	enum key_kind kind;
	enum key_use use;
	const char *flag;     /* USE_FLAG / USE_SWITCH: the program's option */
	int64_t min, max;     /* bounds as described by kind */
	const char *choices;  /* KIND_CHOICE: "fin|rst" */
	int required;
	const char *fallback; /* value when the file leaves the key out (NULL: the program's own default) */
};

/* A key's value as the scenario holds it. */
struct scenario_value {
	int present;    /* set in the file, or given its fallback */
	int line;       /* line in the file; 0 for a fallback */
	char text[256]; /* as written (lists with blanks removed) */
	int64_t number; /* INT: value; DURATION: microseconds; SIZE: bytes; ONOFF: 1/0; lists: item count;
			 * PERCENT: parts per million; RATE: bits per second */
};

/* Upper bound of the key table's size (checked at compile time). */
#define SCENARIO_KEY_MAX 80

/* Number of keys in the table. */
size_t scenario_key_count(void);

/* The i-th key of the table (table order is also argv order). */
const struct scenario_key *scenario_key_at(size_t i);

/* Index of key name in section, or -1. */
int scenario_key_find(enum scenario_section section, const char *name);

/* Index of the key of section whose option is flag ("--discipline"), or -1. */
int scenario_key_find_flag(enum scenario_section section, const char *flag);

/* The keys of a section, joined by ", ", for messages. */
void scenario_key_list(enum scenario_section section, char *buf, size_t len);

/* Section name as written between brackets ("server"). */
const char *scenario_section_name(enum scenario_section section);

/* Section with this name, or -1. */
int scenario_section_find(const char *name);

/* Check text against key and fill v (not present/line); errors read "key: problem". */
int scenario_key_parse(const struct scenario_key *key, const char *text, struct scenario_value *v,
		       struct tl_err *err);

#endif
