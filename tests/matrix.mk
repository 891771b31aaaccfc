# tests/matrix.mk: the suite against every real library (issue 11).
#
#   make check-matrix   tests/matrix.sh: make check once with the system's
#                       libssl, then once per library folder under
#                       $(DLSSL_MATRIX_DIR) (default ../shared/ossl beside
#                       the source tree) and under $(DLSSL_MATRIX_EXTRA)
#                       (colon-separated folders); prints a table of
#                       library, version, programs passed/failed/skipped
#                       (also in matrix/table.md, with each row's logs).
#                       BoringSSL's row checks that it is refused.
#
# Variables (make or environment): DLSSL_MATRIX_DIR, DLSSL_MATRIX_EXTRA,
# DLSSL_MATRIX_ONLY (row labels to run), DLSSL_MATRIX_SLOW and
# DLSSL_MATRIX_SLOW_ON (programs run only on those rows),
# DLSSL_MATRIX_REQUIRE=1 (fail when the library folder is absent).
EXTRA_DIST += tests/matrix.sh

check-matrix: all
	$(MAKE) $(AM_MAKEFLAGS) $(check_LTLIBRARIES) $(check_PROGRAMS) \
	  $(check_SCRIPTS) $(check_DATA)
	MAKE='$(MAKE)' srcdir='$(abs_top_srcdir)' \
	  DLSSL_MATRIX_DIR="$${DLSSL_MATRIX_DIR:-$(abs_top_srcdir)/../shared/ossl}" \
	  $(SHELL) $(srcdir)/tests/matrix.sh

# The programs `make check` runs, one line (for tests/matrix.sh).
matrix-list-tests:
	@echo $(TESTS)

clean-local: clean-matrix
clean-matrix:
	-rm -rf matrix

.PHONY: check-matrix matrix-list-tests clean-matrix
