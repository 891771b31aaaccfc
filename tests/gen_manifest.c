/*
 * Generates C source from the symbol manifest (src/ossl/manifest.h), so the
 * stub libraries and the header check can never drift from what the loader
 * binds.
 *
 *   gen_manifest stub FLAVOR ssl|crypto [OMIT...]
 *	The generated part of a stub libssl or libcrypto posing as FLAVOR:
 *	every symbol the real library exports that the loader may bind, as a
 *	function returning 0, except the names in OMIT and the ones written
 *	by hand in tests/stubs/stub_{ssl,crypto}.c.
 *
 *   gen_manifest headercheck DECLS_H
 *	A program that, compiled against the installed OpenSSL headers,
 *	checks every manifest prototype that applies to their version and
 *	every DL_ constant in DECLS_H (src/ossl/decls.h) at compile time.
 *
 * A host program: it only prints text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ossl/decls.h"
#include "ossl/manifest.h"
#include "ossl/ossl.h"

struct entry {
	int lib;
	const char *ret, *slot, *params, *sym, *alt;
	unsigned long since, until;
	int need;
};

#define ENTRY(lib, ret, slot, params, sym, alt, since, until, need, cap) \
	{ DL_LIB_##lib, #ret, #slot, #params, sym, alt, since, until, need },
static const struct entry entries[] = { DLSSL_OSSL_MANIFEST(ENTRY) };
#undef ENTRY
#define NENTRIES (sizeof(entries) / sizeof(entries[0]))

/*
 * The libraries a stub can pose as.  alts lists the symbols that version
 * exports under their older name (the manifest's alt); all_alts means
 * every alias pair uses the old name (1.0.2).
 */
struct flavor {
	const char *name;
	unsigned long level;	/* the API level the loader will assign */
	int libressl;
	int all_alts;
	const char *const *alts;
};

static const char *const alts_none[] = { NULL };
static const char *const alts_11[] = {
	"SSL_get1_peer_certificate", "EVP_PKEY_get_bits", "EVP_PKEY_get_base_id", NULL
};
static const char *const alts_lrs[] = {
	"OPENSSL_sk_num", "OPENSSL_sk_value", "SSL_get1_peer_certificate", "EVP_PKEY_get_bits",
	"EVP_PKEY_get_base_id", NULL
};

static const struct flavor flavors[] = {
	{ "ossl3", DL_V(3, 0, 99), 0, 0, alts_none },
	{ "ossl111", DL_V111, 0, 0, alts_11 },
	{ "ossl110", DL_V110, 0, 0, alts_11 },
	{ "fork", DL_V111, 0, 0, alts_11 },
	{ "ossl102", DL_V102, 0, 1, NULL },
	{ "libressl", DL_V111, 1, 0, alts_lrs },
};

/* Written by hand in tests/stubs/stub_{ssl,crypto}.c, per flavor. */
static const char *const handwritten[] = {
	"OpenSSL_version_num", "SSLeay", "OpenSSL_version", "SSLeay_version",
	"OPENSSL_version_major", "OPENSSL_version_minor", "OPENSSL_version_patch",
	"OPENSSL_init_crypto", "OPENSSL_init_ssl", "SSL_library_init",
	"CRYPTO_num_locks", "RAND_bytes", "RAND_poll", "RAND_status",
	"CRYPTO_get_ex_new_index", "SSL_get_ex_new_index", "SSL_CTX_get_ex_new_index", NULL
};

/*
 * Prototypes the header check cannot compare, with the reason.  Each is
 * ABI-compatible but not type-compatible with OpenSSL's declaration.
 */
