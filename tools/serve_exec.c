/*
 * dlssl serve --exec CMD: one command per connection, on its stdin/stdout:
 * /bin/sh -c CMD, or on Windows %COMSPEC% /d /s /c "CMD" (cmd.exe).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifndef _WIN32
#include <signal.h>
#include <sys/wait.h>
#endif

#include "cli.h"
#include "net.h"
#include "relay.h"
#include "serve.h"

static cli_mutex_t fd_lock = CLI_MUTEX_INITIALIZER;

void
serve_fd_lock(void)
{
	cli_mutex_lock(&fd_lock);
}

void
serve_fd_unlock(void)
{
	cli_mutex_unlock(&fd_lock);
}

#ifdef _WIN32
/*
 * The command line for cmd.exe: /d (no AutoRun commands, as sh -c reads no
 * rc file), /s /c "CMD" (exactly the outer quotes are removed, whatever CMD
 * holds).  A malloc'd UTF-16 string, or NULL.
 */
static wchar_t *
shell_line(const char *command, wchar_t **shell)
{
	const char *comspec = cli_getenv("COMSPEC");
	size_t n = strlen(command) + 32;
	char *line = malloc(n);
	wchar_t *w = NULL;

	*shell = NULL;
	if (comspec == NULL || comspec[0] == '\0')
		comspec = "C:\\Windows\\System32\\cmd.exe";
	if (line != NULL) {
		snprintf(line, n, "cmd /d /s /c \"%s\"", command);
		w = cli_win_wide(line);
		*shell = cli_win_wide(comspec);
		free(line);
	}
	if (w == NULL || *shell == NULL) {
		free(w);
		free(*shell);
		*shell = NULL;
		return NULL;
	}
	return w;
}

/* The command: cmd.exe, and a job holding it and whatever it starts (NULL if none). */
struct child {
	HANDLE proc, job;
};

/*
 * Start the command with the ends of two pipes as its stdin and stdout
 * (and our stderr): *to_child and *from_child are our ends, as C runtime
 * fds.  The child inherits those three handles only (a handle list where
 * Windows has one; and the fd lock, as fork on POSIX, keeps another
 * connection's command from inheriting these pipes).  It starts in a job,
 * so that ending it ends what cmd.exe started too (sh -c execs a simple
 * command; cmd.exe never does).  0, or -1 (message printed).
 */
static int
spawn(const char *command, int *to_child, int *from_child, struct child *c)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL, err = NULL, list[3];
	HANDLE self = GetCurrentProcess(), proc = NULL;
	STARTUPINFOEXW si;
	PROCESS_INFORMATION pi;
	LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
	SIZE_T size = 0;
	DWORD flags = CREATE_NO_WINDOW | CREATE_SUSPENDED, nlist = 0, gle = 0;
	wchar_t *shell = NULL, *line = shell_line(command, &shell);
	int ok;

	memset(&si, 0, sizeof(si));
	si.StartupInfo.cb = sizeof(si.StartupInfo);
	serve_fd_lock();
	if (line == NULL || !CreatePipe(&in_r, &in_w, &sa, 0) || !CreatePipe(&out_r, &out_w, &sa, 0) ||
	    !SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0) ||
	    !SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0)) {
		gle = GetLastError();
		goto fail;
	}
	/* Our stderr, as an inheritable copy: the child's stderr (none if we have none). */
	if (!DuplicateHandle(self, GetStdHandle(STD_ERROR_HANDLE), self, &err, 0, TRUE,
	    DUPLICATE_SAME_ACCESS))
		err = NULL;
	list[nlist++] = in_r;
	list[nlist++] = out_w;
	if (err != NULL)
		list[nlist++] = err;
	si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
	si.StartupInfo.hStdInput = in_r;
	si.StartupInfo.hStdOutput = out_w;
	si.StartupInfo.hStdError = err;
	(void)InitializeProcThreadAttributeList(NULL, 1, 0, &size);
	if (size > 0 && (attrs = malloc(size)) != NULL &&
	    InitializeProcThreadAttributeList(attrs, 1, 0, &size)) {
		if (UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list,
		    nlist * sizeof(HANDLE), NULL, NULL)) {
			si.StartupInfo.cb = sizeof(si);
			si.lpAttributeList = attrs;
			flags |= EXTENDED_STARTUPINFO_PRESENT;
		}
	} else {
		free(attrs);
		attrs = NULL;
	}
	ok = CreateProcessW(shell, line, NULL, NULL, TRUE, flags, NULL, NULL, &si.StartupInfo, &pi);
	gle = GetLastError();
	if (attrs != NULL) {
		DeleteProcThreadAttributeList(attrs);
		free(attrs);
	}
	if (!ok)
		goto fail;
	proc = pi.hProcess;
	/* No job (an older Windows may refuse a nested one): only cmd.exe is ended. */
	if ((c->job = CreateJobObjectW(NULL, NULL)) != NULL &&
	    !AssignProcessToJobObject(c->job, proc)) {
		CloseHandle(c->job);
		c->job = NULL;
	}
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	CloseHandle(in_r);
	CloseHandle(out_w);
	if (err != NULL)
		CloseHandle(err);
	in_r = out_w = err = NULL;
	serve_fd_unlock();
	*to_child = _open_osfhandle((intptr_t)in_w, _O_WRONLY | _O_BINARY);
	*from_child = _open_osfhandle((intptr_t)out_r, _O_RDONLY | _O_BINARY);
	if (*to_child < 0 || *from_child < 0) {
		fprintf(stderr, "dlssl serve: cannot start '%s': out of file descriptors\n", command);
		if (*to_child >= 0)
			close(*to_child);
		else
			CloseHandle(in_w);
		if (*from_child >= 0)
			close(*from_child);
		else
			CloseHandle(out_r);
		if (c->job != NULL)
			TerminateJobObject(c->job, 1);
		TerminateProcess(proc, 1);
		CloseHandle(proc);
		if (c->job != NULL)
			CloseHandle(c->job);
		proc = NULL;
	}
	free(line);
	free(shell);
	c->proc = proc;
	return proc != NULL ? 0 : -1;
