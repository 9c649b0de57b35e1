/* version: the one version string of the tcplab programs, set at build time (Makefile TL_VERSION). */
#ifndef TL_VERSION_H
#define TL_VERSION_H

/* "0.3.0+gabc1234" from a git checkout, "0.3.0" otherwise. */
const char *tl_version(void);

#endif
