/* json_out: the little JSON writing the client needs (fixed keys, numbers, escaped strings) without a library. */
#ifndef TL_CLIENT_JSON_OUT_H
#define TL_CLIENT_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

/* Write s as a JSON string literal, quotes included. */
void json_out_string(FILE *out, const char *s);

/* Write "key": (with a leading comma unless first). */
void json_out_key(FILE *out, const char *key, int first);

/* Write an integer, or null when missing (value < 0 and nullable). */
void json_out_int(FILE *out, int64_t value, int nullable);

/* Write a finite number with up to 6 significant decimals, or null when not finite or nullable and <= 0. */
void json_out_number(FILE *out, double value, int nullable);

#endif
