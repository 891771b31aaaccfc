# tests/loader.mk: the loader's tests (DESIGN.md "The loader", "Tests").
#
#   tests/gen_manifest        prints C generated from src/ossl/manifest.h:
#                             stub libraries, and the header check
#   tests/headercheck         manifest prototypes and decls.h constants
#                             against the installed OpenSSL headers, at
#                             compile time (only when configure found them;
#                             never linked with libssl)
#   tests/check_headersets.sh the same check against the headers of every
#                             build in ../shared/ossl (tests/check_headersets.sh.in)
#   tests/stubs/out/          stub libssl/libcrypto pairs posing as other
#                             versions, one directory per scenario
#                             (tests/stubs/build-stubs.sh)
#   tests/check_loader        in process: the real library, its report,
#                             reload, stale tables; fresh processes through
#                             tests/hostprobe: threads, retry after failure
#   tests/check_loader_env    the environment, options and modes, through
#                             tools/dlssl info --json and tests/hostprobe
#   tests/check_loader_stubs  how the loader identifies or refuses each version
#                             a stub poses as (identification only; that
#                             dlssl works with a version is make check-matrix)
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

# The header check against every library build's headers (../shared/ossl):
# a script that compiles tests/headercheck.c once per set.
TESTS += tests/check_headersets.sh
check_SCRIPTS = tests/check_headersets.sh
check_DATA += tests/headercheck.c
EXTRA_DIST += tests/check_headersets.sh.in
CLEANFILES += tests/check_headersets.sh tests/headercheck.c tests/headercheck.c-t
tests/check_headersets.sh: $(srcdir)/tests/check_headersets.sh.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests && sed -e 's|@CC[@]|$(CC)|g' \
	    -e 's|@CPPFLAGS[@]|$(CPPFLAGS)|g' \
	    -e 's|@abs_top_srcdir[@]|$(abs_top_srcdir)|g' \
	    -e 's|@abs_top_builddir[@]|$(abs_top_builddir)|g' \
	    $(srcdir)/tests/check_headersets.sh.in >$@-t && chmod +x $@-t && mv $@-t $@
CLEANFILES += tests/check_headersets.sh-t
tests/headercheck.c: tests/gen_manifest$(EXEEXT) $(srcdir)/src/ossl/decls.h
	$(AM_V_GEN)$(MKDIR_P) tests && \
	tests/gen_manifest$(EXEEXT) headercheck $(srcdir)/src/ossl/decls.h >$@-t && mv $@-t $@

if HAVE_OPENSSL_HEADERS
check_PROGRAMS += tests/headercheck
TESTS += tests/headercheck
nodist_tests_headercheck_SOURCES = tests/headercheck.c
tests_headercheck_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_headercheck_CFLAGS = $(AM_CFLAGS) -Wno-deprecated-declarations
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
LOADER_TESTS_COMMON = tests/loader_common.c tests/loader_common.h tests/named_library.h tests/stubs/stub.h

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
