#!/bin/sh
# dlssl x509 and dlssl check-host on the test PKI, against what
# openssl x509 prints for the same files.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need openssl date

# field KEY: the value of "KEY: value" lines in $work/out.
field() { sed -n "s/^$1: *//p" "$work/out"; }
# utc "Nov 27 05:22:17 2026 GMT": as dlssl x509 prints dates.
utc() { date -u -d "$1" '+%Y-%m-%d %H:%M:%S UTC'; }

for f in localhost.crt localhost.der wildcard.crt client.crt ecdsa.crt future2060.crt; do
	[ -f "$PKI/$f" ] || continue
	inform=PEM
	case $f in *.der) inform=DER ;; esac
	check "x509 $f" 0 "$DLSSL" x509 "$PKI/$f" || continue
	for d in sha256 sha1; do
		want=$(openssl x509 -inform "$inform" -in "$PKI/$f" -noout -fingerprint -"$d" | sed 's/.*=//')
		got=$(field "$d")
		[ -n "$want" ] && [ "$got" = "$want" ] && ok "$f $d fingerprint" ||
		    fail "$f $d fingerprint: got '$got', openssl says '$want'"
	done
	want=$(utc "$(openssl x509 -inform "$inform" -in "$PKI/$f" -noout -startdate | sed 's/.*=//')")
	got=$(field not-before)
	[ "$got" = "$want" ] && ok "$f not-before $got" ||
	    fail "$f not-before: got '$got', openssl says '$want'"
	want=$(utc "$(openssl x509 -inform "$inform" -in "$PKI/$f" -noout -enddate | sed 's/.*=//')")
	got=$(field not-after)
	[ "$got" = "$want" ] && ok "$f not-after $got" ||
	    fail "$f not-after: got '$got', openssl says '$want'"
	want=$(openssl x509 -inform "$inform" -in "$PKI/$f" -noout -subject -nameopt RFC2253,-esc_msb | sed 's/^subject=//')
	got=$(field subject)
	[ "$got" = "$want" ] && ok "$f subject $got" || fail "$f subject: got '$got', openssl says '$want'"
	want=$(openssl x509 -inform "$inform" -in "$PKI/$f" -noout -issuer -nameopt RFC2253,-esc_msb | sed 's/^issuer=//')
	got=$(field issuer)
	[ "$got" = "$want" ] && ok "$f issuer" || fail "$f issuer: got '$got', openssl says '$want'"
done

check "x509 localhost.crt again" 0 "$DLSSL" x509 "$PKI/localhost.crt"
contains "the DNS SAN is listed" "$work/out" '^dns: +localhost$'
contains "the IPv4 SAN is listed" "$work/out" '^ip: +127\.0\.0\.1$'
contains "the IPv6 SAN is listed" "$work/out" '^ip: +::1$'
contains "the CN is listed" "$work/out" '^cn: +localhost$'
check "x509 of the first certificate of a chain file" 0 "$DLSSL" x509 "$PKI/localhost-chain.pem"
contains "the chain's leaf is shown" "$work/out" '^subject: +CN=localhost$'
check "x509 of a missing file" 1 "$DLSSL" x509 "$work/missing.pem"
contains "the missing file is named" "$work/err" 'missing\.pem'
check "x509 of a key, not a certificate" 1 "$DLSSL" x509 "$PKI/localhost.key"
check "x509 without a file" 1 "$DLSSL" x509

check "check-host localhost" 0 "$DLSSL" check-host "$PKI/localhost.crt" localhost
check "check-host LOCALHOST. (case, trailing dot)" 0 "$DLSSL" check-host "$PKI/localhost.crt" LOCALHOST.
check "check-host 127.0.0.1" 0 "$DLSSL" check-host "$PKI/localhost.crt" 127.0.0.1
check "check-host ::1" 0 "$DLSSL" check-host "$PKI/localhost.crt" ::1
check "check-host other.example" 3 "$DLSSL" check-host "$PKI/localhost.crt" other.example
contains "a mismatch names the certificate's subject" "$work/err" 'CN=localhost.*does not match other\.example'
check "check-host 127.0.0.2" 3 "$DLSSL" check-host "$PKI/localhost.crt" 127.0.0.2
check "check-host: the wronghost certificate for localhost" 3 \
    "$DLSSL" check-host "$PKI/wronghost.crt" localhost
if [ -f "$PKI/wildcard.crt" ]; then
	name=$(openssl x509 -in "$PKI/wildcard.crt" -noout -ext subjectAltName |
	    sed -n 's/.*DNS:\*\.\([^,]*\).*/\1/p' | head -n 1)
	if [ -n "$name" ]; then
		check "check-host: a wildcard covers one label (a.$name)" 0 \
		    "$DLSSL" check-host "$PKI/wildcard.crt" "a.$name"
		check "check-host: a wildcard does not cover two labels (a.b.$name)" 3 \
		    "$DLSSL" check-host "$PKI/wildcard.crt" "a.b.$name"
	fi
fi
check "check-host with an invalid name" 1 "$DLSSL" check-host "$PKI/localhost.crt" 'bad..name'
check "check-host with a missing certificate" 1 "$DLSSL" check-host "$work/missing.pem" localhost
check "check-host with one argument" 1 "$DLSSL" check-host "$PKI/localhost.crt"
finish
