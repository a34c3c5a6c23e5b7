/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Reading a whole file the mechanism was told to read (its configuration,
 * the acceptor's certificate and key, the saved-credentials file).  The
 * one place that decides how: without blocking, regular files only.
 */
#ifndef CREDSSP_COMMON_FILE_H
#define CREDSSP_COMMON_FILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "common/buf.h"

/*
 * The whole regular file at path into out, NUL-terminated (out->len
 * counts the bytes without the NUL).  The file is opened with O_NONBLOCK
 * and open_flags (e.g. O_NOFOLLOW): a FIFO or a device is refused at once,
 * never waited on, and so is a directory.  st, when not NULL, receives the
 * file's status.  Whatever was read is wiped on failure, and the caller
 * wipes out when the file holds secrets.
 *
 * Returns 0; an errno value (ENOENT for a missing file, EFBIG above max
 * bytes, ENOMEM); or EINVAL for something that is not a regular file, with
 * *why (when why is not NULL) saying what it is.
 */
int credssp_file_read(const char *path, int open_flags, size_t max,
                      struct credssp_buf *out, struct stat *st,
                      const char **why);

#endif /* CREDSSP_COMMON_FILE_H */