static const struct {
	const char *slot, *reason;
	int libressl_only;	/* 1: compared with OpenSSL's headers, not LibreSSL's */
} proto_exceptions[] = {
	{ "GENERAL_NAMES_free", "OpenSSL declares it for the typed GENERAL_NAMES "
	    "(STACK_OF(GENERAL_NAME)); dlssl passes the untyped OPENSSL_STACK, "
	    "which has the same representation", 0 },
	{ "SSL_get_peer_cert_chain", "OpenSSL returns the typed STACK_OF(X509); "
	    "dlssl reads it as the untyped OPENSSL_STACK", 0 },
	{ "X509_STORE_CTX_get0_chain", "OpenSSL returns the typed STACK_OF(X509); "
	    "dlssl reads it as the untyped OPENSSL_STACK", 0 },
	{ "X509_STORE_CTX_get0_untrusted", "OpenSSL returns the typed STACK_OF(X509); "
	    "dlssl reads it as the untyped OPENSSL_STACK", 0 },
	{ "EXTENDED_KEY_USAGE_free", "OpenSSL declares it for the typed EXTENDED_KEY_USAGE "
	    "(STACK_OF(ASN1_OBJECT)); dlssl passes the untyped OPENSSL_STACK", 0 },
	{ "OPENSSL_init_crypto", "LibreSSL declares the settings as const void *, "
	    "the same representation", 1 },
	{ "OPENSSL_init_ssl", "LibreSSL declares the settings as const void *, "
	    "the same representation", 1 },
	{ "CRYPTO_free", "older LibreSSL (3.2.2) declares CRYPTO_free(void *); the "
	    "file and line dlssl passes are ignored by a callee that takes one "
	    "argument (caller-cleaned calling conventions)", 1 },
};
#define NPROTO_EXCEPTIONS (sizeof(proto_exceptions) / sizeof(proto_exceptions[0]))

/*
 * decls.h constants that OpenSSL's public headers do not define for every
 * version: checked only below `until` (0: never), with the reason; or
 * (openssl_only) that dlssl uses with OpenSSL only: not compared with
 * LibreSSL's headers.
 */
static const struct {
	const char *name;
	unsigned long until;
	const char *reason;
	int openssl_only;
} const_exceptions[] = {
	{ "SSL_CTRL_OPTIONS", DL_V110, "the SSL_CTX_set_options macro's ctrl (1.0.2, "
	    "LibreSSL); OpenSSL 1.1.0 removed it (a function since)", 0 },
	{ "SSL_CTRL_CLEAR_OPTIONS", DL_V110, "the SSL_CTX_clear_options macro's ctrl (1.0.2, "
	    "LibreSSL); OpenSSL 1.1.0 removed it", 0 },
	{ "SSL_CTRL_GET_SESSION_REUSED", DL_V110, "the SSL_session_reused macro's ctrl (1.0.2, "
	    "LibreSSL); OpenSSL 1.1.0 removed it (a function since)", 0 },
	{ "SSL_CTRL_SET_ECDH_AUTO", DL_V110, "SSL_CTX_set_ecdh_auto's ctrl; a no-op from 1.1.0, "
	    "gone from 3.0's headers", 0 },
	{ "CRYPTO_EX_INDEX_SSL", DL_V_MAX, "a CRYPTO_get_ex_new_index class, used with OpenSSL "
	    "1.1+ only (LibreSSL: SSL_get_ex_new_index; 3.2 numbers the classes as 1.0.2)", 1 },
	{ "CRYPTO_EX_INDEX_SSL_CTX", DL_V_MAX, "a CRYPTO_get_ex_new_index class, used with OpenSSL "
	    "1.1+ only (LibreSSL: SSL_CTX_get_ex_new_index)", 1 },
};
#define NCONST_EXCEPTIONS (sizeof(const_exceptions) / sizeof(const_exceptions[0]))

static int
in_list(const char *const *list, const char *name)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static const struct flavor *
find_flavor(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++)
		if (strcmp(flavors[i].name, name) == 0)
			return &flavors[i];
	return NULL;
}

/* Does the loader look this entry up for the flavor?  As bind.c decides. */
static int
applies(const struct entry *e, const struct flavor *f)
{
	if (e->need == DL_LRS)
		return f->libressl;
	return f->level >= e->since && f->level < e->until;
}

