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
