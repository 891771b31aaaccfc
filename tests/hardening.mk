# tests/hardening.mk: real peers, hostile input, faults and load (issue 6).
#
#   tests/check_interop_openssl  the library as client of `openssl s_server`
#                                and server to `openssl s_client`
#   tests/check_interop_gnutls   ... of `gnutls-serv`, to `gnutls-cli`
#   tests/check_interop_curl     the library as an HTTPS server to curl
#   tests/check_faults           peers that close, send garbage or stop
#                                reading; hostile callback transports;
#                                64 MiB each way through short reads and
#                                writes, EINTR and would-block; timeouts
#   tests/check_faults_reload    dlssl_reload while threads hold streams;
#                                a library that fails to bind (child process)
#   tests/check_load             2000 concurrent TLS connections on loopback,
#                                no fd, memory or thread left behind
#   tests/check_scale            dlssl serve (defaults) under a burst of 2000
#                                clients held at once, three rounds; fds and
#                                RSS come back.  `make check-scale`: 10,000
#                                idle connections held, the same checks
#   tests/check_defaults         secure defaults: untrusted, wrong host,
#                                TLS 1.0/1.1, weak ciphers refused
#   tests/check_policy_peer      dlssl's key floor beyond the peer's chain:
#                                per-stream certificates, the server's
#                                ephemeral DH group (s_server, s_client),
#                                alerts for records dlssl's scan refuses
#   tests/check_defaults_secure  the environment is ignored in a setuid
#                                (AT_SECURE) process (root only, else SKIP)
#   tests/check_defaults_secrets secrets dlssl allocates are wiped before
#                                free (white-box: static core, --wrap=free)
#   make fuzz                    libFuzzer targets in tests/fuzz/ (only with
#                                ./configure --enable-fuzzing; see README.md)
#
# A test whose peer program is missing exits 77 (SKIP) naming it; .ci/run
# fails on such a skip where it installed the program.
HARD_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests \
	-DPKI_DIR='"$(abs_top_srcdir)/tests/pki"' \
	-DHARD_BUILDDIR='"$(abs_top_builddir)"'
HARD_TEST_LIBS = libdlssl.la $(CHECK_LIBS) -lpthread
HARD_COMMON = tests/hard_common.c tests/hard_common.h tests/tls_test.c tests/tls_test.h
HARD_INTEROP = $(HARD_COMMON) tests/hard_interop.c tests/hard_interop.h
HARD_PIPE = $(HARD_COMMON) tests/hard_pipe.c tests/hard_pipe.h

if HAVE_CHECK
check_PROGRAMS += \
	tests/check_interop_openssl \
	tests/check_interop_gnutls \
	tests/check_interop_curl \
	tests/check_faults \
	tests/check_faults_reload \
	tests/check_load \
	tests/check_scale \
	tests/check_defaults \
	tests/check_defaults_secure \
	tests/check_defaults_secrets \
	tests/check_policy \
	tests/check_policy_peer \
	tests/hard_secure_probe
TESTS += \
	tests/check_interop_openssl \
	tests/check_interop_gnutls \
	tests/check_interop_curl \
	tests/check_faults \
	tests/check_faults_reload \
	tests/check_load \
	tests/check_scale \
	tests/check_defaults \
	tests/check_defaults_secure \
	tests/check_defaults_secrets \
	tests/check_policy \
	tests/check_policy_peer

tests_check_interop_openssl_SOURCES = tests/check_interop_openssl.c $(HARD_INTEROP)
tests_check_interop_openssl_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_interop_openssl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_interop_openssl_LDADD = $(HARD_TEST_LIBS)
tests_check_interop_gnutls_SOURCES = tests/check_interop_gnutls.c $(HARD_INTEROP)
tests_check_interop_gnutls_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_interop_gnutls_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_interop_gnutls_LDADD = $(HARD_TEST_LIBS)
tests_check_interop_curl_SOURCES = tests/check_interop_curl.c $(HARD_INTEROP)
tests_check_interop_curl_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_interop_curl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_interop_curl_LDADD = $(HARD_TEST_LIBS)

tests_check_faults_SOURCES = tests/check_faults.c $(HARD_PIPE)
tests_check_faults_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_faults_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_faults_LDADD = $(HARD_TEST_LIBS)
tests_check_faults_reload_SOURCES = tests/check_faults_reload.c $(HARD_PIPE)
tests_check_faults_reload_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_faults_reload_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_faults_reload_LDADD = $(HARD_TEST_LIBS)

tests_check_scale_SOURCES = tests/check_scale.c tools/loadgen.c tools/loadgen.h tools/evloop.c \
	tools/evloop.h $(HARD_COMMON)
tests_check_scale_CPPFLAGS = $(HARD_TEST_CPPFLAGS) -I$(top_srcdir)/tools
tests_check_scale_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_scale_LDADD = $(HARD_TEST_LIBS)

tests_check_load_SOURCES = tests/check_load.c $(HARD_PIPE)
tests_check_load_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_load_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_load_LDADD = $(HARD_TEST_LIBS)

tests_check_policy_SOURCES = tests/check_policy.c $(HARD_PIPE)
tests_check_policy_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_policy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_policy_LDADD = $(HARD_TEST_LIBS)

tests_check_policy_peer_SOURCES = tests/check_policy_peer.c $(HARD_COMMON) tests/hard_interop.c \
	tests/hard_interop.h tests/hard_pipe.c tests/hard_pipe.h
tests_check_policy_peer_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_policy_peer_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_policy_peer_LDADD = $(HARD_TEST_LIBS)

