/*
 * The dlssl program (tools/) built for Windows, under wine: dlssl.exe's
 * commands, their help and usage errors, what is refused on Windows, and
 * the network commands end to end over loopback.
 *
 * No real OpenSSL DLL exists here, so what needs cryptography is tested
 * only as far as the stubs go:
 *   - x509 and check-host run against the ossl3 stubs, which read no
 *     certificate: the command must reach dlssl_x509_load_file and report
 *     that cleanly (exit 1), not what a real libcrypto would print;
 *   - serve and connect run against the mock pass-through "TLS" of
 *     tests/win32/mock.h (which takes any PEM certificate and key, and
 *     verifies nothing: connect uses --verify none).  What runs for real is
 *     the program's side: Winsock through tools/compat_win.h, listen and
 *     accept, connect (refused, with and without --timeout), the relay
 *     from stdin (a pipe, read by a thread into a loopback socket),
 *     binary stdout, the fd and io transports, serve's threads and
 *     --max-clients, and serve --exec through cmd.exe;
 *   - get runs against serve --http, through the mock too;
 *   - demo needs a CA file the stubs cannot load: it is run only as far as
 *     that (its temporary file must be gone afterwards).
 *
 * Layout (made by `make check-win32`, tests/win32/run.sh):
 *   T\bin\    this program, dlssl.exe, libdlssl-0.dll
 *   T\stubs\  the stub scenarios (ossl3 and mock are used here)
 *   T\pki\    localhost.crt and localhost.key from tests/pki
 *
 * `check_tools.exe --line` is the command serve --exec runs: it copies one
 * line from stdin to stdout as "got LINE", says so on stderr, and exits.
 */
#include "config.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stub.h"
#include "wintest.h"

#define SERVE_WAIT_MS 30000
/* How long `check_tools.exe --sleep` sleeps: far longer than a session. */
#define SLEEP_MS 30000

static const char *bin, *top, *ossl3, *mock, *crt, *key;

static const char *
dlssl_exe(void)
{
	return wt_join(bin, "dlssl.exe");
}

static int
run(struct wt_run *r, const char *const *args)
{
	return wt_run(r, dlssl_exe(), args, NULL, NULL);
}

/* A loopback port nothing listens on (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sin;
	int len = sizeof(sin), port = -1;
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	if (s == INVALID_SOCKET)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	closesocket(s);
	return port;
}

/*
 * Start `dlssl.exe serve --once|... ARGS` with the mock on port 0 and wait
 * for "listening on 127.0.0.1:PORT": the port, or -1 (r holds why).
 */
static int
serve_start(struct wt_proc *p, struct wt_run *r, const char *const *extra)
{
	const char *args[32];
	const char *at;
	size_t n = 0, i;

	args[n++] = "serve";
	args[n++] = "--libssl";
	args[n++] = mock;
	args[n++] = "--cert";
	args[n++] = crt;
	args[n++] = "--key";
	args[n++] = key;
	args[n++] = "--port";
	args[n++] = "0";
	for (i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	if (wt_start(p, r, dlssl_exe(), args, NULL, NULL) < 0)
		return -1;
	if (!wt_wait_err(p, "listening on 127.0.0.1:", SERVE_WAIT_MS)) {
		wt_finish(p, 0);
		return -1;
	}
	at = strstr(r->err, "listening on 127.0.0.1:");
	return atoi(at + strlen("listening on 127.0.0.1:"));
}

/* `dlssl.exe connect 127.0.0.1:PORT --libssl mock --verify none ARGS...` (NULL: none). */
#define connect_args(port, ...) \
	WT_LIST("connect", wt_str("127.0.0.1:%d", (port)), "--libssl", mock, "--verify", "none", \
	    __VA_ARGS__)

/* ---- help, usage errors, what Windows refuses ---- */

WT_TEST(help)
{
	static const char *const cmds[] = {
		"info", "demo", "connect", "serve", "get", "check-host", "x509", "random", "bench"
	};
	struct wt_run r;
	size_t i;

	run(&r, WT_LIST("--help"));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(r.out, "usage: dlssl <command> [options]"), "%s", wt_desc(&r));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		WT_CHECK(wt_contains(r.out, wt_str("\n  %s ", cmds[i])), "no %s in %s", cmds[i], r.out);
	run(&r, WT_LIST("--version"));
	WT_CHECK(r.status == 0 && wt_contains(r.out, "dlssl " PACKAGE_VERSION), "%s", wt_desc(&r));
	run(&r, NULL);
	WT_CHECK(r.status == 1 && wt_contains(r.err, "usage: dlssl"), "%s", wt_desc(&r));
	run(&r, WT_LIST("frobnicate"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "unknown command 'frobnicate'"), "%s",
	    wt_desc(&r));
}

