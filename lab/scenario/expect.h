/* expect: one expectation of a scenario, "path op number", checked against a run's results. */
#ifndef TL_EXPECT_H
#define TL_EXPECT_H

#include "tl_err.h"

enum expect_op {
	EXPECT_EQ, /* == */
	EXPECT_NE, /* != */
	EXPECT_GE, /* >= */
	EXPECT_LE, /* <= */
	EXPECT_GT, /* >  */
	EXPECT_LT, /* <  */
};

#define EXPECT_PATH_MAX 128

struct expect {
	int line;                   /* line in the scenario file */
	char path[EXPECT_PATH_MAX]; /* "server.acceptq.max": where the run data holds the value */
	enum expect_op op;
	double value;
	char text[256];             /* the line as written, without comment and outer blanks */
};

/* Parse "path op number" (path: [A-Za-z0-9_.], two parts or more, under server., client. or run.). */
int expect_parse(const char *text, int line, struct expect *out, struct tl_err *err);

/* The operator as written: "==", "!=", ">=", "<=", ">", "<". */
const char *expect_op_name(enum expect_op op);

/* Whether a value seen in a run satisfies the expectation (== and != allow 1e-9 of rounding). */
int expect_holds(const struct expect *e, double seen);

#endif
