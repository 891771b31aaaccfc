# tests/private.mk: private namespaces, reload between any two libraries,
# the restore story (issue 13).
#
#   tests/reload_linked   tests/reload_probe.c linked with the system's
#                         libssl/libcrypto: a host program with its own
#                         OpenSSL (only when configure found it)
#   tests/reload_plain    the same, not linked
#   tests/check_private   runs them: the reload chain in both directions,
#                         private and auto mode beside the host's library,
#                         namespace reuse, files replaced on disk, random
#                         bytes after fork on every library
#   tests/check_private_valgrind.sh
#                         the chain in the linked host under valgrind
#                         (skipped without valgrind)
#
# The real libraries: DLSSL_OSSL_DIR, else $(abs_top_srcdir)/../shared/ossl.

if HAVE_CHECK
if DLSSL_ELF
PRIVATE_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/tests/stubs \
	-DLC_BUILDDIR='"$(abs_top_builddir)"' -DPKI_DIR='"$(abs_top_srcdir)/tests/pki"' \
	-DOSSL_DIR='"$(abs_top_srcdir)/../shared/ossl"'

check_PROGRAMS += tests/reload_plain tests/check_private
TESTS += tests/check_private tests/check_private_valgrind.sh
EXTRA_DIST += tests/check_private_valgrind.sh

tests_reload_plain_SOURCES = tests/reload_probe.c tests/tls_test.c tests/tls_test.h
tests_reload_plain_CPPFLAGS = $(PRIVATE_CPPFLAGS)
tests_reload_plain_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_reload_plain_LDADD = libdlssl.la $(CHECK_LIBS) -lpthread

if HAVE_OPENSSL_HEADERS
check_PROGRAMS += tests/reload_linked
tests_reload_linked_SOURCES = tests/reload_probe.c tests/tls_test.c tests/tls_test.h
tests_reload_linked_CPPFLAGS = $(PRIVATE_CPPFLAGS) -DRP_LINKED
tests_reload_linked_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_reload_linked_LDADD = libdlssl.la $(CHECK_LIBS) $(OPENSSL_LIBS) -lpthread
endif

tests_check_private_SOURCES = tests/check_private.c $(LOADER_TESTS_COMMON)
tests_check_private_CPPFLAGS = $(PRIVATE_CPPFLAGS)
tests_check_private_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_private_LDADD = $(CHECK_LIBS)
endif
endif
