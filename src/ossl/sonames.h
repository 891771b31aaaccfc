/*
 * The library names the loader probes, newest first, per platform.  One
 * list: the candidates (discover.c) and the ELF .note.dlopen (dlnote.c)
 * are both generated from it.  Never an unversioned libssl.so or
 * libssl.dylib: those are development links (and, on macOS, stubs that
 * abort the process).
 *
 * DLSSL_SONAME_PAIRS(X, S): X(libssl, libcrypto) for each pair, with S()
 * between entries (a separator the user chooses: "," for arrays, a JSON
 * string separator for the note).
 */
#ifndef DLSSL_OSSL_SONAMES_H
#define DLSSL_OSSL_SONAMES_H

#if defined(_WIN32)
#if defined(_M_ARM64) || defined(__aarch64__)
#define DLSSL_WIN_ARCH "-arm64"
#elif defined(_WIN64)
#define DLSSL_WIN_ARCH "-x64"
#else
#define DLSSL_WIN_ARCH ""
#endif
#define DLSSL_SONAME_PAIRS(X, S) \
	X("libssl-4" DLSSL_WIN_ARCH ".dll", "libcrypto-4" DLSSL_WIN_ARCH ".dll") S() \
	X("libssl-3" DLSSL_WIN_ARCH ".dll", "libcrypto-3" DLSSL_WIN_ARCH ".dll") S() \
	X("libssl-1_1" DLSSL_WIN_ARCH ".dll", "libcrypto-1_1" DLSSL_WIN_ARCH ".dll") S() \
	X("ssleay32.dll", "libeay32.dll")
#elif defined(__APPLE__)
#define DLSSL_SONAME_PAIRS(X, S) \
	X("libssl.4.dylib", "libcrypto.4.dylib") S() \
	X("libssl.3.dylib", "libcrypto.3.dylib") S() \
	X("/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib", "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib") S() \
	X("/usr/local/opt/openssl@3/lib/libssl.3.dylib", "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib") S() \
	X("libssl.1.1.dylib", "libcrypto.1.1.dylib") S() \
	X("libssl.1.0.0.dylib", "libcrypto.1.0.0.dylib")
#else
#define DLSSL_SONAME_PAIRS(X, S) \
	X("libssl.so.4", "libcrypto.so.4") S() \
	X("libssl.so.3", "libcrypto.so.3") S() \
	X("libssl.so.1.1", "libcrypto.so.1.1") S() \
	X("libssl.so.1.0.2", "libcrypto.so.1.0.2") S() \
	X("libssl.so.1.0.0", "libcrypto.so.1.0.0") S() \
	X("libssl.so.10", "libcrypto.so.10")
#endif

#endif
