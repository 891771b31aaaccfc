/* A mutex and a once-flag on POSIX threads or Windows. */
#ifndef DLSSL_COMPAT_THREAD_H
#define DLSSL_COMPAT_THREAD_H

#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK dl_mutex;
#define DL_MUTEX_INIT SRWLOCK_INIT
static inline void dl_mutex_lock(dl_mutex *m) { AcquireSRWLockExclusive(m); }
static inline void dl_mutex_unlock(dl_mutex *m) { ReleaseSRWLockExclusive(m); }
static inline unsigned long dl_thread_id(void) { return (unsigned long)GetCurrentThreadId(); }
#else
#include <pthread.h>
typedef pthread_mutex_t dl_mutex;
#define DL_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
static inline void dl_mutex_lock(dl_mutex *m) { (void)pthread_mutex_lock(m); }
static inline void dl_mutex_unlock(dl_mutex *m) { (void)pthread_mutex_unlock(m); }
static inline unsigned long dl_thread_id(void) { return (unsigned long)pthread_self(); }
#endif

#endif
