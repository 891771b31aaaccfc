#!/bin/sh
# Build the stub OpenSSL DLLs the Windows loader tests load: one directory
# per scenario, each holding a libssl/libcrypto pair under the Windows
# names (src/ossl/sonames.h), libssl importing its libcrypto.  The Windows
# variant of tests/stubs/build-stubs.sh, from the same generated symbols.
#
#   build-stubs.sh TOP_SRCDIR GEN_MANIFEST OUTDIR
#
# CC names the mingw-w64 compiler (default x86_64-w64-mingw32-gcc);
# GEN_MANIFEST is a native tests/gen_manifest.  The symbols come from
# `GEN_MANIFEST stub FLAVOR ssl|crypto [OMIT...]` plus
# tests/stubs/stub_crypto.c and tests/win32/stub_ssl.c; what each flavor
# answers is in tests/stubs/stub.h.
#
#   ossl3     OpenSSL 3.0.99          libssl-3-x64.dll    libcrypto-3-x64.dll
#   ossl111   OpenSSL 1.1.1w          libssl-1_1-x64.dll  libcrypto-1_1-x64.dll
#   ossl102   OpenSSL 1.0.2u          ssleay32.dll        libeay32.dll
#   fork      BoringSSL (refused)     libssl-1_1-x64.dll  libcrypto-1_1-x64.dll
#   missing3  ossl3 without STUB_MISSING3_OMIT (refused)
#   mismatch  ossl3's pair, plus libcrypto-other.dll: an ossl3 libcrypto
#             under another name, that this libssl does not import
#   mock      ossl3 with a pass-through "TLS" (mock.h), for the transport
#             and dlssl.exe tests: records move through dlssl's BIO,
#             unencrypted; any PEM certificate and key are taken
#   fallback  missing3's pair and ossl111's pair in one directory
#   custom    ossl3's pair with libssl renamed libssl-3-custom.dll (found
#             in host mode by walking the loaded modules, not by name)
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 TOP_SRCDIR GEN_MANIFEST OUTDIR" >&2
	exit 1
fi
top=$1
gen=$2
out=$3
cc=${CC:-x86_64-w64-mingw32-gcc}
stubs=$top/tests/stubs
here=$top/tests/win32
src=$out/src

omit=$(sed -n 's/^#define STUB_MISSING3_OMIT "\(.*\)"$/\1/p' "$stubs/stub.h")
mock=$(sed -n 's/^#define MOCK_NAMES "\(.*\)"$/\1/p' "$here/mock.h")
if [ -z "$omit" ] || [ -z "$mock" ]; then
	echo "$0: no STUB_MISSING3_OMIT in $stubs/stub.h or MOCK_NAMES in $here/mock.h" >&2
	exit 1
fi

mkdir -p "$out" "$src"

# compile OUTFILE FLAVOR FILES... [DLL]
# Every global function is exported (no dllexport anywhere: ld's
# auto-export); a DLL named last is linked directly, giving an import.
compile() {
	outfile=$1 flavor=$2
	shift 2
	def=STUB_$(echo "$flavor" | tr '[:lower:]' '[:upper:]')
	$cc -shared -s -w -O1 -static-libgcc -I"$top/src" -I"$stubs" -D"$def" \
	    -o "$outfile" "$@"
}

# build DIR FLAVOR LIBSSL LIBCRYPTO [OMIT...]
# With MOCK=1, tests/win32/mock_{crypto,ssl}.c join the pair (mock.h).
build() {
	dir=$out/$1 flavor=$2 ssl=$3 crypto=$4 name=$1
	shift 4
	mkdir -p "$dir"
	"$gen" stub "$flavor" crypto "$@" >"$src/$name-crypto.c"
	"$gen" stub "$flavor" ssl "$@" >"$src/$name-ssl.c"
	if [ "${MOCK:-0}" = 1 ]; then
		compile "$dir/$crypto" "$flavor" "$src/$name-crypto.c" "$stubs/stub_crypto.c" \
		    "$here/mock_crypto.c"
		compile "$dir/$ssl" "$flavor" "$src/$name-ssl.c" "$here/stub_ssl.c" \
		    "$here/mock_ssl.c" "$dir/$crypto"
	else
		compile "$dir/$crypto" "$flavor" "$src/$name-crypto.c" "$stubs/stub_crypto.c"
		compile "$dir/$ssl" "$flavor" "$src/$name-ssl.c" "$here/stub_ssl.c" "$dir/$crypto"
	fi
}

build ossl3 ossl3 libssl-3-x64.dll libcrypto-3-x64.dll
build ossl111 ossl111 libssl-1_1-x64.dll libcrypto-1_1-x64.dll
build ossl102 ossl102 ssleay32.dll libeay32.dll
build fork fork libssl-1_1-x64.dll libcrypto-1_1-x64.dll
# shellcheck disable=SC2086 # one argument per omitted name
build missing3 ossl3 libssl-3-x64.dll libcrypto-3-x64.dll $omit
# shellcheck disable=SC2086
MOCK=1 build mock ossl3 libssl-3-x64.dll libcrypto-3-x64.dll $mock

mkdir -p "$out/fallback" "$out/mismatch" "$out/custom"
cp "$out/missing3/libssl-3-x64.dll" "$out/missing3/libcrypto-3-x64.dll" \
    "$out/ossl111/libssl-1_1-x64.dll" "$out/ossl111/libcrypto-1_1-x64.dll" "$out/fallback/"
cp "$out/ossl3/libssl-3-x64.dll" "$out/ossl3/libcrypto-3-x64.dll" "$out/mismatch/"
compile "$out/mismatch/libcrypto-other.dll" ossl3 "$src/ossl3-crypto.c" "$stubs/stub_crypto.c"
cp "$out/ossl3/libcrypto-3-x64.dll" "$out/custom/"
cp "$out/ossl3/libssl-3-x64.dll" "$out/custom/libssl-3-custom.dll"
