/*
 * check_note: the built libdlssl.so carries a well-formed ELF ".note.dlopen"
 * note (the freedesktop "ELF dlopen metadata" format): owner "FDO", type
 * 0x407c0c0a, a JSON array of objects whose "soname" lists name what the
 * loader probes, newest first, and whose "priority" is one the format
 * defines.  Packagers and SBOM tools read this note instead of the link
 * dependencies dlssl deliberately does not have.
 *
 * Usage: check_note [path/to/libdlssl.so]; without an argument, the path
 * comes from $DLSSL_NOTE_LIB, else from the build tree (DLSSL_BUILT_LIB).
 * Exit 0 pass, 1 fail, 77 skip (no ELF on this host, or no shared library
 * was built).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ossl/sonames.h"

#if defined(__ELF__) && defined(__has_include)
#if __has_include(<elf.h>)
#include <elf.h>
#define HAVE_ELF_H 1
#endif
#endif

#define PASS 0
#define FAIL 1
#define SKIP 77

#define NOTE_TYPE_DLOPEN 0x407c0c0aU

#ifdef HAVE_ELF_H

static int failures;

static void
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	failures++;
}

static void
ok(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ok: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/*
 * A small strict JSON reader: enough to prove the payload parses and to
 * collect, per top-level object, its "priority" and its "soname" strings.
 * Strings are compared as raw bytes; the note uses no escapes in names.
 */
#define MAX_FEATURES 16
#define MAX_SONAMES 32
#define MAX_STR 256

struct feature {
	char name[MAX_STR];
	char priority[MAX_STR];
	int has_priority;
	int n_sonames;
	char sonames[MAX_SONAMES][MAX_STR];
};

struct json {
	const char *p, *end;
	const char *error;
	int depth;
	int n_features;
	struct feature features[MAX_FEATURES];
};

static void
skip_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int parse_value(struct json *, struct feature *, const char *);

/* Reads a string into out (may be NULL); rejects control bytes and bad escapes. */
static int
parse_string(struct json *j, char *out, size_t outsz)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"') {
		j->error = "expected a string";
		return -1;
	}
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;

		if ((unsigned char)c < 0x20) {
			j->error = "control byte inside a string";
			return -1;
		}
		if (c == '\\') {
			if (j->p >= j->end ||
			    strchr("\"\\/bfnrtu", *j->p) == NULL) {
				j->error = "invalid escape in a string";
				return -1;
			}
			if (*j->p == 'u') {
				int k;

				for (k = 1; k <= 4; k++)
					if (j->p + k >= j->end ||
					    strchr("0123456789abcdefABCDEF",
					    j->p[k]) == NULL) {
						j->error = "invalid \\u escape";
						return -1;
					}
				j->p += 4;
			}
			c = *j->p++;
		}
		if (out != NULL && n + 1 < outsz)
			out[n++] = c;
	}
	if (j->p >= j->end) {
		j->error = "unterminated string";
		return -1;
	}
	j->p++;
	if (out != NULL)
		out[n] = '\0';
	return 0;
}

static int
parse_number(struct json *j)
{
	const char *start = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') ||
	    *j->p == '.' || *j->p == 'e' || *j->p == 'E' || *j->p == '+' ||
	    *j->p == '-'))
		j->p++;
	if (j->p == start || (j->p == start + 1 && *start == '-')) {
		j->error = "unexpected character";
		return -1;
	}
	return 0;
}

static int
parse_literal(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return parse_number(j);
	j->p += n;
	return 0;
}

/*
 * An array.  When key is "soname" and f is set, its strings are recorded
 * in f; at depth 0 (the top level), each element must be an object and is
 * recorded as a feature.
 */
static int
parse_array(struct json *j, struct feature *f, const char *key)
{
	int top = (j->depth == 0);

	j->p++;
	j->depth++;
	skip_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(j);
		if (top) {
			struct feature *nf;

			if (j->p >= j->end || *j->p != '{') {
				j->error = "top-level array element is not an object";
				return -1;
			}
			if (j->n_features == MAX_FEATURES) {
				j->error = "too many features";
				return -1;
			}
			nf = &j->features[j->n_features++];
			if (parse_value(j, nf, NULL) < 0)
				return -1;
		} else if (f != NULL && key != NULL &&
		    strcmp(key, "soname") == 0) {
			if (f->n_sonames == MAX_SONAMES) {
				j->error = "too many sonames";
				return -1;
			}
			if (parse_string(j, f->sonames[f->n_sonames],
			    MAX_STR) < 0)
				return -1;
			f->n_sonames++;
		} else if (parse_value(j, NULL, NULL) < 0)
			return -1;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			j->depth--;
			return 0;
		}
		j->error = "expected ',' or ']' in an array";
		return -1;
	}
}

