/* Parsing of the options every dlssl subcommand shares. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "sys.h"

#define CLI_PASS_MAX 1024
#define CLI_ALPN_MAX 32

int
cli_unknown(const char *cmd, const char *arg)
{
	if (arg[0] == '-')
		fprintf(stderr, "dlssl %s: unknown option '%s' (try 'dlssl %s --help')\n", cmd, arg,
		    cmd);
	else
		fprintf(stderr, "dlssl %s: unexpected argument '%s' (try 'dlssl %s --help')\n", cmd,
		    arg, cmd);
	return EXIT_USAGE;
}

int
cli_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
cli_optarg(const char *cmd, const char *name, int argc, char **argv, int *i, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "dlssl %s: %s needs a value\n", cmd, name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/* --pass: "pass:TEXT", "env:VAR", "file:PATH" (first line) or the text itself. */
static char *
read_pass(const char *cmd, const char *spec)
{
	char buf[CLI_PASS_MAX], *r;
	const char *v;
	FILE *f;

	if (strncmp(spec, "pass:", 5) == 0)
		return strdup(spec + 5);
	if (strncmp(spec, "env:", 4) == 0) {
		if ((v = cli_getenv(spec + 4)) == NULL) {
			fprintf(stderr, "dlssl %s: --pass: %s is not set\n", cmd, spec + 4);
			return NULL;
		}
		return strdup(v);
	}
	if (strncmp(spec, "file:", 5) != 0)
		return strdup(spec);
	if ((f = fopen(spec + 5, "r")) == NULL) {
		fprintf(stderr, "dlssl %s: --pass: %s: %s\n", cmd, spec + 5, cli_strerror(errno));
		return NULL;
	}
	buf[0] = '\0';
	if (fgets(buf, sizeof(buf), f) == NULL && ferror(f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	r = strdup(buf);
	memset(buf, 0, sizeof(buf));
	return r;
}

/* --alpn a,b,c: a NULL-terminated list pointing into one copy of the text. */
static int
parse_alpn(struct cli_opts *o, const char *cmd, const char *v)
{
	size_t n = 0;
	char *p;

	free(o->alpn_buf);
	free(o->alpn);
	o->alpn = NULL;
	if ((o->alpn_buf = strdup(v)) == NULL ||
	    (o->alpn = calloc(CLI_ALPN_MAX + 1, sizeof(*o->alpn))) == NULL) {
		fprintf(stderr, "dlssl %s: out of memory\n", cmd);
		return -1;
	}
	for (p = o->alpn_buf; p != NULL && n < CLI_ALPN_MAX;) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (*p == '\0' || strlen(p) > 255) {
			fprintf(stderr, "dlssl %s: --alpn: empty or overlong protocol name in '%s'\n",
			    cmd, v);
			return -1;
		}
		o->alpn[n++] = p;
		p = comma != NULL ? comma + 1 : NULL;
	}
	if (p != NULL) {
		fprintf(stderr, "dlssl %s: --alpn: at most %d protocols\n", cmd, CLI_ALPN_MAX);
		return -1;
	}
	return 0;
}

static int
parse_verify(struct cli_opts *o, const char *cmd, const char *v)
{
	if (strcmp(v, "none") == 0)
		o->verify = DLSSL_VERIFY_NONE;
	else if (strcmp(v, "optional") == 0)
		o->verify = DLSSL_VERIFY_OPTIONAL;
	else if (strcmp(v, "required") == 0)
		o->verify = DLSSL_VERIFY_REQUIRED;
	else {
		fprintf(stderr, "dlssl %s: --verify must be none, optional or required, not '%s'\n",
		    cmd, v);
		return -1;
	}
	return 0;
}

#ifdef _WIN32
/*
 * An absolute path as the Windows loader takes one (src/ossl/dl_win32.c):
 * C:\ or C:/, \\server\share, \\?\... (C:foo and \foo depend on a current
 * directory).
 */
static int
is_absolute(const char *p)
{
	if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
	    (p[2] == '\\' || p[2] == '/'))
		return 1;
	return (p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/') && p[2] != '\0' &&
	    p[2] != '\\' && p[2] != '/';
}
#else
#define is_absolute(p) ((p)[0] == '/')
#endif

static int
parse_transport(struct cli_opts *o, const char *cmd, const char *v)
{
	if (strcmp(v, "fd") == 0)
		o->transport = CLI_T_FD;
	else if (strcmp(v, "io") == 0)
		o->transport = CLI_T_IO;
	else if (strcmp(v, "file") == 0) {
#ifdef _WIN32
		/* fdopen() wants a C runtime fd, and a Windows socket is none. */
		fprintf(stderr, "dlssl %s: --transport file is not available on Windows "
		    "(a socket is no C runtime file there): use fd or io\n", cmd);
		return -1;
#else
		o->transport = CLI_T_FILE;
#endif
	} else {
		fprintf(stderr, "dlssl %s: --transport must be fd, io or file, not '%s'\n", cmd, v);
		return -1;
	}
	return 0;
}

static int
parse_timeout(struct cli_opts *o, const char *cmd, const char *v)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(t > 0) || t > 86400) {
		fprintf(stderr, "dlssl %s: --timeout takes seconds (0 < SECONDS <= 86400), not '%s'\n",
		    cmd, v);
		return -1;
	}
	o->timeout_ms = (int)(t * 1000 + 0.5);
	if (o->timeout_ms == 0)
		o->timeout_ms = 1;
	return 0;
}

