/*
 * The system calls of the dlssl program, by names of its own, so that no
 * macro redefines a standard function and tools/ needs nothing from the
 * library's private src/compat (issue 16).  On POSIX each cli_ name is the
 * system's function of the same name without the prefix (cli_sock_close
 * is close, cli_thread_* are pthread_*).  On Windows they are
 * tools/compat_win.c's: Winsock on a SOCKET carried in an int, errno set
 * from the Winsock error, threads on Windows threads, the environment as
 * UTF-8 (see tools/compat_win.h).
 */
#ifndef DLSSL_TOOLS_SYS_H
#define DLSSL_TOOLS_SYS_H

#ifdef _WIN32
#include "compat_win.h"
#else
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define cli_socket socket
#define cli_accept accept
#define cli_connect connect
#define cli_bind bind
#define cli_listen listen
#define cli_getsockname getsockname
#define cli_getsockopt getsockopt
#define cli_setsockopt setsockopt
#define cli_shutdown shutdown
#define cli_recv recv
#define cli_send send
#define cli_poll poll
#define cli_fcntl fcntl
#define cli_sock_close close
#define cli_getenv getenv
#define cli_strerror strerror

#define cli_mutex_t pthread_mutex_t
#define cli_cond_t pthread_cond_t
#define cli_thread_t pthread_t
#define cli_thread_attr_t pthread_attr_t
#define CLI_MUTEX_INITIALIZER PTHREAD_MUTEX_INITIALIZER
#define CLI_THREAD_JOINABLE PTHREAD_CREATE_JOINABLE
#define CLI_THREAD_DETACHED PTHREAD_CREATE_DETACHED
#define cli_mutex_init pthread_mutex_init
#define cli_mutex_destroy pthread_mutex_destroy
#define cli_mutex_lock pthread_mutex_lock
#define cli_mutex_unlock pthread_mutex_unlock
#define cli_cond_init pthread_cond_init
#define cli_cond_destroy pthread_cond_destroy
#define cli_cond_wait pthread_cond_wait
#define cli_cond_signal pthread_cond_signal
#define cli_thread_attr_init pthread_attr_init
#define cli_thread_attr_setdetachstate pthread_attr_setdetachstate
#define cli_thread_attr_destroy pthread_attr_destroy
#define cli_thread_create pthread_create
#define cli_thread_join pthread_join
#endif

#endif