/* The name the real library exports for this entry. */
static const char *
export_name(const struct entry *e, const struct flavor *f)
{
	if (e->alt[0] != '\0' && (f->all_alts || in_list(f->alts, e->sym)))
		return e->alt;
	return e->sym;
}

static int
gen_stub(const char *fname, const char *lname, char **omit, int nomit)
{
	const struct flavor *f = find_flavor(fname);
	const char *done[NENTRIES];
	size_t i, ndone = 0, k;
	int lib, j;

	if (f == NULL) {
		fprintf(stderr, "gen_manifest: unknown flavor '%s'\n", fname);
		return 1;
	}
	if (strcmp(lname, "ssl") == 0)
		lib = DL_LIB_SSL;
	else if (strcmp(lname, "crypto") == 0)
		lib = DL_LIB_CRYPTO;
	else {
		fprintf(stderr, "gen_manifest: library must be ssl or crypto, not '%s'\n", lname);
		return 1;
	}
	printf("/* Generated by tests/gen_manifest: lib%s posing as %s.  Do not edit. */\n",
	    lname, fname);
	printf("#include \"ossl/decls.h\"\n\n");
	for (i = 0; i < NENTRIES; i++) {
		const struct entry *e = &entries[i];
		const char *name = export_name(e, f);

		if (e->lib != lib || !applies(e, f) || in_list(handwritten, name))
			continue;
		/* LibreSSL: leave DL_REQ_OSSL out, so the optional path runs. */
		if (f->libressl && e->need == DL_REQ_OSSL)
			continue;
		for (j = 0; j < nomit; j++)
			if (strcmp(omit[j], name) == 0 || strcmp(omit[j], e->sym) == 0)
				break;
		if (j < nomit)
			continue;
		/* Two slots may bind one symbol (one prototype each): define it once. */
		for (k = 0; k < ndone; k++)
			if (strcmp(done[k], name) == 0)
				break;
		if (k < ndone)
			continue;
		done[ndone++] = name;
		if (strcmp(e->ret, "void") == 0)
			printf("void %s%s { }\n", name, e->params);
		else
			printf("%s %s%s { return 0; }\n", e->ret, name, e->params);
	}
	return 0;
}

/* ---- headercheck ---- */

/* Kinds of installed headers, and the stub flavor each one exports like. */
static const struct {
	int kind;
	const char *flavor;
} kinds[] = { { 1, "ossl102" }, { 2, "ossl111" }, { 3, "ossl3" }, { 4, "libressl" } };

/* The exception for SLOT, or -1 (*lrs_only set when it only concerns LibreSSL). */
static int
proto_exception(const char *slot)
{
	size_t i;

	for (i = 0; i < NPROTO_EXCEPTIONS; i++)
		if (strcmp(proto_exceptions[i].slot, slot) == 0)
			return (int)i;
	return -1;
}