static int
parse_object(struct json *j, struct feature *f)
{
	char key[MAX_STR];

	j->p++;
	j->depth++;
	skip_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(j);
		if (parse_string(j, key, sizeof(key)) < 0)
			return -1;
		skip_ws(j);
		if (j->p >= j->end || *j->p != ':') {
			j->error = "expected ':' after a key";
			return -1;
		}
		j->p++;
		skip_ws(j);
		if (f != NULL && j->depth == 2 && strcmp(key, "priority") == 0) {
			if (parse_string(j, f->priority, MAX_STR) < 0)
				return -1;
			f->has_priority = 1;
		} else if (f != NULL && j->depth == 2 &&
		    strcmp(key, "feature") == 0) {
			if (parse_string(j, f->name, MAX_STR) < 0)
				return -1;
		} else if (parse_value(j, j->depth == 2 ? f : NULL, key) < 0)
			return -1;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			j->depth--;
			return 0;
		}
		j->error = "expected ',' or '}' in an object";
		return -1;
	}
}

static int
parse_value(struct json *j, struct feature *f, const char *key)
{
	skip_ws(j);
	if (j->p >= j->end) {
		j->error = "unexpected end of input";
		return -1;
	}
	if (j->depth > 32) {
		j->error = "nesting too deep";
		return -1;
	}
	switch (*j->p) {
	case '{':
		return parse_object(j, f);
	case '[':
		return parse_array(j, f, key);
	case '"':
		return parse_string(j, NULL, 0);
	case 't':
		return parse_literal(j, "true");
	case 'f':
		return parse_literal(j, "false");
	case 'n':
		return parse_literal(j, "null");
	default:
		return parse_number(j);
	}
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *fp;
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		size_t got;

		if (n == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(fp);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	*len = n;
	return buf;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	while (n > 0)
		if (p[--n] != 0)
			return 0;
	return 1;
}

static size_t
align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/*
 * The note lists exactly what the loader probes, in its order: the names of
 * src/ossl/sonames.h for this platform (OpenSSL 4's libssl.so.4 first).
 */
#define SSL_NAME(ssl, crypto) ssl
#define CRYPTO_NAME(ssl, crypto) crypto
#define COMMA() ,
static const char *const loader_ssl[] = { DLSSL_SONAME_PAIRS(SSL_NAME, COMMA), NULL };
static const char *const loader_crypto[] = { DLSSL_SONAME_PAIRS(CRYPTO_NAME, COMMA), NULL };

static void
same_list(const struct feature *f, const char *const *want, const char *what)
{
	int k;

	for (k = 0; want[k] != NULL; k++)
		if (k >= f->n_sonames || strcmp(f->sonames[k], want[k]) != 0) {
			fail("%s list: entry %d is \"%s\", the loader probes \"%s\"", what, k,
			    k < f->n_sonames ? f->sonames[k] : "(none)", want[k]);
			return;
		}
	if (k != f->n_sonames)
		fail("%s list: %d names, the loader probes %d", what, f->n_sonames, k);
	else
		ok("the %s list is the loader's, in order (%d names, \"%s\" first)", what, k, want[0]);
}

/* Checks the JSON payload of the note. */
static void
check_payload(const char *desc, size_t descsz)
{
	struct json *j;
	size_t len;
	int i, k, tls = -1, crypto = -1;
	const char *s3, *s11;

	len = strnlen(desc, descsz);
	if (len == descsz) {
		fail("note payload is not NUL-terminated");
		return;
	}
	if (descsz != len + 1)
		fail("descsz %zu is not strlen+1 (%zu)", descsz, len + 1);
	else
		ok("descsz %zu = JSON length + NUL", descsz);
	printf("payload: %s\n", desc);

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		fail("out of memory");
		return;
	}
	j->p = desc;
	j->end = desc + len;
	skip_ws(j);
	if (j->p >= j->end || *j->p != '[') {
		fail("payload does not start with '['");
		free(j);
		return;
	}
	if (parse_value(j, NULL, NULL) < 0) {
		fail("payload is not valid JSON: %s at offset %ld", j->error,
		    (long)(j->p - desc));
		free(j);
		return;
	}
	skip_ws(j);
	if (j->p != j->end) {
		fail("trailing bytes after the JSON array at offset %ld",
		    (long)(j->p - desc));
		free(j);
		return;
	}
	ok("payload is a valid JSON array of %d objects", j->n_features);

	for (i = 0; i < j->n_features; i++) {
		struct feature *f = &j->features[i];

		if (!f->has_priority)
			fail("feature %d (\"%s\") has no \"priority\"", i,
			    f->name);
		else if (strcmp(f->priority, "required") != 0 &&
		    strcmp(f->priority, "recommended") != 0 &&
		    strcmp(f->priority, "suggested") != 0)
			fail("feature %d (\"%s\") has priority \"%s\", not "
			    "required/recommended/suggested", i, f->name,
			    f->priority);
		else
			ok("feature \"%s\": priority \"%s\", %d sonames",
			    f->name, f->priority, f->n_sonames);
		if (f->n_sonames == 0)
			fail("feature %d (\"%s\") has no \"soname\" list", i,
			    f->name);
		for (k = 0; k < f->n_sonames; k++) {
			if (strcmp(f->sonames[k], "libssl.so") == 0 ||
			    strcmp(f->sonames[k], "libcrypto.so") == 0)
				fail("unversioned development name \"%s\" "
				    "in the note", f->sonames[k]);
			if (strcmp(f->sonames[k], "libssl.so.3") == 0 &&
			    tls < 0)
				tls = i;
			if (strcmp(f->sonames[k], "libcrypto.so.3") == 0 &&
			    crypto < 0)
				crypto = i;
		}
	}
	if (tls < 0)
		fail("no feature lists \"libssl.so.3\"");
	else {
		struct feature *f = &j->features[tls];
		int i3 = -1, i11 = -1;

		for (k = 0; k < f->n_sonames; k++) {
			if (strcmp(f->sonames[k], "libssl.so.3") == 0)
				i3 = k;
			if (strcmp(f->sonames[k], "libssl.so.1.1") == 0)
				i11 = k;
		}
		if (i11 < 0)
			fail("feature \"%s\" does not list \"libssl.so.1.1\"",
			    f->name);
		else if (i3 > i11)
			fail("\"libssl.so.1.1\" comes before \"libssl.so.3\"");
		else
			ok("\"libssl.so.3\" (#%d) is listed before "
			    "\"libssl.so.1.1\" (#%d) in \"%s\"", i3, i11,
			    f->name);
	}
	if (crypto < 0)
		fail("no feature lists \"libcrypto.so.3\"");
	else
		ok("\"libcrypto.so.3\" is listed in \"%s\"",
		    j->features[crypto].name);
	if (tls >= 0)
		same_list(&j->features[tls], loader_ssl, "libssl");
	if (crypto >= 0)
		same_list(&j->features[crypto], loader_crypto, "libcrypto");

	/* The same order must hold in the raw text, whatever the structure. */
	s3 = strstr(desc, "\"libssl.so.3\"");
	s11 = strstr(desc, "\"libssl.so.1.1\"");
	if (s3 == NULL || s11 == NULL || s3 > s11)
		fail("raw text does not name \"libssl.so.3\" before "
		    "\"libssl.so.1.1\"");
	free(j);
}

