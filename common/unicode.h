/* unicode: which code points text shown to a reader must not carry as they are. */
#ifndef TL_UNICODE_H
#define TL_UNICODE_H

#include <stdint.h>

/* Whether cp is an invisible format character that can hide or reorder what text says: zero widths, bidi marks,
 * embeddings and overrides (U+200B-U+200F, U+2028-U+202E, U+2060-U+206F) and the byte-order mark U+FEFF. */
int unicode_invisible(uint32_t cp);

#endif
