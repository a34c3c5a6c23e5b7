/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Whole-file reads: non-blocking, regular files only (common/file.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/file.h"
#include "common/zap.h"

int
credssp_file_read(const char *path, int open_flags, size_t max,
                  struct credssp_buf *out, struct stat *st,
                  const char **why)
{
    struct stat own;
    uint8_t *data = NULL;
    size_t n = 0, size = 0;
    ssize_t got;
    int fd, ret;

    out->data = NULL;
    out->len = 0;
    if (why != NULL) {
        *why = NULL;
    }
    if (st == NULL) {
        st = &own;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | open_flags);
    if (fd < 0) {
        return errno;
    }
    if (fstat(fd, st) != 0) {
        ret = errno;
        goto done;
    }
    if (!S_ISREG(st->st_mode)) {
        if (why != NULL) {
            *why = S_ISDIR(st->st_mode) ? "a directory, not a file"
                                        : "not a regular file";
        }
        ret = EINVAL;
        goto done;
    }
    if (st->st_size < 0 || (unsigned long long)st->st_size > max) {
        ret = EFBIG;
        goto done;
    }
    size = (size_t)st->st_size;
    data = malloc(size + 1);
    if (data == NULL) {
        ret = ENOMEM;
        goto done;
    }
    while (n < size) {
        got = read(fd, data + n, size - n);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            ret = errno;
            goto done;
        }
        if (got == 0) {
            break; /* it shrank while we read */
        }
        n += (size_t)got;
    }
    data[n] = '\0';
    out->data = data;
    out->len = n;
    data = NULL;
    ret = 0;

done:
    credssp_zapfree(data, size + 1);
    close(fd);
    return ret;
}
