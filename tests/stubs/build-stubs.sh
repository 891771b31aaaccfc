#!/bin/sh
# Build the stub OpenSSL libraries the loader tests load: one directory per
# scenario, each holding a libssl/libcrypto pair with the real sonames, libssl
# linked to its libcrypto (DT_NEEDED) and finding it through RUNPATH $ORIGIN.
#
#   build-stubs.sh TOP_SRCDIR GEN_MANIFEST OUTDIR
#
# CC names the compiler (default cc).  The symbols come from
# `GEN_MANIFEST stub FLAVOR ssl|crypto [OMIT...]` plus stub_ssl.c and
# stub_crypto.c; what each flavor answers is in stub.h.
#
#   ossl3      OpenSSL 3.0.99            libssl.so.3      libcrypto.so.3
#   ossl111    OpenSSL 1.1.1w            libssl.so.1.1    libcrypto.so.1.1
#   ossl102    OpenSSL 1.0.2u            libssl.so.1.0.0  libcrypto.so.1.0.0
#   libressl   LibreSSL 3.8.2            libssl.so.55     libcrypto.so.52
#   fork       BoringSSL (refused)       libssl.so.1.1    libcrypto.so.1.1
#   ossl110    OpenSSL 1.1.0l (refused)  libssl.so.1.1    libcrypto.so.1.1
#   missing3   ossl3 without STUB_MISSING3_OMIT (refused)
#   fallback   missing3's pair and ossl111's pair in one directory
#   mismatch   ossl3's pair, plus libcrypto-other.so.3: an ossl3 libcrypto
#              with another soname, that this libssl does not use
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 TOP_SRCDIR GEN_MANIFEST OUTDIR" >&2
	exit 1
fi
top=$1
gen=$2
out=$3
cc=${CC:-cc}
here=$top/tests/stubs
src=$out/src

omit=$(sed -n 's/^#define STUB_MISSING3_OMIT "\(.*\)"$/\1/p' "$here/stub.h")
if [ -z "$omit" ]; then
	echo "$0: no STUB_MISSING3_OMIT in $here/stub.h" >&2
	exit 1
fi

mkdir -p "$out" "$src"

# compile OUTFILE SONAME FLAVOR FILES... [LIBRARY]
# A library to link with is kept as DT_NEEDED even though the stub libssl
# calls nothing in it (--no-as-needed): the real one depends on libcrypto.
compile() {
	outfile=$1 soname=$2 flavor=$3
	shift 3
	def=STUB_$(echo "$flavor" | tr '[:lower:]' '[:upper:]')
	# shellcheck disable=SC2016 # $ORIGIN is for the dynamic linker
	$cc -shared -fPIC -w -I"$top/src" -I"$here" -D"$def" \
	    -Wl,-soname,"$soname" -Wl,-rpath,'$ORIGIN' -Wl,--no-as-needed \
	    -o "$outfile" "$@"
}

# build DIR FLAVOR LIBSSL LIBCRYPTO [OMIT...]
build() {
	dir=$out/$1 flavor=$2 ssl=$3 crypto=$4 name=$1
	shift 4
	mkdir -p "$dir"
	"$gen" stub "$flavor" crypto "$@" >"$src/$name-crypto.c"
	"$gen" stub "$flavor" ssl "$@" >"$src/$name-ssl.c"
	compile "$dir/$crypto" "$crypto" "$flavor" "$src/$name-crypto.c" "$here/stub_crypto.c"
	compile "$dir/$ssl" "$ssl" "$flavor" "$src/$name-ssl.c" "$here/stub_ssl.c" "$dir/$crypto"
}

build ossl3 ossl3 libssl.so.3 libcrypto.so.3
build ossl111 ossl111 libssl.so.1.1 libcrypto.so.1.1
build ossl102 ossl102 libssl.so.1.0.0 libcrypto.so.1.0.0
build libressl libressl libssl.so.55 libcrypto.so.52
build fork fork libssl.so.1.1 libcrypto.so.1.1
build ossl110 ossl110 libssl.so.1.1 libcrypto.so.1.1
# shellcheck disable=SC2086 # one argument per omitted name
build missing3 ossl3 libssl.so.3 libcrypto.so.3 $omit

mkdir -p "$out/fallback" "$out/mismatch"
cp "$out/missing3/libssl.so.3" "$out/missing3/libcrypto.so.3" \
    "$out/ossl111/libssl.so.1.1" "$out/ossl111/libcrypto.so.1.1" "$out/fallback/"
cp "$out/ossl3/libssl.so.3" "$out/ossl3/libcrypto.so.3" "$out/mismatch/"
compile "$out/mismatch/libcrypto-other.so.3" libcrypto-other.so.3 ossl3 \
    "$src/ossl3-crypto.c" "$here/stub_crypto.c"
