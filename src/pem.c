/*
 * PEM blocks (RFC 7468) in text: where each one begins and ends, found
 * anywhere in the data (text may come before, between and after them), so
 * that a chain is read block by block and a bad block can be named.
 * Nothing here knows certificates: the callers parse each block.
 */
#include "config.h"

#include <string.h>

#include "context.h"

static const char begin_tag[] = "-----BEGIN ";
static const char end_tag[] = "-----END ";
static const char dashes[] = "-----";

#define TAG_LEN(t) (sizeof(t) - 1)

/* Does a line start at i, after optional blanks, with tag?  Returns the tag's offset or -1. */
static long
line_with(const unsigned char *d, size_t len, size_t i, const char *tag, size_t n)
{
	while (i < len && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i + n <= len && memcmp(d + i, tag, n) == 0 ? (long)i : -1;
}

/* The offset just past the end of the line holding i. */
static size_t
next_line(const unsigned char *d, size_t len, size_t i)
{
	while (i < len && d[i] != '\n')
		i++;
	return i < len ? i + 1 : len;
}

/* A BEGIN line at a line start at or after *pos: its offset, or -1. */
static long
find_begin(const unsigned char *d, size_t len, size_t pos)
{
	long at;

	while (pos < len) {
		if ((at = line_with(d, len, pos, begin_tag, TAG_LEN(begin_tag))) >= 0)
			return at;
		pos = next_line(d, len, pos);
	}
	return -1;
}

int
dlssl__pem_next(const unsigned char *d, size_t len, size_t *pos, struct dl_pem *b)
{
	size_t i, lab, end, n;
	long at, e;

	memset(b, 0, sizeof(*b));
	if (*pos >= len || (at = find_begin(d, len, *pos)) < 0) {
		*pos = len;
		return 0;
	}
	b->p = d + at;
	lab = (size_t)at + TAG_LEN(begin_tag);
	end = next_line(d, len, lab);
	/* The label: up to the closing dashes on the BEGIN line. */
	for (i = lab; i + TAG_LEN(dashes) <= end && memcmp(d + i, dashes, TAG_LEN(dashes)) != 0; i++)
		continue;
	n = i - lab;
	if (i + TAG_LEN(dashes) <= end && n < sizeof(b->label)) {
		memcpy(b->label, d + lab, n);
		b->label[n] = '\0';
	} else {
		b->bad_begin = 1;
	}
	/* The END line with the same label, before any other BEGIN line. */
	for (i = end; i < len; i = next_line(d, len, i)) {
		if (line_with(d, len, i, begin_tag, TAG_LEN(begin_tag)) >= 0)
			break;
		if (b->bad_begin || (e = line_with(d, len, i, end_tag, TAG_LEN(end_tag))) < 0)
			continue;
		e += (long)TAG_LEN(end_tag);
		n = strlen(b->label);
		if ((size_t)e + n + TAG_LEN(dashes) <= len && memcmp(d + e, b->label, n) == 0 &&
		    memcmp(d + e + n, dashes, TAG_LEN(dashes)) == 0) {
			b->complete = 1;
			i = next_line(d, len, i);
			break;
		}
	}
	b->len = (size_t)(d + i - b->p);
	*pos = i;
	return 1;
}

int
dlssl__pem_present(const unsigned char *d, size_t len)
{
	/* A DER encoding starts with a SEQUENCE and a long-form length: not text. */
	if (len >= 2 && d[0] == 0x30 && d[1] >= 0x81 && d[1] <= 0x84)
		return 0;
	return find_begin(d, len, 0) >= 0;
}
