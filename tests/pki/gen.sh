#!/bin/sh
#
# Regenerate the test PKI: keys, certificates and expected.txt.
#
#   cd tests/pki && ./gen.sh          everything
#   cd tests/pki && ./gen.sh policy   only policy/ (signed by the committed CAs)
#
# The outputs are committed; running this again makes new keys, so every
# certificate and every value in expected.txt changes together.  Tests read
# expected values from expected.txt, never from constants of their own.
# See README for the scenarios.  Needs the openssl(1) of OpenSSL 3.0+, GNU
# date(1) and od(1).
#
set -eu

cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

export OPENSSL_CONF="$tmp/openssl.cnf"
# 50 years: the committed fixtures must outlive the project.
DAYS=18262

cat >"$OPENSSL_CONF" <<'EOF'
[req]
distinguished_name = req_dn
string_mask = utf8only
prompt = no
[req_dn]
CN = unused

[ca]
default_ca = test_ca
[test_ca]
database = $ENV::DLSSL_PKI_TMP/index.txt
new_certs_dir = $ENV::DLSSL_PKI_TMP
serial = $ENV::DLSSL_PKI_TMP/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[policy_any]
commonName = optional
organizationName = optional

[root_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[intermediate_ext]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::DLSSL_PKI_SAN
[server_nosan_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[selfsigned_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::DLSSL_PKI_SAN
[empty_ext]
subjectKeyIdentifier = hash
# policy/: CAs and leaves that break one rule each.
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[notca_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[nobc_ext]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[nocertsign_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[clienteku_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::DLSSL_PKI_SAN
[certsignku_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::DLSSL_PKI_SAN
EOF
export DLSSL_PKI_TMP="$tmp"
export DLSSL_PKI_SAN="DNS:unused"
: >"$tmp/index.txt"
echo 1000 >"$tmp/serial"

LOCAL_SAN="DNS:localhost,IP:127.0.0.1,IP:::1"

rsa_key() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
}

# ca_sign OUT KEY SUBJECT SIGNER EXT [ca options...]
ca_sign() {
	out=$1 key=$2 subj=$3 signer=$4 ext=$5
	shift 5
	openssl req -new -key "$key" -subj "$subj" -out "$tmp/req.pem"
	openssl ca -batch -notext -preserveDN -rand_serial \
	    -cert "$signer.crt" -keyfile "$signer.key" -extensions "$ext" \
	    -in "$tmp/req.pem" -out "$out" "$@" 2>"$tmp/ca.log" || { cat "$tmp/ca.log" >&2; exit 1; }
}

# leaf NAME SUBJECT SAN SIGNER EXT [ca options...]: NAME.key, NAME.crt
leaf() {
	name=$1 subj=$2 san=$3 signer=$4 ext=$5
	shift 5
	[ -f "$name.key" ] || rsa_key "$name.key"
	DLSSL_PKI_SAN=$san ca_sign "$name.crt" "$name.key" "$subj" "$signer" "$ext" "$@"
}

# ---- policy/: chains that dlssl itself must refuse on every library ------
#
# Signed by the committed root and intermediate, so `./gen.sh policy` adds
# or renews them without touching anything else.  See README.
gen_policy() {
	mkdir -p policy
	rm -f policy/*
	# Keys and signatures below security level 2.
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out policy/rsa1024.key 2>/dev/null
	leaf policy/rsa1024 "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext -days $DAYS
	leaf policy/sha1 "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext -days $DAYS -md sha1
	# An issuer that is no CA, one without basicConstraints, one without keyCertSign.
	for ca in notca nobc nocertsign; do
		rsa_key policy/$ca-ca.key
		ca_sign policy/$ca-ca.crt policy/$ca-ca.key "/O=dlssl tests/CN=dlssl $ca CA" \
		    root-ca ${ca}_ext -days $DAYS
		leaf policy/$ca-leaf "/CN=localhost" "$LOCAL_SAN" policy/$ca-ca server_ext -days $DAYS
		cat policy/$ca-leaf.crt policy/$ca-ca.crt >policy/$ca-chain.pem
	done
	# The intermediate has pathlen:0: a CA under it breaks the constraint.
	rsa_key policy/sub-ca.key
	ca_sign policy/sub-ca.crt policy/sub-ca.key "/O=dlssl tests/CN=dlssl sub CA" \
	    intermediate-ca ca_ext -days $DAYS
	leaf policy/pathlen "/CN=localhost" "$LOCAL_SAN" policy/sub-ca server_ext -days $DAYS
	cat policy/pathlen.crt policy/sub-ca.crt intermediate-ca.crt >policy/pathlen-chain.pem
	# A CA with no path length limit, and two intermediates under the root: depth 2.
	rsa_key policy/deep1-ca.key
	ca_sign policy/deep1-ca.crt policy/deep1-ca.key "/O=dlssl tests/CN=dlssl deep CA 1" \
	    root-ca ca_ext -days $DAYS
	rsa_key policy/deep2-ca.key
	ca_sign policy/deep2-ca.crt policy/deep2-ca.key "/O=dlssl tests/CN=dlssl deep CA 2" \
	    policy/deep1-ca ca_ext -days $DAYS
	leaf policy/deep "/CN=localhost" "$LOCAL_SAN" policy/deep2-ca server_ext -days $DAYS
	cat policy/deep.crt policy/deep2-ca.crt policy/deep1-ca.crt >policy/deep-chain.pem
	# Leaves whose purpose is not TLS server authentication.
	leaf policy/clienteku "/CN=localhost" "$LOCAL_SAN" intermediate-ca clienteku_ext -days $DAYS
	leaf policy/certsignku "/CN=localhost" "$LOCAL_SAN" intermediate-ca certsignku_ext -days $DAYS
	for c in rsa1024 sha1 clienteku certsignku; do
		cat policy/$c.crt intermediate-ca.crt >policy/$c-chain.pem
	done
	# A DH group below security level 2, for a server's ephemeral key (check_policy_peer.c).
	openssl dhparam -out policy/dh1024.pem 1024 2>/dev/null
	rm -f policy/*.pem.attr
}

case "${1:-}" in
"" | policy) ;;
*) echo "usage: gen.sh [policy]" >&2; exit 1 ;;
esac
if [ "${1:-}" = policy ]; then
	gen_policy
	echo "gen.sh: policy/ done"
	exit 0
fi

# ---- Roots and the intermediate ------------------------------------------
rm -f ./*.crt ./*.key ./*.pem ./*.der cn/* clplus/* expected.txt
mkdir -p cn clplus

rsa_key root-ca.key
openssl req -x509 -new -key root-ca.key -subj "/O=dlssl tests/CN=dlssl Test Root CA" \
    -days $DAYS -extensions root_ext -out root-ca.crt
rsa_key rogue-root-ca.key
openssl req -x509 -new -key rogue-root-ca.key \
    -subj "/O=dlssl rogue/CN=dlssl Untrusted Root CA" \
    -days $DAYS -extensions root_ext -out rogue-root-ca.crt
rsa_key intermediate-ca.key
ca_sign intermediate-ca.crt intermediate-ca.key \
    "/O=dlssl tests/CN=dlssl Test Intermediate CA" root-ca intermediate_ext -days $DAYS

# ---- Server, client and failure scenarios ----------------------------------
leaf localhost "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext -days $DAYS
cat localhost.crt intermediate-ca.crt >localhost-chain.pem
cp localhost.crt localhost-incomplete-chain.pem
openssl x509 -in localhost.crt -outform DER -out localhost.der
openssl pkey -in localhost.key -outform DER -out localhost-key.der
openssl pkey -in localhost.key -aes256 -passout pass:dlssl-test -out localhost-key-enc.pem
openssl rsa -in localhost.key -aes256 -traditional -passout pass:dlssl-test \
    -out localhost-key-enc-trad.pem 2>/dev/null

leaf wronghost "/CN=other.example" "DNS:other.example" intermediate-ca server_ext -days $DAYS
cat wronghost.crt intermediate-ca.crt >wronghost-chain.pem

leaf expired "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext \
    -startdate 20200101000000Z -enddate 20200102000000Z
cat expired.crt intermediate-ca.crt >expired-chain.pem

leaf notyetvalid "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext \
    -startdate 20700101000000Z -enddate 20750101000000Z
cat notyetvalid.crt intermediate-ca.crt >notyetvalid-chain.pem

leaf future2060 "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext \
    -startdate 20250101000000Z -enddate 20600101000000Z

rsa_key selfsigned.key
DLSSL_PKI_SAN=$LOCAL_SAN openssl req -x509 -new -key selfsigned.key -subj "/CN=localhost" \
    -days $DAYS -extensions selfsigned_ext -out selfsigned.crt

leaf untrusted "/CN=localhost" "$LOCAL_SAN" rogue-root-ca server_ext -days $DAYS

leaf client "/O=dlssl tests/CN=dlssl test client" "DNS:unused" intermediate-ca client_ext -days $DAYS
cat client.crt intermediate-ca.crt >client-chain.pem

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -pkeyopt ec_param_enc:named_curve -out ecdsa.key
leaf ecdsa "/CN=localhost" "$LOCAL_SAN" intermediate-ca server_ext -days $DAYS
cat ecdsa.crt intermediate-ca.crt >ecdsa-chain.pem

leaf wildcard "/CN=*.example.com" "DNS:*.example.com" intermediate-ca server_ext -days $DAYS
cat wildcard.crt intermediate-ca.crt >wildcard-chain.pem

leaf cn-only "/CN=localhost" "" intermediate-ca server_nosan_ext -days $DAYS
leaf cn-only-wildcard "/CN=*.example.com" "" intermediate-ca server_nosan_ext -days $DAYS

# Several CNs, in two RDNs and in one multi-valued RDN, and no SAN.
multi_subj=$(printf '/CN=first.example/O=dlssl tests+CN=second.example/CN=Gr\303\274\303\237e')
openssl req -new -key cn-only.key -utf8 -subj "$multi_subj" -out "$tmp/req.pem"
openssl ca -batch -notext -preserveDN -rand_serial -utf8 \
    -cert intermediate-ca.crt -keyfile intermediate-ca.key -extensions server_nosan_ext \
    -days $DAYS -in "$tmp/req.pem" -out multi-cn.crt 2>"$tmp/ca.log" ||
    { cat "$tmp/ca.log" >&2; exit 1; }

# Names that the one-line form got wrong: ',' '+' '=' '/' '"' '<' '>' ';' '\', a
# leading '#', leading and trailing spaces, UTF-8, a multi-valued RDN.
tricky_subj=$(printf '%s' '/C=DE/ST=#hash start/L= spaced /O=Comma, Inc.+OU=a\+b=c/OU=quote "q" <a>;b\\back/CN=x\/y=z '; printf '\303\274nic\303\266de')
openssl req -new -key cn-only.key -utf8 -subj "$tricky_subj" -out "$tmp/req.pem"
openssl ca -batch -notext -preserveDN -rand_serial -utf8 \
    -cert intermediate-ca.crt -keyfile intermediate-ca.key -extensions server_nosan_ext \
    -days $DAYS -in "$tmp/req.pem" -out tricky-dn.crt 2>"$tmp/ca.log" ||
    { cat "$tmp/ca.log" >&2; exit 1; }

# A client certificate from the untrusted root.
leaf rogue-client "/O=dlssl rogue/CN=dlssl rogue client" "DNS:unused" rogue-root-ca client_ext -days $DAYS

# ---- Hand-built certificates (openssl asn1parse -genconf) ------------------
#
# Certificates whose subject CN uses a given ASN.1 string type, holds
# invalid bytes, or whose dates are pinned, are assembled field by field and
# signed by the root CA, so `openssl verify -CAfile root-ca.crt` accepts the
# well-formed ones.

rsa_key asn1-leaf.key
leafpub=$(openssl rsa -in asn1-leaf.key -RSAPublicKey_out -outform DER 2>/dev/null |
    od -An -v -tx1 | tr -d ' \n')

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
bmp() { hex "$1" | sed 's/\(..\)/00\1/g'; }
ucs4() { hex "$1" | sed 's/\(..\)/000000\1/g'; }

cat >"$tmp/common.cnf" <<EOF
[sigalg]
oid = OID:sha256WithRSAEncryption
null = NULL
[spki]
alg = SEQUENCE:spki_alg
key = FORMAT:HEX,BITSTRING:$leafpub
[spki_alg]
oid = OID:rsaEncryption
null = NULL
[root_name]
o = SET:root_o
cn = SET:root_cn
[root_o]
atv = SEQUENCE:root_o_atv
[root_o_atv]
type = OID:organizationName
value = UTF8String:dlssl tests
[root_cn]
atv = SEQUENCE:root_cn_atv
[root_cn_atv]
type = OID:commonName
value = UTF8String:dlssl Test Root CA
[subject]
cn = SET:subject_cn
[subject_cn]
atv = SEQUENCE:subject_cn_atv
EOF

serial=4096
cn_tag=

# Give the CN value (OID 2.5.4.3 followed by an OCTET STRING) tag $cn_tag.
patch_cn_tag() {
	[ -n "$cn_tag" ] || return 0
	perl -0777 -pi -e "s/\\x06\\x03\\x55\\x04\\x03\\x04/\\x06\\x03\\x55\\x04\\x03\\x$(printf %02x "$cn_tag")/" "$1"
}
# asn1_cert OUT.der: the sections [validity], [subject_cn_atv] and, if
# given, [exts] come on standard input.
asn1_cert() {
	out=$1
	serial=$((serial + 1))
	cat >"$tmp/body.cnf"
	if grep -q '^\[exts\]' "$tmp/body.cnf"; then
		exts="exts = EXPLICIT:3C,SEQUENCE:exts"
	else
		exts=""
	fi
	{
		printf '[tbs]\nversion = EXPLICIT:0C,INTEGER:2\nserial = INTEGER:%d\n' $serial
		printf 'sigalg = SEQUENCE:sigalg\nissuer = SEQUENCE:root_name\n'
		printf 'validity = SEQUENCE:validity\nsubject = SEQUENCE:subject\n'
		printf 'spki = SEQUENCE:spki\n%s\n' "$exts"
		cat "$tmp/common.cnf" "$tmp/body.cnf"
	} >"$tmp/parts.cnf"
	{ echo "asn1 = SEQUENCE:tbs"; cat "$tmp/parts.cnf"; } >"$tmp/tbs.cnf"
	openssl asn1parse -genconf "$tmp/tbs.cnf" -noout -out "$tmp/tbs.der"
	patch_cn_tag "$tmp/tbs.der"
	openssl dgst -sha256 -sign root-ca.key -out "$tmp/sig.bin" "$tmp/tbs.der"
	sig=$(od -An -v -tx1 "$tmp/sig.bin" | tr -d ' \n')
	{
		echo "asn1 = SEQUENCE:cert"
		printf '[cert]\ntbs = SEQUENCE:tbs\nalg = SEQUENCE:sigalg\n'
		printf 'sig = FORMAT:HEX,BITSTRING:%s\n' "$sig"
		cat "$tmp/parts.cnf"
	} >"$tmp/cert.cnf"
	openssl asn1parse -genconf "$tmp/cert.cnf" -noout -out "$out"
	patch_cn_tag "$out"
}

# cn_cert OUT.der TAG HEX: a CN of universal type TAG with these bytes.
# openssl refuses to generate some invalid strings (an odd-length
# BMPString), so the value is generated as an OCTET STRING and its tag byte
# is patched before signing.
cn_cert() {
	if [ -n "$3" ]; then v="FORMAT:HEX,OCTETSTRING:$3"; else v="OCTETSTRING:"; fi
	cn_tag=$2
	asn1_cert "$1" <<EOF
[validity]
nb = UTCTIME:250101000000Z
na = GENTIME:20750101000000Z
[subject_cn_atv]
type = OID:commonName
value = $v
EOF
	cn_tag=
}

# Well-formed string types.  "google.co.uk" and "*.google.co.uk" as in
# CL+SSL's fixtures; the others carry non-ASCII characters.
cn_cert cn/utf8.der 12 "$(hex 'www.example.com')"
cn_cert cn/utf8-nonascii.der 12 "4772c3bcc39f65f09f9492"   # Grüße🔒
cn_cert cn/printable.der 19 "$(hex '*.google.co.uk')"
cn_cert cn/teletex.der 20 "$(hex '*.google.co.uk')"
cn_cert cn/teletex-latin1.der 20 "4772fcdf65"              # Grüße in Latin-1
cn_cert cn/ia5.der 22 "$(hex 'www.example.com')"
cn_cert cn/bmp.der 30 "$(bmp 'google.co.uk')"
cn_cert cn/bmp-nonascii.der 30 "0047007200fc00df0065"     # Grüße
cn_cert cn/universal.der 28 "$(ucs4 'google.co.uk')"
cn_cert cn/universal-nonbmp.der 28 "000000470001f512"     # G🔒
cn_cert cn/empty.der 12 ""
# Invalid strings: CN decoding must fail (or, where OpenSSL itself
# refuses the name, loading must fail).
cn_cert cn/bad-bmp-odd.der 30 "0067006f00"
cn_cert cn/bad-bmp-surrogate.der 30 "0067d83dde12"
cn_cert cn/bad-bmp-nul.der 30 "006700000068"
cn_cert cn/bad-universal-range.der 28 "0000006700110000"
cn_cert cn/bad-universal-len.der 28 "000000670000"
cn_cert cn/bad-universal-surrogate.der 28 "0000d800"
cn_cert cn/bad-utf8-overlong.der 12 "61c0af62"
cn_cert cn/bad-utf8-truncated.der 12 "61e282"
cn_cert cn/bad-utf8-surrogate.der 12 "eda080"
cn_cert cn/bad-utf8-nul.der 12 "610062"
cn_cert cn/bad-printable.der 19 "2a2e676f04676c652e636f2e756b"  # *.go\x04gle.co.uk
cn_cert cn/bad-ia5-high.der 22 "61e962"
cn_cert cn/bad-teletex-nul.der 20 "610062"
cn_cert cn/bad-type-numeric.der 18 "3132"

# Subject alternative names that are odd or malformed.
asn1_cert weird-san.der <<EOF
[validity]
nb = UTCTIME:250101000000Z
na = GENTIME:20750101000000Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:localhost
[exts]
san = SEQUENCE:san_ext
[san_ext]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:san_names
[san_names]
nul = IMPLICIT:2C,FORMAT:HEX,OCTETSTRING:$(hex localhost)00$(hex .evil.example)
nonascii = IMPLICIT:2C,FORMAT:HEX,OCTETSTRING:6ce9$(hex .example)
empty = IMPLICIT:2C,OCTETSTRING:
ok = IMPLICIT:2C,IA5STRING:good.example
ip5 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:7f00000101
ip4 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:0a000001
ip6 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:20010db8000000000000000000000001
mapped = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:00000000000000000000ffffc0000201
email = IMPLICIT:1C,IA5STRING:someone@example.com
uri = IMPLICIT:6C,IA5STRING:https://uri.example/
EOF

asn1_cert dup-san.der <<EOF
[validity]
nb = UTCTIME:250101000000Z
na = GENTIME:20750101000000Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:localhost
[exts]
san1 = SEQUENCE:san_ext1
san2 = SEQUENCE:san_ext2
[san_ext1]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:san_names1
[san_names1]
a = IMPLICIT:2C,IA5STRING:localhost
[san_ext2]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:san_names2
[san_names2]
a = IMPLICIT:2C,IA5STRING:evil.example
EOF

asn1_cert bad-san.der <<EOF
[validity]
nb = UTCTIME:250101000000Z
na = GENTIME:20750101000000Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:localhost
[exts]
san = SEQUENCE:san_ext
[san_ext]
oid = OID:subjectAltName
value = FORMAT:HEX,OCTETSTRING:3005820374
EOF

# Only iPAddress SANs: a DNS name may still fall back to the CN.
asn1_cert ip-only-san.der <<EOF
[validity]
nb = UTCTIME:250101000000Z
na = GENTIME:20750101000000Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:localhost
[exts]
san = SEQUENCE:san_ext
[san_ext]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:san_names
[san_names]
ip4 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:7f000001
EOF

# ---- Equivalents of CL+SSL's test/certs (reference section 2.2) ----------
#
# Same names, subjects, SANs and dates as CL+SSL's files, signed by our root
# instead of Google's CAs ("google_printable!.der" is google_printable_bad.der).

google_cert() {
	out=$1 cntag=$2 cnhex=$3 sanlist=$4
	if [ -n "$sanlist" ]; then
		ext=$(printf '[exts]\nsan = SEQUENCE:san_ext\n[san_ext]\noid = OID:subjectAltName\nvalue = OCTWRAP,SEQUENCE:san_names\n[san_names]\n')
		i=0
		for n in $sanlist; do
			i=$((i + 1))
			ext=$(printf '%s\nn%d = IMPLICIT:2C,IA5STRING:%s' "$ext" $i "$n")
		done
	else
		ext=""
	fi
	asn1_cert "$out" <<EOF
[validity]
nb = UTCTIME:150227194806Z
na = UTCTIME:150528000000Z
[subject_cn_atv]
type = OID:commonName
value = IMPLICIT:${cntag}U,FORMAT:HEX,OCTETSTRING:$cnhex
$ext
EOF
}

google_cert clplus/google.der 12 "$(hex google.com)" \
    "google.com *.google.com *.android.com *.fr.doubleclick.net *.appengine.google.com youtube.com *.youtube.com android.com g.co"
google_cert clplus/google_wildcard.der 12 "$(hex '*.google.co.uk')" "*.google.co.uk"
google_cert clplus/google_nodns.der 12 "$(hex '*.google.co.uk')" ""
google_cert clplus/google_printable.der 19 "$(hex '*.google.co.uk')" ""
google_cert clplus/google_printable_bad.der 19 "2a2e676f04676c652e636f2e756b" ""
google_cert clplus/google_teletex.der 20 "$(hex '*.google.co.uk')" ""
google_cert clplus/google_bmp.der 30 "$(bmp google.co.uk)" ""
google_cert clplus/google_universal.der 28 "$(ucs4 google.co.uk)" ""

asn1_cert clplus/localhost.der <<EOF
[validity]
nb = UTCTIME:181211000000Z
na = UTCTIME:481211000000Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:localhost
[exts]
san = SEQUENCE:san_ext
[san_ext]
oid = OID:subjectAltName
value = OCTWRAP,SEQUENCE:san_names
[san_names]
dns = IMPLICIT:2C,IA5STRING:localhost
ip4 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:7f000001
ip6 = IMPLICIT:7C,FORMAT:HEX,OCTETSTRING:00000000000000000000000000000001
EOF

asn1_cert clplus/mixed-time-formats.der <<EOF
[validity]
nb = UTCTIME:211120112504Z
na = GENTIME:20711120112504Z
[subject_cn_atv]
type = OID:commonName
value = UTF8String:example.test
EOF

openssl req -x509 -newkey rsa:2048 -noenc -subj / -days 365000 -extensions empty_ext \
    -keyout clplus/client-server-private-key.pem \
    -out clplus/client-server-certificate.pem 2>/dev/null

gen_policy

# ---- Checks -----------------------------------------------------------------
for c in localhost wronghost client ecdsa wildcard cn-only cn-only-wildcard multi-cn \
    tricky-dn future2060; do
	openssl verify -CAfile root-ca.crt -untrusted intermediate-ca.crt "$c.crt" >/dev/null
done
for c in cn/utf8.der cn/bmp.der cn/universal.der cn/printable.der weird-san.der \
    clplus/localhost.der clplus/google.der; do
	openssl x509 -inform DER -in "$c" -out "$tmp/c.pem"
	openssl verify -CAfile root-ca.crt -no_check_time "$tmp/c.pem" >/dev/null
done

# ---- Expected values ----------------------------------------------------------
#
# One line per fact: FILE KEY VALUE, as openssl(1) reports it.  Subjects and
# issuers in RFC 4514 form (`-nameopt RFC2253,-esc_msb`), as dlssl prints them.
unix_time() { date -u -d "$1" +%s; }

expect() {
	f=$1
	case $f in *.der) form=DER ;; *) form=PEM ;; esac
	x() { openssl x509 -inform $form -in "$f" -noout "$@"; }
	for md in sha256 sha1 md5; do
		printf '%s %s %s\n' "$f" $md "$(x -fingerprint -$md | sed 's/^.*=//')"
	done
	printf '%s subject %s\n' "$f" "$(x -subject -nameopt RFC2253,-esc_msb | sed 's/^subject=//')"
	printf '%s issuer %s\n' "$f" "$(x -issuer -nameopt RFC2253,-esc_msb | sed 's/^issuer=//')"
	printf '%s not_before %s\n' "$f" "$(unix_time "$(x -startdate | sed 's/^notBefore=//')")"
	printf '%s not_after %s\n' "$f" "$(unix_time "$(x -enddate | sed 's/^notAfter=//')")"
}

{
	echo "# Generated by gen.sh with $(openssl version | cut -d' ' -f1-2).  FILE KEY VALUE."
	for f in *.crt *.der clplus/*.der clplus/*.pem cn/*.der; do
		case $f in *-key.der | clplus/*-key.pem) continue ;; esac
		openssl x509 -inform DER -in "$f" -noout 2>/dev/null ||
		    openssl x509 -in "$f" -noout 2>/dev/null || {
			echo "$f loads no"
			continue
		}
		expect "$f"
	done
} >expected.txt

echo "gen.sh: done"
