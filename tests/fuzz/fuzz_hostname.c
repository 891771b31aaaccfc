/*
 * libFuzzer target: the host name matcher (src/hostname.c).
 *
 * Input: "PATTERN\nNAME" (no newline: the input is both).  Checks, beyond
 * "no crash": results are -1, 0 or 1; -1 exactly when the name does not
 * parse; ASCII case never changes a result; a match without a wildcard
 * means the two are equal but for case and one trailing dot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
dup_range(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static void
upcase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static size_t
strip_dot(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

static void
check(const char *pattern, const char *name)
{
	struct dlssl__host h;
	const char *why;
	char *up_p, *up_n;
	int r, r2;

	r = dlssl_hostname_matches(pattern, name);
	/* 1 or 0; an invalid name is 0 with the reason in the thread's error. */
	if (r < 0 || r > 1)
		abort();
	if ((dlssl__host_parse(name, &h, &why) == DLSSL__HOST_INVALID) !=
	    (dlssl_error_code() == DLSSL_ERR_USAGE))
		abort();
	if (r == 1 && strchr(pattern, '*') == NULL &&
	    (strip_dot(pattern) != strip_dot(name) ||
	    strncasecmp(pattern, name, strip_dot(name)) != 0))
		abort();
	up_p = strdup(pattern);
	up_n = strdup(name);
	if (up_p != NULL && up_n != NULL) {
		upcase(up_p);
		upcase(up_n);
		r2 = dlssl_hostname_matches(up_p, up_n);
		/* inet_pton reads hex digits in either case: an IP stays an IP. */
		if (r2 != r)
			abort();
	}
	free(up_p);
	free(up_n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char *pattern, *name;

	if (nl == NULL) {
		pattern = dup_range(data, size);
		name = dup_range(data, size);
	} else {
		pattern = dup_range(data, (size_t)(nl - data));
		name = dup_range(nl + 1, size - (size_t)(nl - data) - 1);
	}
	if (pattern != NULL && name != NULL)
		check(pattern, name);
	free(pattern);
	free(name);
	return 0;
}
