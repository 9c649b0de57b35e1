/* unit: a minimal assertion harness; each check prints PASS/FAIL lines that tests/run.sh counts. */
#ifndef TL_UNIT_H
#define TL_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;
static int unit_passed;

/* Record one named check. */
#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (cond) {                                                            \
			unit_passed++;                                                 \
		} else {                                                               \
			unit_failed++;                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
		}                                                                      \
	} while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)

/* Run one test function and report it as a case. */
#define RUN(fn)                                                                        \
	do {                                                                           \
		int before_ = unit_failed;                                             \
		fn();                                                                  \
		printf("%s %s\n", unit_failed == before_ ? "PASS" : "FAIL", #fn);      \
	} while (0)

/* Exit status of the test binary. */
#define UNIT_END() (unit_failed == 0 ? 0 : 1)

#endif