static int
check_file(const char *path)
{
	unsigned char *buf;
	size_t len, off;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh, *strsh, *note = NULL;
	const char *shstr;
	unsigned int i, shnum;
	int found = 0;

	if ((buf = read_file(path, &len)) == NULL) {
		if (errno == ENOENT) {
			printf("SKIP: %s does not exist (shared library not "
			    "built?)\n", path);
			return SKIP;
		}
		printf("FAIL: cannot read %s: %s\n", path, strerror(errno));
		return FAIL;
	}
	printf("checking %s (%zu bytes)\n", path, len);
	if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0) {
		printf("FAIL: %s is not an ELF file\n", path);
		free(buf);
		return FAIL;
	}
	if (buf[EI_CLASS] != ELFCLASS64) {
		printf("SKIP: %s is not ELF64 (class %d)\n", path,
		    buf[EI_CLASS]);
		free(buf);
		return SKIP;
	}
	eh = (const Elf64_Ehdr *)(const void *)buf;
	shnum = eh->e_shnum;
	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > len || shnum > (len - eh->e_shoff) /
	    sizeof(Elf64_Shdr) || eh->e_shstrndx >= shnum) {
		printf("FAIL: %s: bad section header table\n", path);
		free(buf);
		return FAIL;
	}
	sh = (const Elf64_Shdr *)(const void *)(buf + eh->e_shoff);
	strsh = &sh[eh->e_shstrndx];
	if (strsh->sh_offset > len || strsh->sh_size > len - strsh->sh_offset) {
		printf("FAIL: %s: bad section name table\n", path);
		free(buf);
		return FAIL;
	}
	shstr = (const char *)buf + strsh->sh_offset;
	for (i = 0; i < shnum; i++) {
		if (sh[i].sh_name >= strsh->sh_size)
			continue;
		if (strcmp(shstr + sh[i].sh_name, ".note.dlopen") == 0) {
			if (note != NULL)
				fail("more than one .note.dlopen section");
			note = &sh[i];
		}
	}
	if (note == NULL) {
		printf("FAIL: %s has no .note.dlopen section\n", path);
		free(buf);
		return FAIL;
	}
	if (note->sh_type != SHT_NOTE)
		fail(".note.dlopen has type %u, not SHT_NOTE",
		    (unsigned)note->sh_type);
	else
		ok(".note.dlopen is SHT_NOTE");
	if (!(note->sh_flags & SHF_ALLOC))
		fail(".note.dlopen is not SHF_ALLOC (not in a PT_NOTE segment)");
	/* Note readers (readelf, systemd-analyze) accept alignment 4 or 8 only. */
	if (note->sh_addralign != 4 && note->sh_addralign != 8)
		fail(".note.dlopen alignment is %lu, note readers expect 4 or 8",
		    (unsigned long)note->sh_addralign);
	if (note->sh_offset > len || note->sh_size > len - note->sh_offset) {
		fail(".note.dlopen lies outside the file");
		free(buf);
		return FAIL;
	}

	/* Walk the notes in the section (Elf64_Nhdr has 32-bit fields). */
	for (off = 0; off + sizeof(Elf64_Nhdr) <= note->sh_size;) {
		const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(const void *)
		    (buf + note->sh_offset + off);
		const char *name = (const char *)(nh + 1);
		const char *desc;
		size_t rest = note->sh_size - off - sizeof(*nh);

		if (align4(nh->n_namesz) > rest ||
		    nh->n_descsz > rest - align4(nh->n_namesz)) {
			fail("note at offset %zu overruns the section", off);
			break;
		}
		desc = name + align4(nh->n_namesz);
		if (nh->n_namesz == 0 && nh->n_descsz == 0 && nh->n_type == 0 &&
		    all_zero(buf + note->sh_offset + off, note->sh_size - off)) {
			fail("%lu zero bytes follow the note in .note.dlopen "
			    "(padding: ASan's redzone on an instrumented global? "
			    "mark the note no_sanitize(\"address\"))",
			    (unsigned long)(note->sh_size - off));
			break;
		}
		if (nh->n_namesz == 4 && memcmp(name, "FDO", 4) == 0 &&
		    nh->n_type == NOTE_TYPE_DLOPEN) {
			found++;
			ok("note owner \"FDO\", type 0x%08x, %u payload bytes",
			    (unsigned)nh->n_type, (unsigned)nh->n_descsz);
			check_payload(desc, nh->n_descsz);
		} else
			fail("unexpected note in .note.dlopen: owner \"%.*s\" "
			    "(namesz %u), type 0x%08x", (int)nh->n_namesz,
			    name, (unsigned)nh->n_namesz,
			    (unsigned)nh->n_type);
		off += sizeof(*nh) + align4(nh->n_namesz) +
		    align4(nh->n_descsz);
	}
	if (found != 1)
		fail("%d FDO dlopen notes found, expected exactly 1", found);
	free(buf);
	return failures ? FAIL : PASS;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	int rv;

	if (argc > 1)
		path = argv[1];
	else if (getenv("DLSSL_NOTE_LIB") != NULL &&
	    *getenv("DLSSL_NOTE_LIB") != '\0')
		path = getenv("DLSSL_NOTE_LIB");
#ifdef DLSSL_BUILT_LIB
	else
		path = DLSSL_BUILT_LIB;
#endif
	if (path == NULL) {
		printf("SKIP: no library path given\n");
		return SKIP;
	}
	rv = check_file(path);
	printf("%s\n", rv == PASS ? "PASS" : rv == SKIP ? "SKIP" : "FAIL");
	return rv;
}

#else /* !HAVE_ELF_H */

int
main(void)
{
	printf("SKIP: not an ELF host\n");
	return SKIP;
}

#endif