WT_TEST(command_help)
{
	static const char *const cmds[] = {
		"info", "demo", "connect", "serve", "get", "check-host", "x509", "random", "bench"
	};
	struct wt_run r;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(&r, WT_LIST(cmds[i], "--help"));
		WT_CHECK(r.status == 0, "%s: %s", cmds[i], wt_desc(&r));
		WT_CHECK(wt_contains(r.out, wt_str("usage: dlssl %s", cmds[i])), "%s: %s", cmds[i],
		    wt_desc(&r));
	}
	/* What is different on Windows is said. */
	run(&r, WT_LIST("serve", "--help"));
	WT_CHECK(wt_contains(r.out, "%COMSPEC% /d /s /c \"CMD\" (cmd.exe)"), "%s", r.out);
	run(&r, WT_LIST("connect", "--help"));
	WT_CHECK(wt_contains(r.out, "--transport fd|io ") && !wt_contains(r.out, "|file"), "%s",
	    r.out);
	run(&r, WT_LIST("bench", "--help"));
	WT_CHECK(wt_contains(r.out, "Not available on Windows"), "%s", r.out);
}

WT_TEST(usage_errors)
{
	struct wt_run r;

	run(&r, WT_LIST("check-host", crt));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "usage: dlssl check-host"), "%s", wt_desc(&r));
	run(&r, WT_LIST("x509"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "usage: dlssl x509"), "%s", wt_desc(&r));
	run(&r, WT_LIST("connect"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "usage: dlssl connect"), "%s", wt_desc(&r));
	run(&r, WT_LIST("connect", "no-port-here"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "is not HOST:PORT"), "%s", wt_desc(&r));
	run(&r, WT_LIST("get", "http://example.invalid/"));
	WT_CHECK(r.status == 1, "%s", wt_desc(&r));
	run(&r, WT_LIST("serve", "--port", "70000"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "--port takes 0 to 65535"), "%s", wt_desc(&r));
	run(&r, WT_LIST("serve", "--exec", "x", "--http"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "exclude each other"), "%s", wt_desc(&r));
}

/* --libssl takes a Windows absolute path (C:\, C:/, \\server); others are refused. */
WT_TEST(libssl_paths)
{
	struct wt_run r;
	char *fwd = strdup(ossl3), *p;

	WT_CHECK(fwd != NULL, "strdup");
	for (p = fwd; *p; p++)
		if (*p == '\\')
			*p = '/';
	run(&r, WT_LIST("connect", "127.0.0.1:1", "--libssl", "libssl-3-x64.dll"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "needs an absolute path"), "%s", wt_desc(&r));
	run(&r, WT_LIST("x509", "--libssl", "stubs\\ossl3\\libssl-3-x64.dll", crt));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "needs an absolute path"), "%s", wt_desc(&r));
	run(&r, WT_LIST("x509", "--libssl", "Z:relative.dll", crt));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "needs an absolute path"), "%s", wt_desc(&r));
	/* An absolute path, either slash: accepted (the stubs then read no certificate). */
	run(&r, WT_LIST("x509", "--libssl", ossl3, crt));
	WT_CHECK(r.status == 1 && !wt_contains(r.err, "absolute path") &&
	    wt_contains(r.err, "no PEM certificate could be read"), "%s", wt_desc(&r));
	run(&r, WT_LIST("x509", "--libssl", fwd, crt));
	free(fwd);
	WT_CHECK(r.status == 1 && !wt_contains(r.err, "absolute path") &&
	    wt_contains(r.err, "no PEM certificate could be read"), "%s", wt_desc(&r));
}

