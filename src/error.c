/* Thread-local error messages and the category names. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat/errno.h"
#include "error.h"

#define DLSSL_ERRBUF 1024

struct err_state {
	int code;
	char msg[DLSSL_ERRBUF];
};

static _Thread_local struct err_state err_tls;

void
dlssl__error_clear(void)
{
	err_tls.code = DLSSL_ERR_NONE;
	err_tls.msg[0] = '\0';
}

static void
set_verror(int code, int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;
	int n;

	err_tls.code = code;
	n = vsnprintf(err_tls.msg, sizeof(err_tls.msg), fmt, ap);
	if (n < 0)
		err_tls.msg[0] = '\0';
	if (with_errno && saved != 0) {
		size_t len = strlen(err_tls.msg);
		snprintf(err_tls.msg + len, sizeof(err_tls.msg) - len, ": %s",
		    dlssl__strerror(saved));
	}
	errno = saved;
}

void
dlssl__set_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_verror(code, 1, fmt, ap);
	va_end(ap);
}

void
dlssl__set_errorx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_verror(code, 0, fmt, ap);
	va_end(ap);
}

void
dlssl__error_append(const char *text)
{
	size_t len = strlen(err_tls.msg);

	if (text == NULL || *text == '\0')
		return;
	snprintf(err_tls.msg + len, sizeof(err_tls.msg) - len, "%s%s",
	    len ? ": " : "", text);
}

/*
 * A received alert is named by dlssl alone: the libraries' texts for it
 * differ ("tlsv1 alert no application protocol", "reason(1120)", ...), so
 * for an alert dlssl knows the library's entry is dropped and the message
 * is the same with every library.
 */
int
dlssl__error_append_queued(const char *text, int alert)
{
	const char *name = alert >= 0 ? dlssl__alert_name(alert) : NULL;
	char label[96];

	if (text == NULL || *text == '\0' || strstr(err_tls.msg, text) != NULL)
		return 0;
	if (alert >= 0) {
		if (name != NULL)
			snprintf(label, sizeof(label), "the peer sent the alert %s (%d)", name, alert);
		else
			snprintf(label, sizeof(label), "the peer sent alert number %d", alert);
		if (strstr(err_tls.msg, label) == NULL)
			dlssl__error_append(label);
		if (name != NULL)
			return 1;
	}
	dlssl__error_append(text);
	return 1;
}

DLSSL_EXPORT const char *
dlssl_error(void)
{
	if (err_tls.code == DLSSL_ERR_NONE)
		return NULL;
	return err_tls.msg[0] ? err_tls.msg : dlssl_error_name(err_tls.code);
}

DLSSL_EXPORT int
dlssl_error_code(void)
{
	return err_tls.code;
}

DLSSL_EXPORT const char *
dlssl_error_name(int code)
{
	switch (code) {
#define NAME_CASE(name, value, text) \
	case DLSSL_ERR_##name: \
		return #name;
		DLSSL_ERRNO_MAP(NAME_CASE)
#undef NAME_CASE
	default:
		break;
	}
	return "UNKNOWN";
}
