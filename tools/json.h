/* A minimal JSON writer for the dlssl command's --json output. */
#ifndef DLSSL_TOOLS_JSON_H
#define DLSSL_TOOLS_JSON_H

#include <stdio.h>

void json_string(FILE *f, const char *s);
/* "key": "value" (null when value is NULL), with a leading comma unless first. */
void json_kv_str(FILE *f, int *first, const char *key, const char *value);
void json_kv_num(FILE *f, int *first, const char *key, unsigned long value);
void json_kv_bool(FILE *f, int *first, const char *key, int value);
void json_key(FILE *f, int *first, const char *key);

#endif