WT_TEST(refused_on_windows)
{
	struct wt_run r;

	run(&r, WT_LIST("bench"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "dlssl bench: not available on Windows"), "%s",
	    wt_desc(&r));
	run(&r, WT_LIST("bench", "--child", "bulk"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "not available on Windows"), "%s", wt_desc(&r));
	run(&r, WT_LIST("connect", "127.0.0.1:1", "--transport", "file"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "--transport file is not available on Windows"),
	    "%s", wt_desc(&r));
	run(&r, WT_LIST("demo", "--transport", "file"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "--transport file is not available on Windows"),
	    "%s", wt_desc(&r));
}

/* x509 and check-host reach the library, which reports what the stubs cannot read. */
WT_TEST(x509_with_stubs)
{
	struct wt_run r;
	const char *missing = wt_join(top, "pki\\no-such.crt");

	run(&r, WT_LIST("x509", "--libssl", ossl3, crt));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "dlssl: x509: ") && wt_contains(r.err, crt) &&
	    wt_contains(r.err, "no PEM certificate could be read"), "%s", wt_desc(&r));
	run(&r, WT_LIST("x509", "--libssl", ossl3, missing));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "cannot open") &&
	    wt_contains(r.err, "No such file or directory"), "%s", wt_desc(&r));
	run(&r, WT_LIST("check-host", "--libssl", ossl3, crt, "localhost"));
	WT_CHECK(r.status == 1 && wt_contains(r.err, "dlssl: check-host: ") &&
	    wt_contains(r.err, "no PEM certificate could be read"), "%s", wt_desc(&r));
	/* No libssl at all: exit 2. */
	run(&r, WT_LIST("x509", "--libssl", wt_join(top, "stubs\\none\\libssl-3-x64.dll"), crt));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
}

WT_TEST(info_and_random)
{
	struct wt_run r;

	run(&r, WT_LIST("info", "--json", "--libssl", ossl3));
	WT_CHECK(r.status == 0 && wt_streq(wt_json(r.out, "libssl"), ossl3), "%s", wt_desc(&r));
	wt_run(&r, dlssl_exe(), WT_LIST("random", "3"), NULL,
	    WT_LIST(wt_str("DLSSL_LIBSSL=%s", ossl3)));
	WT_CHECK(r.status == 0 && wt_contains(r.out, wt_str("%02x%02x%02x", STUB_OSSL3_BYTE,
	    STUB_OSSL3_BYTE, STUB_OSSL3_BYTE)), "%s", wt_desc(&r));
}

/* ---- the network commands ---- */

WT_TEST(connect_refused)
{
	struct wt_run r;
	int port = closed_port();

	WT_CHECK(port > 0, "no free port (error %d)", WSAGetLastError());
	run(&r, connect_args(port, NULL));
	WT_CHECK(r.status == 4 && wt_contains(r.err, wt_str("cannot connect to 127.0.0.1:%d: "
	    "Connection refused", port)), "%s", wt_desc(&r));
	/* With a timeout: a non-blocking connect, waited for with select. */
	run(&r, connect_args(port, "--timeout", "20"));
	WT_CHECK(r.status == 4 && wt_contains(r.err, "Connection refused"), "%s", wt_desc(&r));
	run(&r, connect_args(port, "--transport", "io"));
	WT_CHECK(r.status == 4 && wt_contains(r.err, "Connection refused"), "%s", wt_desc(&r));
}

/* serve --once echoes; connect sends stdin and prints the echo, bytes unchanged. */
static void
echo_over(const char *transport)
{
	static const char text[] = "ping\nline two\r\nno newline at the end";
	struct wt_proc sp;
	struct wt_run sr, r;
	int port;

	port = serve_start(&sp, &sr, WT_LIST("--once", "--verbose", "--transport", transport));
	WT_CHECK(port > 0, "serve: %s", wt_desc(&sr));
	wt_set_stdin(text, 2000);
	run(&r, connect_args(port, "--close-on-eof", "--transport", transport));
	wt_finish(&sp, SERVE_WAIT_MS);
	WT_CHECK(r.status == 0, "connect: %s", wt_desc(&r));
	WT_CHECK_STR(r.out, text);
	WT_CHECK(sr.status == 0, "serve: %s", wt_desc(&sr));
	WT_CHECK(wt_contains(sr.err, "dlssl serve: 127.0.0.1:"), "serve: %s", wt_desc(&sr));
}

WT_TEST(serve_connect_fd)
{
	echo_over("fd");
}

WT_TEST(serve_connect_io)
{
	echo_over("io");
}