static const char hc_prologue[] =
    "#include <openssl/opensslv.h>\n"
    "#include <openssl/asn1.h>\n"
    "#include <openssl/bio.h>\n"
    "#include <openssl/crypto.h>\n"
    "#include <openssl/err.h>\n"
    "#include <openssl/evp.h>\n"
    "#include <openssl/objects.h>\n"
    "#include <openssl/pem.h>\n"
    "#include <openssl/rand.h>\n"
    "#include <openssl/ssl.h>\n"
    "#include <openssl/tls1.h>\n"
    "#include <openssl/x509.h>\n"
    "#include <openssl/x509_vfy.h>\n"
    "#include <openssl/x509v3.h>\n"
    "#include <stdio.h>\n"
    "\n"
    "/*\n"
    " * Modes.  Default: every prototype exactly as the headers declare it.\n"
    " * HC_NOCONST (compile with -Dconst= too): equal up to const qualifiers,\n"
    " * which do not change the ABI (the manifest follows 3.0's headers; 1.0.2\n"
    " * has fewer consts, 4.0 more).  HC_EXACT: no prototype assertion; lists\n"
    " * the prototypes that differ from the headers (after an HC_NOCONST\n"
    " * build passed: only in const).  Constants are asserted in every mode.\n"
    " */\n"
    "#if defined(HC_NOCONST) && defined(HC_EXACT)\n"
    "#error \"HC_NOCONST and HC_EXACT exclude each other\"\n"
    "#endif\n"
    "#if defined(HC_NOCONST)\n"
    "#define HC_MODE \" (up to const qualifiers)\"\n"
    "#else\n"
    "#define HC_MODE \"\"\n"
    "#endif\n"
    "#if defined(HC_EXACT)\n"
    "#define HC_PROTO(name, type, msg)\n"
    "#else\n"
    "#define HC_PROTO(name, type, msg) \\\n"
    "    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), type), msg);\n"
    "#endif\n"
    "\n"
    "/* 1.0.2 and LibreSSL before 3.5 name EVP_MD's struct env_md_st (opaque to dlssl). */\n"
    "#if (!defined(LIBRESSL_VERSION_NUMBER) && OPENSSL_VERSION_NUMBER < 0x10100000L) || \\\n"
    "    (defined(LIBRESSL_VERSION_NUMBER) && LIBRESSL_VERSION_NUMBER < 0x30500000L)\n"
    "#define evp_md_st env_md_st\n"
    "#endif\n"
    "#include \"ossl/decls.h\"\n"
    "\n"
    "/* The installed headers' API level, as the loader computes it (DL_V). */\n"
    "#if defined(LIBRESSL_VERSION_NUMBER)\n"
    "#define HC_LIBRESSL 1\n"
    "#define HC_LEVEL 0x010101\n"
    "#define HC_KIND 4\n"
    "#else\n"
    "#define HC_LIBRESSL 0\n"
    "#if defined(OPENSSL_VERSION_MAJOR)\n"
    "#define HC_LEVEL ((OPENSSL_VERSION_MAJOR << 16) | (OPENSSL_VERSION_MINOR << 8) | \\\n"
    "    (OPENSSL_VERSION_PATCH > 255 ? 255 : OPENSSL_VERSION_PATCH))\n"
    "#else\n"
    "#define HC_LEVEL ((((OPENSSL_VERSION_NUMBER >> 28) & 0xf) << 16) | \\\n"
    "    (((OPENSSL_VERSION_NUMBER >> 20) & 0xff) << 8) | ((OPENSSL_VERSION_NUMBER >> 12) & 0xff))\n"
    "#endif\n"
    "#if HC_LEVEL >= 0x030000\n"
    "#define HC_KIND 3\n"
    "#elif HC_LEVEL >= 0x010100\n"
    "#define HC_KIND 2\n"
    "#else\n"
    "#define HC_KIND 1\n"
    "#endif\n"
    "#endif\n\n";

/* The #if condition under which the loader binds this entry for the headers' version. */
static void
print_applies(const struct entry *e)
{
	const struct flavor *lrs = find_flavor("libressl");
	int in_lrs = applies(e, lrs) && e->need != DL_REQ_OSSL;

	if (e->need == DL_LRS) {
		printf("#if HC_LIBRESSL\n");
		return;
	}
	printf("#if (HC_LIBRESSL && %d) || (!HC_LIBRESSL && HC_LEVEL >= 0x%06lx && HC_LEVEL < 0x%06lx)\n",
	    in_lrs, e->since, e->until);
}

static void
print_proto_check(const struct entry *e, const char *name)
{
	printf("HC_PROTO(%s, %s (*)%s,\n"
	    "    \"%s: the manifest says %s %s%s\")\n",
	    name, e->ret, e->params, name, e->ret, name, e->params);
}