fail:
	serve_fd_unlock();
	fprintf(stderr, "dlssl serve: cannot start '%s': Windows error %lu\n", command,
	    (unsigned long)gle);
	if (in_r != NULL)
		CloseHandle(in_r);
	if (in_w != NULL)
		CloseHandle(in_w);
	if (out_r != NULL)
		CloseHandle(out_r);
	if (out_w != NULL)
		CloseHandle(out_w);
	if (err != NULL)
		CloseHandle(err);
	free(line);
	free(shell);
	return -1;
}

int
serve_exec(const char *command, struct dlssl_stream *s, struct cli_link *l, int idle_ms)
{
	struct cli_relay r;
	int to_child, from_child, rc;
	struct child c = { NULL, NULL };

	if (spawn(command, &to_child, &from_child, &c) < 0)
		return EXIT_TLS;
	memset(&r, 0, sizeof(r));
	r.cmd = "serve";
	r.in_fd = from_child;
	r.out_fd = to_child;
	r.in_eof_ends = 1;
	r.idle_ms = idle_ms;
	r.quiet_out_errors = 1;
	rc = cli_relay(&r, s, l);
	if (r.out_fd >= 0)
		close(r.out_fd);
	close(from_child);
	/* The session is over: a command still running is not waited for. */
	if (WaitForSingleObject(c.proc, 0) == WAIT_TIMEOUT) {
		if (c.job != NULL)
			TerminateJobObject(c.job, 1);
		TerminateProcess(c.proc, 1);
		WaitForSingleObject(c.proc, INFINITE);
	}
	CloseHandle(c.proc);
	if (c.job != NULL)
		CloseHandle(c.job);
	return rc;
}
#else
static void
close2(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

/* Start the command: its stdin from *to_child, its stdout to *from_child. */
static pid_t
spawn(const char *command, int *to_child, int *from_child)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	pid_t pid = -1;

	serve_fd_lock();
	if (pipe(in) < 0 || pipe(out) < 0 || cli_cloexec(in[0]) < 0 || cli_cloexec(in[1]) < 0 ||
	    cli_cloexec(out[0]) < 0 || cli_cloexec(out[1]) < 0 || (pid = fork()) < 0) {
		serve_fd_unlock();
		fprintf(stderr, "dlssl serve: cannot start '%s': %s\n", command, cli_strerror(errno));
		close2(in);
		close2(out);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	serve_fd_unlock();
	close(in[0]);
	close(out[1]);
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

int
serve_exec(const char *command, struct dlssl_stream *s, struct cli_link *l, int idle_ms)
{
	struct cli_relay r;
	int to_child, from_child, rc, status;
	pid_t pid;

	if ((pid = spawn(command, &to_child, &from_child)) < 0)
		return EXIT_TLS;
	memset(&r, 0, sizeof(r));
	r.cmd = "serve";
	r.in_fd = from_child;
	r.out_fd = to_child;
	r.in_eof_ends = 1;
	r.idle_ms = idle_ms;
	r.quiet_out_errors = 1;
	rc = cli_relay(&r, s, l);
	if (r.out_fd >= 0)
		close(r.out_fd);
	close(from_child);
	/* The session is over: a command still running is not waited for. */
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGTERM);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			continue;
	}
	return rc;
}
#endif