/* Without --once: a thread per connection, two clients at once. */
WT_TEST(serve_two_clients)
{
	struct wt_proc sp, c1, c2;
	struct wt_run sr, r1, r2;
	int port;

	port = serve_start(&sp, &sr, WT_LIST("--max-clients", "2"));
	WT_CHECK(port > 0, "serve: %s", wt_desc(&sr));
	wt_set_stdin("first\n", 3000);
	WT_CHECK(wt_start(&c1, &r1, dlssl_exe(), connect_args(port, "--close-on-eof"),
	    NULL, NULL) == 0, "%s", wt_desc(&r1));
	wt_set_stdin("second\n", 3000);
	WT_CHECK(wt_start(&c2, &r2, dlssl_exe(), connect_args(port, "--close-on-eof"),
	    NULL, NULL) == 0, "%s", wt_desc(&r2));
	wt_finish(&c1, SERVE_WAIT_MS);
	wt_finish(&c2, SERVE_WAIT_MS);
	/* The server runs until stopped. */
	WT_CHECK(wt_finish(&sp, 0) == -2, "serve ended by itself: %s", wt_desc(&sr));
	WT_CHECK(r1.status == 0 && wt_streq(r1.out, "first\n"), "first: %s", wt_desc(&r1));
	WT_CHECK(r2.status == 0 && wt_streq(r2.out, "second\n"), "second: %s", wt_desc(&r2));
}

/* serve --http answers; get prints the body, bytes unchanged. */
WT_TEST(serve_http_get)
{
	struct wt_proc sp;
	struct wt_run sr, r;
	int port;

	port = serve_start(&sp, &sr, WT_LIST("--once", "--http"));
	WT_CHECK(port > 0, "serve: %s", wt_desc(&sr));
	run(&r, WT_LIST("get", wt_str("https://127.0.0.1:%d/index.html", port), "--libssl", mock,
	    "--verify", "none", "--verbose"));
	wt_finish(&sp, SERVE_WAIT_MS);
	WT_CHECK(r.status == 0, "get: %s", wt_desc(&r));
	WT_CHECK_STR(r.out, "hello from dlssl serve\n");
	WT_CHECK(wt_contains(r.err, "dlssl get: HTTP/1.1 200 OK"), "get: %s", wt_desc(&r));
	WT_CHECK(sr.status == 0, "serve: %s", wt_desc(&sr));
}

/*
 * demo writes its CA to a temporary file in %TMP%, which the stubs cannot
 * load: it fails there (exit 4), and leaves no file behind.
 */
WT_TEST(demo_temp_file)
{
	WIN32_FIND_DATAW fd;
	HANDLE h;
	struct wt_run r;
	const char *tmp = wt_join(top, "work\\demo-tmp"), *left = NULL;
	wchar_t pattern[1024];

	WT_CHECK(wt_mkdir(tmp) == 0, "mkdir %s", tmp);
	wt_run(&r, dlssl_exe(), WT_LIST("demo", "--libssl", mock, "--mib", "0"), NULL,
	    WT_LIST(wt_str("TMP=%s", tmp)));
	WT_CHECK(r.status == 4 && wt_contains(r.err, wt_str("%s\\dlssl-demo-ca.", tmp)), "%s",
	    wt_desc(&r));
	WT_CHECK(MultiByteToWideChar(CP_UTF8, 0, wt_str("%s\\*.*", tmp), -1, pattern, 1024) > 0,
	    "path");
	if ((h = FindFirstFileW(pattern, &fd)) != INVALID_HANDLE_VALUE) {
		do {
			if (fd.cFileName[0] != L'.' && left == NULL)
				left = wt_from_wide(fd.cFileName);
		} while (FindNextFileW(h, &fd));
		FindClose(h);
	}
	WT_CHECK(left == NULL, "left behind in %s: %s", tmp, left);
}

/*
 * serve --exec runs `check_tools.exe --line` through cmd.exe, the connection
 * on its stdin and stdout and the server's stderr as its own; its end of
 * output ends the session.
 */