tests_check_defaults_SOURCES = tests/check_defaults.c $(HARD_PIPE)
tests_check_defaults_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_defaults_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_defaults_LDADD = $(HARD_TEST_LIBS)

# The probe is made setuid-root by the test: the library's code linked in
# statically, no libtool wrapper, no LD_LIBRARY_PATH needed.
tests_hard_secure_probe_SOURCES = tests/hard_secure_probe.c tests/hard_common.c tests/hard_common.h \
	tests/hard_pipe.c tests/hard_pipe.h
tests_hard_secure_probe_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_hard_secure_probe_CFLAGS = $(AM_CFLAGS)
tests_hard_secure_probe_LDADD = libdlssl_core.la -lpthread
tests_check_defaults_secure_SOURCES = tests/check_defaults_secure.c $(HARD_COMMON)
tests_check_defaults_secure_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_defaults_secure_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_defaults_secure_LDADD = $(HARD_TEST_LIBS)

# White-box: the static core, and every free()/realloc() of its code (and
# of this program's) through the test's wrappers.
tests_check_defaults_secrets_SOURCES = tests/check_defaults_secrets.c $(HARD_PIPE)
tests_check_defaults_secrets_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_defaults_secrets_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_defaults_secrets_LDFLAGS = -Wl,--wrap=free -Wl,--wrap=realloc
tests_check_defaults_secrets_LDADD = libdlssl_core.la $(CHECK_LIBS) -lpthread
endif

# ---- libFuzzer targets (STYLE.md rule 19) ----
#
# ./configure --enable-fuzzing (clang; every object gets ASan+UBSan and
# coverage hooks), then `make fuzz` builds them and `make fuzz-run`
# runs each for FUZZ_SECONDS on a scratch copy of its committed seed
# corpus tests/fuzz/corpus/<unit>/, failing on any crash, leak, timeout or
# sanitizer report (tests/fuzz/run.sh).  Reproduce a finding with
# `tests/fuzz/fuzz_<unit> fuzz-out/<unit>/artifacts/crash-...`.
# `make fuzz-seeds` records the stream and option seeds anew from the
# library itself (tests/fuzz/make_seeds.c).
FUZZ_TARGETS = \
	tests/fuzz/fuzz_hostname \
	tests/fuzz/fuzz_x509 \
	tests/fuzz/fuzz_client_read \
	tests/fuzz/fuzz_server_read \
	tests/fuzz/fuzz_alpn \
	tests/fuzz/fuzz_pem \
	tests/fuzz/fuzz_options
FUZZ_SECONDS = 60
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz \
	-DPKI_DIR='"$(abs_top_srcdir)/tests/pki"'
FUZZ_LIBS = libdlssl_core.la -lpthread

EXTRA_DIST += \
	tests/fuzz/fuzz_common.h \
	tests/fuzz/run.sh \
	tests/fuzz/corpus/client_read \
	tests/fuzz/corpus/server_read \
	tests/fuzz/corpus/alpn \
	tests/fuzz/corpus/pem \
	tests/fuzz/corpus/options

if ENABLE_FUZZING
EXTRA_PROGRAMS = $(FUZZ_TARGETS) tests/fuzz/make_seeds
CLEANFILES += $(FUZZ_TARGETS) tests/fuzz/make_seeds

tests_fuzz_make_seeds_SOURCES = tests/fuzz/make_seeds.c
tests_fuzz_make_seeds_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_make_seeds_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_hostname_SOURCES = tests/fuzz/fuzz_hostname.c
tests_fuzz_fuzz_hostname_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_hostname_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_hostname_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_x509_SOURCES = tests/fuzz/fuzz_x509.c
tests_fuzz_fuzz_x509_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_x509_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_x509_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_client_read_SOURCES = tests/fuzz/fuzz_client_read.c
tests_fuzz_fuzz_client_read_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_client_read_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_client_read_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_server_read_SOURCES = tests/fuzz/fuzz_server_read.c
tests_fuzz_fuzz_server_read_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_server_read_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_server_read_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_alpn_SOURCES = tests/fuzz/fuzz_alpn.c
tests_fuzz_fuzz_alpn_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_alpn_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_alpn_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_pem_SOURCES = tests/fuzz/fuzz_pem.c
tests_fuzz_fuzz_pem_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_pem_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_pem_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_options_SOURCES = tests/fuzz/fuzz_options.c
tests_fuzz_fuzz_options_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_options_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_options_LDADD = $(FUZZ_LIBS)

fuzz: $(FUZZ_TARGETS)

fuzz-run: fuzz
	$(SHELL) $(srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS) $(srcdir) $(FUZZ_TARGETS)

# Record the stream and option targets' seeds again (then commit them).
fuzz-seeds: tests/fuzz/make_seeds$(EXEEXT)
	tests/fuzz/make_seeds$(EXEEXT) $(srcdir)/tests/fuzz/corpus
else
fuzz fuzz-run fuzz-seeds:
	@echo "$@: the fuzz targets need ./configure --enable-fuzzing (clang, libclang-rt)" >&2; \
	exit 1
endif
.PHONY: fuzz fuzz-run fuzz-seeds

# make check-scale: tests/check_scale with 10,000 concurrent idle connections
# (a few minutes; also run by .ci/run).
if HAVE_CHECK
check-scale: tests/check_scale tools/dlssl
	$(AM_V_at)DLSSL_SCALE_CONNS=$${DLSSL_SCALE_CONNS:-10000} tests/check_scale; rc=$$?; \
	if test $$rc = 77; then echo "check-scale: SKIPPED (see above)" >&2; fi; exit $$rc
else
check-scale:
	@echo "check-scale needs Check (configure did not find it)"; exit 1
endif
.PHONY: check-scale
