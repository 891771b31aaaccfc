# tests/build.mk: build hygiene (DESIGN.md "Shape", STYLE.md rules 12, 24).
#
#   tests/check_build.sh     no NEEDED libssl/libcrypto in the built library
#                            and program; no <openssl/...> include; no -lssl
#                            outside the optional bench/headercheck rules
#   tests/check_exports.sh   the library exports exactly src/dlssl.sym, each
#                            name declared in include/dlssl.h; nothing else
#                            leaks from the static library
#   tests/check_note         the ELF .note.dlopen note is well formed
#   tests/check_header_c89   include/dlssl.h as -std=c89 -pedantic -Werror
#   tests/check_header_cxx   include/dlssl.h as C++ (extern "C" guard)
#
# Shell tests run with $(SHELL), never under valgrind or a LOG_COMPILER
# (check-valgrind in Makefile.am overrides only LOG_COMPILER).  Other
# fragments may add extensions with TEST_EXTENSIONS +=.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)

TESTS += \
	tests/check_build.sh \
	tests/check_exports.sh \
	tests/check_note \
	tests/check_header_c89 \
	tests/check_header_cxx
EXTRA_DIST += \
	tests/check_build.sh \
	tests/check_exports.sh \
	tests/valgrind.supp

check_PROGRAMS += \
	tests/check_note \
	tests/check_header_c89 \
	tests/check_header_cxx

# Reads the built shared library; the path can be overridden with
# DLSSL_NOTE_LIB or an argument.
tests_check_note_SOURCES = tests/check_note.c
tests_check_note_CPPFLAGS = -DDLSSL_BUILT_LIB='"$(abs_top_builddir)/.libs/libdlssl.so"' \
	-I$(top_srcdir)/src

# The header tests see only include/ (as a user would) and the list of
# exported names generated from src/dlssl.sym, and link every one of them.
tests_check_header_c89_SOURCES = tests/check_header_c89.c
tests_check_header_c89_CPPFLAGS = -I$(top_srcdir)/include -I$(top_builddir)/tests
tests_check_header_c89_CFLAGS = -std=c89 -pedantic -Werror $(WARN_CFLAGS)
tests_check_header_c89_LDADD = libdlssl.la
tests_check_header_cxx_SOURCES = tests/check_header_cxx.cc
tests_check_header_cxx_CPPFLAGS = -I$(top_srcdir)/include -I$(top_builddir)/tests
tests_check_header_cxx_CXXFLAGS = -std=c++98 -pedantic -Werror -Wall -Wextra
tests_check_header_cxx_LDADD = libdlssl.la

tests/check_header_syms.h: $(srcdir)/src/dlssl.sym
	$(AM_V_GEN)$(MKDIR_P) tests && \
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$$/d' \
	    -e 's/.*/DLSSL_SYM(&)/' $(srcdir)/src/dlssl.sym > $@-t && mv $@-t $@
tests/check_header_c89-check_header_c89.$(OBJEXT): tests/check_header_syms.h
tests/check_header_cxx-check_header_cxx.$(OBJEXT): tests/check_header_syms.h
CLEANFILES += tests/check_header_syms.h tests/check_header_syms.h-t

# tests/check_layers.sh: calls go one way between the library's files
# (tests/layers.txt; issue 16); the dlssl program uses only the public
# header and symbols; no macro hides a standard function.  Part of `make
# check`; `make check-layers` runs it alone and prints every edge.
TESTS += tests/check_layers.sh
EXTRA_DIST += tests/check_layers.sh tests/layers.txt
check-layers: libdlssl_core.la tools/dlssl$(EXEEXT)
	abs_top_builddir=$(abs_top_builddir) abs_top_srcdir=$(abs_top_srcdir) \
	    $(SHELL) $(srcdir)/tests/check_layers.sh
.PHONY: check-layers
