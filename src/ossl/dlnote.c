/*
 * The ELF ".note.dlopen" note (freedesktop/UAPI "ELF dlopen metadata"):
 * tells packagers and SBOM tools which libraries dlssl may dlopen, in
 * preference order.  Generated from the same list the loader probes.
 */
#include "config.h"

#if defined(__ELF__)
#include <stdint.h>

#include "ossl/sonames.h"

#define NOTE_OWNER "FDO"
#define NOTE_TYPE UINT32_C(0x407c0c0a)

#define SSL_JSON(ssl, crypto) "\"" ssl "\""
#define CRYPTO_JSON(ssl, crypto) "\"" crypto "\""
#define JSON_SEP() ","

#define DLOPEN_JSON \
	"[{\"feature\":\"tls\",\"description\":\"TLS through OpenSSL's libssl\"," \
	"\"priority\":\"required\",\"soname\":[" DLSSL_SONAME_PAIRS(SSL_JSON, JSON_SEP) "]}," \
	"{\"feature\":\"crypto\",\"description\":\"OpenSSL's libcrypto, paired with libssl\"," \
	"\"priority\":\"required\",\"soname\":[" DLSSL_SONAME_PAIRS(CRYPTO_JSON, JSON_SEP) "]}]"

/* clang's ASan would pad the note into a corrupt one. */
#if defined(__clang__)
__attribute__((no_sanitize("address")))
#endif
__attribute__((used, section(".note.dlopen"), aligned(4)))
static const struct {
	uint32_t namesz, descsz, type;
	char name[(sizeof(NOTE_OWNER) + 3) & ~3u];
	char desc[(sizeof(DLOPEN_JSON) + 3) & ~3u];
} dlssl_dlopen_note = {
	sizeof(NOTE_OWNER),
	sizeof(DLOPEN_JSON),
	NOTE_TYPE,
	NOTE_OWNER,
	DLOPEN_JSON,
};
#else
/* No ELF notes on this platform. */
typedef int dlssl_no_dlopen_note;
#endif
