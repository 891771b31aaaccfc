# tests/win32.mk: the Windows build, exercised under wine (issue 7).
#
#   make check-win32   cross-build libdlssl, the dlssl program (tools/) and the
#                      Windows tests for $(WIN32_HOST) with mingw-w64 from a
#                      `make distdir` copy in $(WIN32_DIR)/src (configured
#                      and built in $(WIN32_DIR)/build, never in this tree),
#                      build stub OpenSSL DLLs from the manifest with the
#                      native tests/gen_manifest, and run under wine64, with
#                      a private WINEPREFIX in $(WIN32_DIR):
#
#   tests/win32/check_win32      the Windows loader (src/ossl/dl_win32.c):
#                                stub DLLs posing as OpenSSL 3, 1.1.1 and
#                                1.0.2 found by name in the application
#                                directory, then on PATH (never the current
#                                directory), by DLSSL_LIBSSL/DLSSL_LIBCRYPTO/
#                                DLSSL_LIBDIR in every Windows path form,
#                                refused with the full list of missing
#                                symbols, a mismatched libcrypto refused,
#                                host mode and its reference on the DLL
#                                (tests/win32/hostload), through
#                                `dlssl.exe info --json` and `dlssl.exe random`
#   tests/win32/check_tools      the dlssl program itself (tools/dlssl.exe):
#                                --help and every command's help, usage
#                                errors, Windows --libssl paths, what is
#                                refused on Windows (bench, --transport
#                                file), x509/check-host as far as the stubs
#                                read certificates (not at all), demo as far
#                                as its CA file, and serve, connect, get and
#                                serve --exec (cmd.exe) end to end over
#                                loopback through the mock OpenSSL
#   tests/win32/check_transport  the transport layer over Winsock: fd
#                                (SOCKET), callback and FILE transports,
#                                timeouts, non-blocking sockets, EOF and
#                                reset, through a pass-through mock OpenSSL
#                                (tests/win32/mock.h)
#   tests/win32/check_real       the real OpenSSL DLLs ($(WIN32_OSSL_DLLS)):
#                                verified TLS over Winsock with timeouts,
#                                client certificates, a verification
#                                failure, 1 MiB writes with a write timeout
#                                and on a socket that goes non-blocking
#                                midway, Winsock errors, reloads
#   tests/win32/real.sh          dlssl.exe with the real DLLs next to it, on
#                                PATH, by DLSSL_LIBSSL/DLSSL_LIBDIR/--libssl
#                                (non-ASCII paths too), never from the
#                                current directory; demo; serve and connect
#                                with each other and with the Linux openssl
#                                s_server/s_client; exit 3 on a verification
#                                failure; host mode keeping a freed DLL
#
# The build is the plain `configure --host=$(WIN32_HOST) && make` (the build
# machine's libssl-dev and Check must be ignored; run.sh checks configure's
# summary).
# Needs x86_64-w64-mingw32-gcc and wine64 (Debian: gcc-mingw-w64-x86-64,
# wine64); .ci/run installs them.  Check is not built for mingw: the tests
# use a minimal TAP runner (tests/win32/wintest.[ch]) with the same logic as
# the Check suites.  tests/win32/run.sh does the work; see it for WINE and
# WIN32_CONFIGURE_FLAGS.  Override WIN32_HOST or WIN32_DIR here.
#
# On Windows, `dlssl bench` and `--transport file` are refused with a
# message (see man/dlssl.1, CAVEATS); `serve --exec` runs the command with
# cmd.exe.

WIN32_HOST = x86_64-w64-mingw32
WIN32_DIR = $(abs_top_builddir)/win32
# The real OpenSSL DLLs for Windows x64 (libssl-3-x64.dll, libcrypto-3-x64.dll)
# for tests/win32/check_real and tests/win32/real.sh; without them those are
# skipped, saying so (and fail under CI=true).
WIN32_OSSL_DLLS = $(abs_top_srcdir)/../shared/ossl/windows-x64-3.5.7/bin

# The dlssl program's Windows shims (Winsock on an int, a pthread subset on
# Windows threads, a socket fed from a console or pipe): empty elsewhere.
tools_dlssl_SOURCES += tools/compat_win.c tools/compat_win.h

EXTRA_DIST += \
	tests/win32/build-stubs.sh \
	tests/win32/mock.h \
	tests/win32/mock_crypto.c \
	tests/win32/mock_ssl.c \
	tests/win32/real.sh \
	tests/win32/run.sh \
	tests/win32/stub_ssl.c

check-win32: tests/gen_manifest$(EXEEXT) distdir
	@rm -rf "$(WIN32_DIR)/src" && $(MKDIR_P) "$(WIN32_DIR)" && \
	mv "$(distdir)" "$(WIN32_DIR)/src" && \
	WIN32_HOST='$(WIN32_HOST)' MAKE='$(MAKE)' WIN32_OSSL_DLLS='$(WIN32_OSSL_DLLS)' $(SHELL) "$(WIN32_DIR)/src/tests/win32/run.sh" \
	    "$(WIN32_DIR)/src" "$(WIN32_DIR)" "$(abs_top_builddir)/tests/gen_manifest$(EXEEXT)"

# Stop the prefix's wineserver (if any is left), then remove everything.
clean-win32:
	-@if test -d "$(WIN32_DIR)/wineprefix"; then \
	  for w in wineserver /usr/lib/wine/wineserver; do \
	    if command -v $$w >/dev/null 2>&1; then \
	      WINEPREFIX="$(WIN32_DIR)/wineprefix" $$w -k 2>/dev/null; break; \
	    fi; \
	  done; \
	fi; true
	-rm -rf "$(WIN32_DIR)"

.PHONY: check-win32 clean-win32

# The Windows programs, built only in a mingw-w64 build (run.sh asks for them).
if DLSSL_WINDOWS
WIN32_TESTS_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/stubs -I$(top_srcdir)/tests/win32

check_PROGRAMS += \
	tests/win32/check_win32 \
	tests/win32/check_transport \
	tests/win32/check_tools \
	tests/win32/check_real \
	tests/win32/hostload

tests_win32_check_win32_SOURCES = tests/win32/check_win32.c tests/win32/wintest.c \
	tests/win32/wintest.h
tests_win32_check_win32_CPPFLAGS = $(WIN32_TESTS_CPPFLAGS)

tests_win32_check_transport_SOURCES = tests/win32/check_transport.c tests/win32/wintest.c \
	tests/win32/wintest.h tests/win32/wtnet.c tests/win32/wtnet.h
tests_win32_check_transport_CPPFLAGS = $(WIN32_TESTS_CPPFLAGS)
tests_win32_check_transport_LDADD = libdlssl.la

tests_win32_check_real_SOURCES = tests/win32/check_real.c tests/win32/wintest.c \
	tests/win32/wintest.h tests/win32/wtnet.c tests/win32/wtnet.h
tests_win32_check_real_CPPFLAGS = $(WIN32_TESTS_CPPFLAGS)
tests_win32_check_real_LDADD = libdlssl.la

tests_win32_check_tools_SOURCES = tests/win32/check_tools.c tests/win32/wintest.c \
	tests/win32/wintest.h
tests_win32_check_tools_CPPFLAGS = $(WIN32_TESTS_CPPFLAGS)

tests_win32_hostload_SOURCES = tests/win32/hostload.c tools/json.c
tests_win32_hostload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
tests_win32_hostload_LDADD = libdlssl.la
endif
