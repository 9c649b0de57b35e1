/* json_out: JSON string escaping and number formatting (RFC 8259), written straight to a FILE. */
#include "json_out.h"

#include <inttypes.h>
#include <math.h>

void json_out_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void json_out_key(FILE *out, const char *key, int first)
{
	if (!first)
		fputc(',', out);
	json_out_string(out, key);
	fputc(':', out);
}

void json_out_int(FILE *out, int64_t value, int nullable)
{
	if (nullable && value < 0)
		fputs("null", out);
	else
		fprintf(out, "%" PRId64, value);
}

void json_out_number(FILE *out, double value, int nullable)
{
	if (!isfinite(value) || (nullable && value <= 0))
		fputs("null", out);
	else
		fprintf(out, "%.6g", value);
}
