/*
 * Names for what messages mention: protocol versions and TLS alerts.
 * dlssl's own tables, so a message reads the same whatever library is
 * loaded (their own texts differ: "sslv3 alert handshake failure",
 * "tlsv1 alert unknown ca", ...).  Alert names are those of the IANA TLS
 * Alerts registry (RFC 8446 section 6 and later RFCs).
 */
#include "config.h"

#include <stdio.h>

#include "error.h"

const char *
dlssl__version_name(int v)
{
	switch (v) {
	case 0x0300:
		return "SSLv3";
	case DLSSL_TLS1_0:
		return "TLSv1";
	case DLSSL_TLS1_1:
		return "TLSv1.1";
	case DLSSL_TLS1_2:
		return "TLSv1.2";
	case DLSSL_TLS1_3:
		return "TLSv1.3";
	default:
		return NULL;
	}
}

static const char *
bound(int v, const char *zero, char *buf, size_t size)
{
	const char *name = dlssl__version_name(v);

	if (v == 0)
		return zero;
	if (name != NULL)
		return name;
	snprintf(buf, size, "0x%04x", (unsigned int)v);
	return buf;
}

const char *
dlssl__version_range(int min, int max)
{
	static _Thread_local char out[160];
	char a[16], b[16];
	const char *why = "";

	if (min != 0 && dlssl__version_name(min) == NULL)
		why = " (min_version is not one of DLSSL_TLS1_0 .. DLSSL_TLS1_3)";
	else if (max != 0 && dlssl__version_name(max) == NULL)
		why = " (max_version is not one of DLSSL_TLS1_0 .. DLSSL_TLS1_3)";
	else if (max != 0 && (min ? min : DLSSL_TLS1_2) > max)
		why = " (the minimum is above the maximum)";
	snprintf(out, sizeof(out), "%s .. %s%s", bound(min, "TLSv1.2 (the default minimum)", a, sizeof(a)),
	    bound(max, "the highest the library offers", b, sizeof(b)), why);
	return out;
}

static const struct {
	unsigned char code;
	const char *name;
} alerts[] = {
	{ 0, "close_notify" },
	{ 10, "unexpected_message" },
	{ 20, "bad_record_mac" },
	{ 21, "decryption_failed" },
	{ 22, "record_overflow" },
	{ 30, "decompression_failure" },
	{ 40, "handshake_failure" },
	{ 41, "no_certificate" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 60, "export_restriction" },
	{ 70, "protocol_version" },
	{ 71, "insufficient_security" },
	{ 80, "internal_error" },
	{ 86, "inappropriate_fallback" },
	{ 90, "user_canceled" },
	{ 100, "no_renegotiation" },
	{ 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" },
	{ 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" },
	{ 115, "unknown_psk_identity" },
	{ 116, "certificate_required" },
	{ 120, "no_application_protocol" },
	{ 121, "ech_required" },
};

const char *
dlssl__alert_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == code)
			return alerts[i].name;
	return NULL;
}