int
cli_opt_common(struct cli_opts *o, unsigned int allowed, const char *cmd, int argc, char **argv,
    int *i)
{
	const char *v;
	int r;

#define CLI_TRY(bit, name) \
	if ((allowed & (bit)) && (r = cli_optarg(cmd, name, argc, argv, i, &v)) != 0)
	CLI_TRY(CLI_O_SERVERNAME, "--servername") {
		o->servername = v;
		return r;
	}
	CLI_TRY(CLI_O_VERIFY, "--verify")
		return r < 0 ? r : parse_verify(o, cmd, v) < 0 ? -1 : 1;
	CLI_TRY(CLI_O_CAFILE, "--cafile") {
		o->cafile = v;
		return r;
	}
	CLI_TRY(CLI_O_CAPATH, "--capath") {
		o->capath = v;
		return r;
	}
	CLI_TRY(CLI_O_CERT, "--cert") {
		o->cert = v;
		return r;
	}
	CLI_TRY(CLI_O_KEY, "--key") {
		o->key = v;
		return r;
	}
	CLI_TRY(CLI_O_PASS, "--pass") {
		if (r < 0)
			return r;
		if (o->pass != NULL) {
			memset(o->pass, 0, strlen(o->pass));
			free(o->pass);
		}
		return (o->pass = read_pass(cmd, v)) == NULL ? -1 : 1;
	}
	CLI_TRY(CLI_O_ALPN, "--alpn")
		return r < 0 ? r : parse_alpn(o, cmd, v) < 0 ? -1 : 1;
	CLI_TRY(CLI_O_TIMEOUT, "--timeout")
		return r < 0 ? r : parse_timeout(o, cmd, v) < 0 ? -1 : 1;
	CLI_TRY(CLI_O_TRANSPORT, "--transport")
		return r < 0 ? r : parse_transport(o, cmd, v) < 0 ? -1 : 1;
	CLI_TRY(CLI_O_LIBSSL, "--libssl") {
		if (r > 0 && !is_absolute(v)) {
			fprintf(stderr, "dlssl %s: --libssl needs an absolute path, not '%s'\n", cmd, v);
			return -1;
		}
		o->libssl = v;
		return r;
	}
#undef CLI_TRY
	return 0;
}

void
cli_opts_help(FILE *f, unsigned int allowed)
{
	static const struct {
		unsigned int bit;
		const char *text;
	} lines[] = {
		{ CLI_O_SERVERNAME, "  --servername NAME  name for SNI and verification (default: HOST)" },
		{ CLI_O_VERIFY, "  --verify none|optional|required  peer verification" },
		{ CLI_O_CAFILE, "  --cafile FILE      trust the CA certificates in FILE (PEM) only" },
		{ CLI_O_CAPATH, "  --capath DIR       trust the CAs of a hashed directory only" },
		{ CLI_O_CERT, "  --cert FILE        certificate chain (PEM, leaf first)" },
		{ CLI_O_KEY, "  --key FILE         private key (PEM or DER)" },
		{ CLI_O_PASS, "  --pass P           key password: TEXT, pass:TEXT, env:VAR or file:PATH" },
		{ CLI_O_ALPN, "  --alpn a,b         ALPN protocols, in order of preference" },
		{ CLI_O_TIMEOUT, "  --timeout SECONDS  give up when the peer is silent this long" },
#ifdef _WIN32
		{ CLI_O_TRANSPORT, "  --transport fd|io  how the socket is given to dlssl (default fd)" },
#else
		{ CLI_O_TRANSPORT, "  --transport fd|io|file  how the socket is given to dlssl (default fd)" },
#endif
		{ CLI_O_LIBSSL, "  --libssl PATH      load this libssl (absolute path)" },
	};
	size_t k;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		if (allowed & lines[k].bit)
			fprintf(f, "%s\n", lines[k].text);
}

void
cli_opts_free(struct cli_opts *o)
{
	if (o->pass != NULL) {
		memset(o->pass, 0, strlen(o->pass));
		free(o->pass);
	}
	free(o->alpn);
	free(o->alpn_buf);
	o->pass = NULL;
	o->alpn = NULL;
	o->alpn_buf = NULL;
}
