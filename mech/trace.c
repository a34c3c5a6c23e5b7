/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The trace file behind CREDSSP_TRACE.  Opened once, append-only and
 * close-on-exec; each line is written with a single write(2), so lines of
 * several threads and processes do not interleave.  When tracing is on,
 * the error-origin hook of common/err.h records where each error was
 * raised (file and line only).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/err.h"
#include "mech/trace.h"

#define TRACE_LINE_MAX 1024

static void open_from_environment(void);
static void trace_error_origin(int code, const char *file, int line,
                               const char *func);
static int open_trace_file(const char *path);

static pthread_once_t trace_once = PTHREAD_ONCE_INIT;
static int trace_fd = -1;
/* Writers hold it shared while they use trace_fd; switching files holds
 * it exclusively, so a descriptor is never closed under a write (which
 * could then land in whatever file reused the number). */
static pthread_rwlock_t trace_lock = PTHREAD_RWLOCK_INITIALIZER;

static int
open_trace_file(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static void
trace_error_origin(int code, const char *file, int line, const char *func)
{
    const char *name = credssp_err_name(code);

    (void)func;
    if (name != NULL) {
        credssp_trace(NULL, "-", "error %s raised at %s:%d", name, file,
                      line);
    }
}

static void
open_from_environment(void)
{
    const char *path;

#ifdef HAVE_SECURE_GETENV
    path = secure_getenv("CREDSSP_TRACE");
#else
    path = (getuid() == geteuid() && getgid() == getegid())
               ? getenv("CREDSSP_TRACE")
               : NULL;
#endif
    if (path == NULL || *path == '\0') {
        return;
    }
    trace_fd = open_trace_file(path);
    if (trace_fd >= 0) {
        credssp_err_set_hook(trace_error_origin);
    }
}

int
credssp_trace_enabled(void)
{
    (void)pthread_once(&trace_once, open_from_environment);
    return __atomic_load_n(&trace_fd, __ATOMIC_ACQUIRE) >= 0;
}

int
credssp_trace_set_file(const char *path)
{
    int fd = -1, old;

    (void)pthread_once(&trace_once, open_from_environment);
    if (path != NULL) {
        fd = open_trace_file(path);
        if (fd < 0) {
            return errno;
        }
    }
    (void)pthread_rwlock_wrlock(&trace_lock);
    old = __atomic_exchange_n(&trace_fd, fd, __ATOMIC_ACQ_REL);
    credssp_err_set_hook(fd >= 0 ? trace_error_origin : NULL);
    if (old >= 0) {
        close(old);
    }
    (void)pthread_rwlock_unlock(&trace_lock);
    return 0;
}

void
credssp_trace(const void *ctx, const char *role, const char *fmt, ...)
{
    char line[TRACE_LINE_MAX];
    struct timeval tv;
    va_list ap;
    int fd, n, m;

    if (__atomic_load_n(&trace_fd, __ATOMIC_ACQUIRE) < 0) {
        return;
    }
    gettimeofday(&tv, NULL);
    n = snprintf(line, sizeof(line), "%lld.%06ld [%ld] %s ctx=%p: ",
                 (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(),
                 role, ctx);
    if (n < 0 || (size_t)n >= sizeof(line)) {
        return;
    }
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0) {
        return;
    }
    n += m;
    if ((size_t)n >= sizeof(line) - 1) {
        n = (int)sizeof(line) - 2;
    }
    line[n++] = '\n';
    (void)pthread_rwlock_rdlock(&trace_lock);
    fd = __atomic_load_n(&trace_fd, __ATOMIC_ACQUIRE);
    if (fd >= 0) {
        (void)!write(fd, line, (size_t)n);
    }
    (void)pthread_rwlock_unlock(&trace_lock);
}
