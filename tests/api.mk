# Contexts and streams (tests/check_stream*.c); tls_test.[ch] are shared helpers.
API_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DPKI_DIR='"$(abs_top_srcdir)/tests/pki"'
API_TEST_LIBS = libdlssl.la $(CHECK_LIBS) -lpthread

if HAVE_CHECK
check_PROGRAMS += tests/check_stream
TESTS += tests/check_stream
tests_check_stream_SOURCES = tests/check_stream.c tests/tls_test.c tests/tls_test.h tests/named_library.h
tests_check_stream_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_stream_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_stream_LDADD = $(API_TEST_LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/check_stream_io
TESTS += tests/check_stream_io
tests_check_stream_io_SOURCES = tests/check_stream_io.c tests/tls_test.c tests/tls_test.h
tests_check_stream_io_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_stream_io_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_stream_io_LDADD = $(API_TEST_LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/check_context
TESTS += tests/check_context
tests_check_context_SOURCES = tests/check_context.c tests/tls_test.c tests/tls_test.h
tests_check_context_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_context_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_context_LDADD = $(API_TEST_LIBS)
endif

# Transports against the caller's descriptors and FILEs (issue 12): links the
# library's code statically to pose as a platform whose fd mode is unknown.
if HAVE_CHECK
check_PROGRAMS += tests/check_transport
TESTS += tests/check_transport
tests_check_transport_SOURCES = tests/check_transport.c tests/tls_test.c tests/tls_test.h
tests_check_transport_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_transport_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_transport_LDADD = libdlssl_core.la $(CHECK_LIBS) -lpthread
endif

# src/transport.c's SO_NOSIGPIPE branch (macOS), compiled on this system.
check_PROGRAMS += tests/check_sigpipe_branch
TESTS += tests/check_sigpipe_branch
tests_check_sigpipe_branch_SOURCES = tests/check_sigpipe_branch.c src/transport.c
tests_check_sigpipe_branch_CPPFLAGS = $(AM_CPPFLAGS) -DDLSSL_TEST_NO_MSG_NOSIGNAL -DSO_NOSIGPIPE=0x1022
tests_check_sigpipe_branch_LDADD = libdlssl_core.la -lpthread

# PEM chains and trust lists: blocks found anywhere, broken blocks named.
if HAVE_CHECK
check_PROGRAMS += tests/check_pem
TESTS += tests/check_pem
tests_check_pem_SOURCES = tests/check_pem.c tests/tls_test.c tests/tls_test.h
tests_check_pem_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_pem_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_pem_LDADD = $(API_TEST_LIBS)
endif
