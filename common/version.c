/* version: the version string the Makefile passes to this one file. */
#include "version.h"

#ifndef TL_VERSION
#define TL_VERSION "unknown"
#endif

const char *tl_version(void)
{
	return TL_VERSION;
}
