#include "json.h"

void
json_string(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
json_key(FILE *f, int *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = 0;
	json_string(f, key);
	fputc(':', f);
}

void
json_kv_str(FILE *f, int *first, const char *key, const char *value)
{
	json_key(f, first, key);
	json_string(f, value);
}

void
json_kv_num(FILE *f, int *first, const char *key, unsigned long value)
{
	json_key(f, first, key);
	fprintf(f, "%lu", value);
}

void
json_kv_bool(FILE *f, int *first, const char *key, int value)
{
	json_key(f, first, key);
	fputs(value ? "true" : "false", f);
}
