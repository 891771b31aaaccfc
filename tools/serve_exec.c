/* dlssl serve --exec CMD: one command per connection, on its stdin/stdout. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "net.h"
#include "relay.h"
#include "serve.h"

static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

void
serve_fd_lock(void)
{
	pthread_mutex_lock(&fd_lock);
}

void
serve_fd_unlock(void)
{
	pthread_mutex_unlock(&fd_lock);
}

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
		fprintf(stderr, "dlssl serve: cannot start '%s': %s\n", command, strerror(errno));
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
