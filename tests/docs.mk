# tests/docs.mk: what the documentation promises.
#
#   tests/check_messages    error messages name versions and alerts, and
#                           never repeat an entry of OpenSSL's error queue
#   tests/check_doc_claims  the statements of the man pages that no other
#                           test covers (end of stream, hand-back of an fd,
#                           what the FILE transport reads ahead, CA trust)
#   tests/check_readme.sh   every ```c block of README.md compiles with
#                           -std=c99 -Wall -Wextra -Werror; whole programs run
#                           on loopback
#
# (tests/check_man.sh, in tests/cli.mk, checks the man pages themselves.)
if HAVE_CHECK
check_PROGRAMS += tests/check_messages
TESTS += tests/check_messages
tests_check_messages_SOURCES = tests/check_messages.c tests/tls_test.c tests/tls_test.h
tests_check_messages_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_messages_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_messages_LDADD = $(API_TEST_LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/check_doc_claims
TESTS += tests/check_doc_claims
tests_check_doc_claims_SOURCES = tests/check_doc_claims.c tests/tls_test.c tests/tls_test.h
tests_check_doc_claims_CPPFLAGS = $(API_TEST_CPPFLAGS)
tests_check_doc_claims_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_doc_claims_LDADD = $(API_TEST_LIBS)
endif

DOCS_TESTS = tests/check_readme.sh
TESTS += $(DOCS_TESTS)
EXTRA_DIST += $(DOCS_TESTS)
# The compiler and link flags of this build, for tests/check_readme.sh.
check_DATA += tests/docs.env
CLEANFILES += tests/docs.env
tests/docs.env: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests && \
	{ echo "CC='$(CC)'"; echo "DLSSL_LIBS='$(LIBS) -lpthread'"; \
	  echo "DOCS_LDFLAGS='$(LDFLAGS)'"; } > $@
