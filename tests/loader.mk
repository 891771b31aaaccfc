# tests/loader.mk: the loader's tests (DESIGN.md "The loader", "Tests").
#
#   tests/gen_manifest        prints C generated from src/ossl/manifest.h:
#                             stub libraries, and the header check
#   tests/headercheck         manifest prototypes and decls.h constants
#                             against the installed OpenSSL headers, at
#                             compile time (only when configure found them;
#                             never linked with libssl)
#   tests/stubs/out/          stub libssl/libcrypto pairs posing as other
#                             versions, one directory per scenario
#                             (tests/stubs/build-stubs.sh)
#   tests/check_loader        in process: the real library, its report,
#                             reload, stale tables; fresh processes through
#                             tests/hostprobe: threads, retry after failure
#   tests/check_loader_env    the environment, options and modes, through
#                             tools/dlssl info --json and tests/hostprobe
#   tests/check_loader_stubs  each stub flavor accepted or refused
#
# The suites honour the caller's DLSSL_LIBSSL/DLSSL_LIBCRYPTO for the tests
# about "the real library"; the stub tests set their own.

check_PROGRAMS += tests/gen_manifest
tests_gen_manifest_SOURCES = tests/gen_manifest.c

EXTRA_DIST += \
	tests/stubs/build-stubs.sh \
	tests/stubs/stub.h \
	tests/stubs/stub_crypto.c \
	tests/stubs/stub_ex_index.h \
	tests/stubs/stub_ssl.c

if HAVE_OPENSSL_HEADERS
check_PROGRAMS += tests/headercheck
TESTS += tests/headercheck
nodist_tests_headercheck_SOURCES = tests/headercheck.c
tests_headercheck_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_headercheck_CFLAGS = $(AM_CFLAGS) -Wno-deprecated-declarations
CLEANFILES += tests/headercheck.c tests/headercheck.c-t

tests/headercheck.c: tests/gen_manifest$(EXEEXT) $(srcdir)/src/ossl/decls.h
	$(AM_V_GEN)$(MKDIR_P) tests && \
	tests/gen_manifest$(EXEEXT) headercheck $(srcdir)/src/ossl/decls.h >$@-t && mv $@-t $@
endif

if HAVE_CHECK
if DLSSL_ELF
check_PROGRAMS += \
	tests/hostprobe \
	tests/check_loader \
	tests/check_loader_env \
	tests/check_loader_stubs
TESTS += \
	tests/check_loader \
	tests/check_loader_env \
	tests/check_loader_stubs
check_DATA += tests/stubs/out/stamp

LOADER_TESTS_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/tests/stubs \
	-DLC_BUILDDIR='"$(abs_top_builddir)"'
LOADER_TESTS_COMMON = tests/loader_common.c tests/loader_common.h tests/stubs/stub.h

# A fresh process for the tests: linked with the library's code, not libssl.
tests_hostprobe_SOURCES = tests/hostprobe.c
tests_hostprobe_LDADD = libdlssl_core.la

# White-box: the static core, so it can reach dlssl__ossl_check_current().
tests_check_loader_SOURCES = tests/check_loader.c $(LOADER_TESTS_COMMON)
tests_check_loader_CPPFLAGS = $(LOADER_TESTS_CPPFLAGS)
tests_check_loader_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_loader_LDADD = libdlssl_core.la $(CHECK_LIBS)

tests_check_loader_env_SOURCES = tests/check_loader_env.c $(LOADER_TESTS_COMMON)
tests_check_loader_env_CPPFLAGS = $(LOADER_TESTS_CPPFLAGS)
tests_check_loader_env_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_loader_env_LDADD = $(CHECK_LIBS)

tests_check_loader_stubs_SOURCES = tests/check_loader_stubs.c $(LOADER_TESTS_COMMON)
tests_check_loader_stubs_CPPFLAGS = $(LOADER_TESTS_CPPFLAGS)
tests_check_loader_stubs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_loader_stubs_LDADD = $(CHECK_LIBS)

# The stubs are built without the project's CFLAGS (no sanitizers: they
# are loaded into instrumented and plain processes alike).
tests/stubs/out/stamp: tests/gen_manifest$(EXEEXT) $(srcdir)/tests/stubs/build-stubs.sh \
		$(srcdir)/tests/stubs/stub.h $(srcdir)/tests/stubs/stub_crypto.c \
		$(srcdir)/tests/stubs/stub_ex_index.h \
		$(srcdir)/tests/stubs/stub_ssl.c
	$(AM_V_GEN)CC='$(CC)' $(SHELL) $(srcdir)/tests/stubs/build-stubs.sh \
	    '$(top_srcdir)' tests/gen_manifest$(EXEEXT) tests/stubs/out && touch $@
# Every file build-stubs.sh makes is one level under out/.
CLEANFILES += tests/stubs/out/stamp tests/stubs/out/*/*
endif
endif