/* For HC_EXACT: the name and whether the exact prototype agrees. */
static void
print_exact(const struct entry *e, const char *name)
{
	printf("\t{ \"%s\", __builtin_types_compatible_p(__typeof__(&%s), %s (*)%s) },\n",
	    name, name, e->ret, e->params);
}

/* Emit, for one entry, BODY(name) under the right conditions. */
static void
emit_entry(const struct entry *e, void (*body)(const struct entry *, const char *))
{
	size_t k;
	int first = 1;

	print_applies(e);
	if (e->alt[0] != '\0') {
		printf("#if 0");
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			if (strcmp(export_name(e, find_flavor(kinds[k].flavor)), e->alt) == 0) {
				printf(" || HC_KIND == %d", kinds[k].kind);
				first = 0;
			}
		}
		printf("\n");
		if (!first)
			body(e, e->alt);
		printf("#else\n");
		body(e, e->sym);
		printf("#endif\n");
	} else {
		body(e, e->sym);
	}
	printf("#endif\n");
}

static void
print_name(const struct entry *e, const char *name)
{
	(void)e;
	printf("\t\"%s\",\n", name);
}

/*
 * The OpenSSL version a decls.h comment names as the first to have a
 * constant: "1.1.1b+", "(1.1.0+)", "since 1.1.0", or in a trailing comment
 * any version ("3.0").  0 when none.
 */
static unsigned long
parse_since(const char *s, int trailing)
{
	const char *p;
	unsigned int a, b, c;
	int n;

	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.')))
			continue;
		c = 0;
		n = 0;
		if (sscanf(p, "%u.%u.%u%n", &a, &b, &c, &n) != 3 &&
		    sscanf(p, "%u.%u%n", &a, &b, &n) != 2)
			continue;
		while (isalpha((unsigned char)p[n]))
			n++;
		if (trailing || p[n] == '+' || (p - s >= 6 && strncmp(p - 6, "since ", 6) == 0))
			return DL_V(a, b, c);
	}
	return 0;
}

/*
 * decls.h's LibreSSL values: DL_LRS_X is LibreSSL's X where it differs from
 * OpenSSL's (DL_X).  Is there a DL_LRS_ version of NAME in PATH?
 */
static int
has_lrs_value(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[512], want[160];
	int found = 0;

	if (f == NULL)
		return 0;
	snprintf(want, sizeof(want), "#define DL_LRS_%s ", name);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, want, strlen(want)) == 0;
	fclose(f);
	return found;
}

