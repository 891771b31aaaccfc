/*
 * The report of a load attempt: every candidate, why it was accepted or
 * rejected, and what was loaded.  DLSSL_TRACE=1 prints each line to stderr
 * as it happens.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ossl/loader.h"

void
dlssl__trace(int on, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	if (!on)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line, so lines from several threads do not interleave. */
	fprintf(stderr, "dlssl: %s\n", line);
}

struct dl_report *
dlssl__report_new(int trace, enum dlssl_mode mode)
{
	struct dl_report *rep = calloc(1, sizeof(*rep));

	if (rep == NULL)
		return NULL;
	rep->trace = trace;
	rep->info.mode = mode;
	return rep;
}

void
dlssl__report_free(struct dl_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nstrs; i++)
		free(rep->strs[i]);
	free(rep->strs);
	free(rep->cands);
	free(rep);
}

static const char *
keep(struct dl_report *rep, char *s)
{
	if (s == NULL)
		return NULL;
	if (rep->nstrs == rep->capstrs) {
		size_t n = rep->capstrs ? rep->capstrs * 2 : 16;
		char **v = realloc(rep->strs, n * sizeof(*v));

		if (v == NULL) {
			free(s);
			return NULL;
		}
		rep->strs = v;
		rep->capstrs = n;
	}
	rep->strs[rep->nstrs++] = s;
	return s;
}

const char *
dlssl__report_str(struct dl_report *rep, const char *s)
{
	return s == NULL ? NULL : keep(rep, strdup(s));
}

const char *
dlssl__report_printf(struct dl_report *rep, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return keep(rep, s);
}

void
dlssl__report_candidate(struct dl_report *rep, const char *ssl, const char *crypto,
    enum dlssl_source source, int accepted, const char *reason, const char *missing)
{
	struct dlssl_candidate *c;

	dlssl__trace(rep->trace, "%s %s%s%s (%s): %s%s%s", accepted ? "accepted" : "rejected",
	    ssl, crypto ? " + " : "", crypto ? crypto : "", dlssl_source_name(source),
	    reason ? reason : "", missing ? ": missing " : "", missing ? missing : "");
	if (rep->ncands == rep->capcands) {
		size_t n = rep->capcands ? rep->capcands * 2 : 8;
		struct dlssl_candidate *v = realloc(rep->cands, n * sizeof(*v));

		if (v == NULL)
			return; /* the report loses a line; the load goes on */
		rep->cands = v;
		rep->capcands = n;
	}
	c = &rep->cands[rep->ncands++];
	memset(c, 0, sizeof(*c));
	c->libssl = dlssl__report_str(rep, ssl);
	c->libcrypto = dlssl__report_str(rep, crypto);
	c->source = source;
	c->accepted = accepted;
	c->reason = dlssl__report_str(rep, reason);
	c->missing = dlssl__report_str(rep, missing);
	rep->info.candidates = rep->cands;
	rep->info.n_candidates = rep->ncands;
}

void
dlssl__report_fail(struct dl_report *rep, int code, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rep->info.error = dlssl__report_str(rep, msg);
	dlssl__trace(rep->trace, "failed: %s", msg);
	dlssl__set_errorx(code, "%s", msg);
}

DLSSL_EXPORT const char *
dlssl_source_name(enum dlssl_source source)
{
	switch (source) {
	case DLSSL_SOURCE_NONE:
		return "none";
	case DLSSL_SOURCE_ARGUMENT:
		return "argument";
	case DLSSL_SOURCE_ENVIRONMENT:
		return "environment";
	case DLSSL_SOURCE_HOST:
		return "host";
	case DLSSL_SOURCE_SYSTEM:
		return "system";
	}
	return "unknown";
}

DLSSL_EXPORT const char *
dlssl_mode_name(enum dlssl_mode mode)
{
	switch (mode) {
	case DLSSL_MODE_DEFAULT:
		return "default";
	case DLSSL_MODE_AUTO:
		return "auto";
	case DLSSL_MODE_HOST:
		return "host";
	case DLSSL_MODE_PRIVATE:
		return "private";
	}
	return "unknown";
}
