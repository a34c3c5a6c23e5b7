/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Reading the saved-credentials file (see saved.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/zap.h"
#include "mech/saved.h"
#include "mech/trace.h"

#define SAVED_MAX_SIZE (64 * 1024)

static int read_private_file(const char *path, char **text, size_t *len);
static int match_line(char *line, const char *spn, char **user,
                      struct credssp_secret **password);

/* The whole file, if it is private to us (a regular file of our user,
 * mode 0600 or stricter, not a symlink). */
static int
read_private_file(const char *path, char **text, size_t *len)
{
    struct credssp_buf buf;
    struct stat st;
    int ret;

    ret = credssp_file_read(path, O_NOFOLLOW, SAVED_MAX_SIZE, &buf, &st,
                            NULL);
    if (ret == ENOMEM) {
        return ENOMEM;
    }
    if (ret != 0 && ret != EINVAL && ret != EFBIG) {
        TRACE_CREDSSP_SAVED(path, "cannot be opened");
        return CREDSSP_ERR(CREDSSP_ERR_SAVED_CREDS_FILE);
    }
    if (ret != 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        TRACE_CREDSSP_SAVED(path, "is not a private regular file of ours");
        credssp_buf_wipe_free(&buf);
        return CREDSSP_ERR(CREDSSP_ERR_SAVED_CREDS_FILE);
    }
    *text = (char *)buf.data;
    *len = buf.len + 1;
    return 0;
}

/* One line: the entry when it is for spn (0 with *user set), nothing for
 * other targets and comments, CREDSSP_ERR_SAVED_CREDS_FILE when malformed. */
static int
match_line(char *line, const char *spn, char **user,
           struct credssp_secret **password)
{
    char *p = line, *target, *who, *secret;
    size_t len;
    int ret;

    p += strspn(p, " \t");
    if (*p == '\0' || *p == '#') {
        return 0;
    }
    target = p;
    p += strcspn(p, " \t");
    if (*p == '\0') {
        return CREDSSP_ERR(CREDSSP_ERR_SAVED_CREDS_FILE);
    }
    *p++ = '\0';
    p += strspn(p, " \t");
    who = p;
    p += strcspn(p, " \t");
    if (*p == '\0' || p == who) {
        return CREDSSP_ERR(CREDSSP_ERR_SAVED_CREDS_FILE);
    }
    *p++ = '\0';
    p += strspn(p, " \t");
    secret = p;
    len = strlen(secret);
    while (len > 0 && (secret[len - 1] == '\r' || secret[len - 1] == ' ' ||
                       secret[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_SAVED_CREDS_FILE);
    }
    if (spn == NULL || strcasecmp(target, spn) != 0 || *user != NULL) {
        return 0;
    }
    ret = credssp_secret_new(CREDSSP_SECRET_PASSWORD, secret, len, password);
    if (ret != 0) {
        return ret;
    }
    *user = strdup(who);
    if (*user == NULL) {
        credssp_secret_free(password);
        return ENOMEM;
    }
    return 0;
}

int
credssp_saved_lookup(const char *path, const char *spn, char **user,
                     struct credssp_secret **password)
{
    char *text = NULL, *line, *next;
    size_t size = 0;
    int ret;

    *user = NULL;
    *password = NULL;
    ret = read_private_file(path, &text, &size);
    if (ret != 0) {
        return ret;
    }
    /* Every line is checked, so a malformed file fails whatever the
     * target. */
    for (line = text; ret == 0 && line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        ret = match_line(line, spn, user, password);
    }
    credssp_zapfree(text, size);
    if (ret != 0) {
        free(*user);
        *user = NULL;
        credssp_secret_free(password);
        if (ret == CREDSSP_ERR_SAVED_CREDS_FILE) {
            TRACE_CREDSSP_SAVED(path, "has a malformed line");
        }
    }
    return ret;
}