/* Read decls.h and emit one check per DL_ constant; returns the count, or -1. */
static int
emit_constants(const char *path, FILE *names)
{
	FILE *f = fopen(path, "r");
	char line[512], comment[2048] = "";
	unsigned long block_since = 0;
	int n = 0, in_comment = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char name[128], *tc;
		const char *lrs;
		unsigned long since, until;
		size_t k;

		if (in_comment || strncmp(line, "/*", 2) == 0) {
			if (!in_comment)
				comment[0] = '\0';
			strncat(comment, line, sizeof(comment) - strlen(comment) - 1);
			in_comment = strstr(line, "*/") == NULL;
			if (!in_comment)
				block_since = parse_since(comment, 0);
			continue;
		}
		if (line[0] == '\n') {
			block_since = 0;
			continue;
		}
		if (sscanf(line, "#define DL_%127[A-Za-z0-9_]", name) != 1 ||
		    line[strlen("#define DL_") + strlen(name)] == '(')
			continue;
		tc = strstr(line, "/*");
		since = tc != NULL ? parse_since(tc, 1) : 0;
		if (since == 0)
			since = block_since;
		for (k = 0; k < NCONST_EXCEPTIONS; k++)
			if (strcmp(const_exceptions[k].name, name) == 0)
				break;
		until = k < NCONST_EXCEPTIONS ? const_exceptions[k].until : DL_V_MAX;
		if (until == 0) {
			printf("/* DL_%s: not checked: %s. */\n", name, const_exceptions[k].reason);
			continue;
		}
		if (strncmp(name, "LRS_", 4) == 0) {
			/* LibreSSL's own value: compared with LibreSSL's headers only. */
			printf("#if HC_LIBRESSL && defined(%s)\n", name + 4);
			printf("_Static_assert((DL_%s) == (%s), \"DL_%s differs from LibreSSL's %s\");\n",
			    name, name + 4, name, name + 4);
			printf("#endif\n");
			fprintf(names, "#if HC_LIBRESSL\n#ifdef %s\n\t{ \"DL_%s\", 1 },\n#else\n"
			    "\t{ \"DL_%s\", 0 },\n#endif\n#endif\n", name + 4, name, name);
			n++;
			continue;
		}
		/* A constant with a LibreSSL value, or unused there, is compared with OpenSSL's headers only. */
		lrs = has_lrs_value(path, name) || (k < NCONST_EXCEPTIONS && const_exceptions[k].openssl_only) ?
		    "0" : "HC_LIBRESSL";
		/*
		 * OpenSSL: within [since, until), the header must define it.
		 * LibreSSL (API 1.1.1, and it kept the 1.0.2 ctrls): where it
		 * defines the name, the value must agree; where not, listed.
		 */
		printf("#if (%s && HC_LEVEL >= 0x%06lx) || "
		    "(!HC_LIBRESSL && HC_LEVEL >= 0x%06lx && HC_LEVEL < 0x%06lx)\n", lrs, since, since, until);
		printf("#ifdef %s\n", name);
		printf("_Static_assert((DL_%s) == (%s), \"DL_%s differs from the headers' %s\");\n",
		    name, name, name, name);
		printf("#elif !HC_LIBRESSL\n"
		    "#error \"decls.h has DL_%s, but the installed headers have no %s\"\n#endif\n",
		    name, name);
		printf("#endif\n");
		fprintf(names, "#if (%s && HC_LEVEL >= 0x%06lx) || "
		    "(!HC_LIBRESSL && HC_LEVEL >= 0x%06lx && HC_LEVEL < 0x%06lx)\n"
		    "#ifdef %s\n\t{ \"DL_%s\", 1 },\n#else\n\t{ \"DL_%s\", 0 },\n#endif\n#endif\n",
		    lrs, since, since, until, name, name, name);
		n++;
	}
	fclose(f);
	return n;
}

/* emit_entry() for the entries checked against the headers at hand. */
static void
emit_checked(const struct entry *e, void (*body)(const struct entry *, const char *))
{
	int x = proto_exception(e->slot);

	if (x >= 0 && !proto_exceptions[x].libressl_only)
		return;
	if (x >= 0)
		printf("#if !HC_LIBRESSL\n");
	emit_entry(e, body);
	if (x >= 0)
		printf("#endif\n");
}

