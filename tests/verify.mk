# Verification that cannot be bypassed (issue 12).
#
#   tests/check_resume          resumption never skips a check: dlssl client
#                               and server, TLS 1.2 and 1.3, both roles
#   tests/check_resume_openssl  the same against openssl s_server / s_client
#   tests/check_verify_api      host name required, check_host's results,
#                               certificate/key pairing, getters and errors,
#                               contexts that outlive dlssl_reload(), ex_data
if HAVE_CHECK
check_PROGRAMS += tests/check_resume tests/check_resume_openssl tests/check_verify_api
TESTS += tests/check_resume tests/check_resume_openssl tests/check_verify_api
tests_check_resume_SOURCES = tests/check_resume.c tests/tls_test.c tests/tls_test.h
tests_check_resume_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_resume_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_resume_LDADD = $(API_TEST_LIBS)
tests_check_resume_openssl_SOURCES = tests/check_resume_openssl.c $(HARD_INTEROP)
tests_check_resume_openssl_CPPFLAGS = $(HARD_TEST_CPPFLAGS)
tests_check_resume_openssl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_resume_openssl_LDADD = $(HARD_TEST_LIBS)
tests_check_verify_api_SOURCES = tests/check_verify_api.c tests/tls_test.c tests/tls_test.h
tests_check_verify_api_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_verify_api_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_verify_api_LDADD = $(API_TEST_LIBS)
endif