WT_TEST(serve_exec)
{
	struct wt_proc sp;
	struct wt_run sr, r;
	int port;

	port = serve_start(&sp, &sr, WT_LIST("--once", "--exec",
	    wt_str("\"%s\" --line", wt_join(bin, "check_tools.exe"))));
	WT_CHECK(port > 0, "serve: %s", wt_desc(&sr));
	wt_set_stdin("hello exec\n", 5000);
	run(&r, connect_args(port, NULL));
	wt_finish(&sp, SERVE_WAIT_MS);
	WT_CHECK(r.status == 0, "connect: %s", wt_desc(&r));
	WT_CHECK_STR(r.out, "got hello exec\n");
	WT_CHECK(sr.status == 0, "serve: %s", wt_desc(&sr));
	WT_CHECK(wt_contains(sr.err, "check_tools --line: one line copied"), "serve: %s", wt_desc(&sr));
}

/*
 * A command that neither reads nor ends: the peer's close ends the session
 * and the command, cmd.exe and what it started (check_tools.exe --sleep,
 * which holds the server's stderr: were it left running, the server's
 * stderr would stay open until it ends).
 */
WT_TEST(serve_exec_peer_closes)
{
	struct wt_proc sp;
	struct wt_run sr, r;
	DWORD t0;
	int port;

	port = serve_start(&sp, &sr, WT_LIST("--once", "--exec",
	    wt_str("\"%s\" --sleep", wt_join(bin, "check_tools.exe"))));
	WT_CHECK(port > 0, "serve: %s", wt_desc(&sr));
	wt_set_stdin("ignored\n", 1000);
	run(&r, connect_args(port, "--close-on-eof"));
	t0 = GetTickCount();
	WT_CHECK(wt_finish(&sp, SERVE_WAIT_MS) == 0, "serve: %s", wt_desc(&sr));
	/* (wt_finish gives up on the stderr pipe after 10 s) */
	WT_CHECK(GetTickCount() - t0 < 8000, "the command outlived the session (%lu ms)",
	    (unsigned long)(GetTickCount() - t0));
	WT_CHECK(r.status == 0, "connect: %s", wt_desc(&r));
}

static const struct wt_test tests[] = {
	WT_ENTRY(help),
	WT_ENTRY(command_help),
	WT_ENTRY(usage_errors),
	WT_ENTRY(libssl_paths),
	WT_ENTRY(refused_on_windows),
	WT_ENTRY(x509_with_stubs),
	WT_ENTRY(info_and_random),
	WT_ENTRY(demo_temp_file),
	WT_ENTRY(connect_refused),
	WT_ENTRY(serve_connect_fd),
	WT_ENTRY(serve_connect_io),
	WT_ENTRY(serve_two_clients),
	WT_ENTRY(serve_http_get),
	WT_ENTRY(serve_exec),
	WT_ENTRY(serve_exec_peer_closes),
};

/* --line: what serve --exec runs (see the top of this file). */
static int
copy_line(void)
{
	char line[256];

	_setmode(_fileno(stdout), _O_BINARY);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	line[strcspn(line, "\r\n")] = '\0';
	printf("got %s\n", line);
	fflush(stdout);
	fprintf(stderr, "check_tools --line: one line copied\n");
	return 0;
}

int
main(int argc, char **argv)
{
	WSADATA wsa;
	char *t, *s;

	if (argc == 2 && strcmp(argv[1], "--line") == 0)
		return copy_line();
	if (argc == 2 && strcmp(argv[1], "--sleep") == 0) {
		Sleep(SLEEP_MS);
		return 0;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return 99;
	bin = wt_bindir();
	if ((t = strdup(bin)) == NULL || (s = strrchr(t, '\\')) == NULL)
		return 99;
	*s = '\0';
	top = t;
	ossl3 = strdup(wt_join(top, "stubs\\ossl3\\libssl-3-x64.dll"));
	mock = strdup(wt_join(top, "stubs\\mock\\libssl-3-x64.dll"));
	crt = strdup(wt_join(top, "pki\\localhost.crt"));
	key = strdup(wt_join(top, "pki\\localhost.key"));
	if (ossl3 == NULL || mock == NULL || crt == NULL || key == NULL)
		return 99;
	if (!wt_exists(ossl3) || !wt_exists(mock) || !wt_exists(crt) ||
	    !wt_exists(wt_join(bin, "dlssl.exe"))) {
		fprintf(stderr, "check_tools: expected %s\\stubs, %s\\pki and %s\\dlssl.exe "
		    "(make check-win32)\n", top, top, bin);
		return 99;
	}
	return wt_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