static int
gen_headercheck(const char *decls)
{
	FILE *names = tmpfile();
	char buf[4096];
	size_t i, n;

	if (names == NULL) {
		perror("tmpfile");
		return 1;
	}
	printf("/* Generated by tests/gen_manifest headercheck.  Do not edit. */\n");
	printf("%s", hc_prologue);
	printf("/* Prototypes: each manifest entry bound for the headers' version. */\n");
	for (i = 0; i < NENTRIES; i++) {
		int x = proto_exception(entries[i].slot);

		if (x < 0) {
			emit_entry(&entries[i], print_proto_check);
			continue;
		}
		printf("/* %s: not checked%s: %s. */\n", entries[i].slot,
		    proto_exceptions[x].libressl_only ? " against LibreSSL" : "", proto_exceptions[x].reason);
		if (proto_exceptions[x].libressl_only) {
			printf("#if !HC_LIBRESSL\n");
			emit_entry(&entries[i], print_proto_check);
			printf("#endif\n");
		}
	}
	printf("\n/* Constants: every DL_ value in decls.h. */\n");
	if (emit_constants(decls, names) < 0) {
		fclose(names);
		return 1;
	}
	printf("\nstatic const char *const checked_protos[] = {\n");
	for (i = 0; i < NENTRIES; i++)
		emit_checked(&entries[i], print_name);
	printf("\tNULL\n};\n\n#if defined(HC_EXACT)\nstatic const struct { const char *name; int same; } exact[] = {\n");
	for (i = 0; i < NENTRIES; i++)
		emit_checked(&entries[i], print_exact);
	printf("\t{ NULL, 1 }\n};\n#endif\n\n");
	printf("static const struct { const char *name; int defined; } checked_consts[] = {\n");
	rewind(names);
	while ((n = fread(buf, 1, sizeof(buf), names)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(names);
	printf("\t{ NULL, 0 }\n};\n\nstatic const char *const unchecked[][2] = {\n");
	for (i = 0; i < NPROTO_EXCEPTIONS; i++)
		printf("%s\t{ \"%s\", \"%s\" },\n%s", proto_exceptions[i].libressl_only ? "#if HC_LIBRESSL\n" : "",
		    proto_exceptions[i].slot, proto_exceptions[i].reason,
		    proto_exceptions[i].libressl_only ? "#endif\n" : "");
	for (i = 0; i < NCONST_EXCEPTIONS; i++) {
		if (const_exceptions[i].openssl_only)
			printf("#if HC_LIBRESSL\n");
		else
			printf("#if !HC_LIBRESSL && HC_LEVEL >= 0x%06lx\n", const_exceptions[i].until);
		printf("\t{ \"DL_%s\", \"%s\" },\n#endif\n", const_exceptions[i].name,
		    const_exceptions[i].reason);
	}
	printf("};\n\n"
	    "int\nmain(void)\n{\n"
	    "\tsize_t np = 0, nc = 0, i;\n\n"
	    "\twhile (checked_protos[np] != NULL)\n\t\tnp++;\n"
	    "\tfor (i = 0; checked_consts[i].name != NULL; i++)\n"
	    "\t\tif (checked_consts[i].defined)\n\t\t\tnc++;\n"
	    "\t\telse\n"
	    "\t\t\tprintf(\"headercheck: not defined by these headers: %%s\\n\", checked_consts[i].name);\n"
	    "#if defined(HC_EXACT)\n"
	    "\tprintf(\"headercheck: %%zu prototypes (exact comparison reported, not asserted) and \"\n"
	    "\t    \"%%zu constants agree with the headers of %%s\\n\", np, nc, OPENSSL_VERSION_TEXT);\n"
	    "\tfor (i = 0; exact[i].name != NULL; i++)\n"
	    "\t\tif (!exact[i].same)\n"
	    "\t\t\tprintf(\"headercheck: the headers declare %%s with other const qualifiers\\n\", exact[i].name);\n"
	    "#else\n"
	    "\tprintf(\"headercheck: %%zu prototypes%%s and %%zu constants agree with the headers of %%s\\n\",\n"
	    "\t    np, HC_MODE, nc, OPENSSL_VERSION_TEXT);\n"
	    "#endif\n"
	    "\tfor (i = 0; i < sizeof(unchecked) / sizeof(unchecked[0]); i++)\n"
	    "\t\tprintf(\"headercheck: not checked: %%s: %%s\\n\", unchecked[i][0], unchecked[i][1]);\n"
	    "\treturn np > 0 && nc > 0 ? 0 : 1;\n}\n");
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen_manifest stub FLAVOR ssl|crypto [OMIT...]\n"
	    "       gen_manifest headercheck path/to/decls.h\n");
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc >= 4 && strcmp(argv[1], "stub") == 0)
		rc = gen_stub(argv[2], argv[3], argv + 4, argc - 4);
	else if (argc == 3 && strcmp(argv[1], "headercheck") == 0)
		rc = gen_headercheck(argv[2]);
	else {
		usage();
		return 1;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen_manifest: stdout");
		return 1;
	}
	return rc;
}
