/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The wiping secret holder.  The bytes live in the same allocation as the
 * header, so one wipe covers everything.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secret.h"
#include "common/zap.h"

/* Secrets are credentials, not bulk data. */
#define SECRET_MAX_LEN (64 * 1024)

struct credssp_secret {
    enum credssp_secret_type type;
    size_t len;
    uint8_t data[];
};

int
credssp_secret_new(enum credssp_secret_type type, const void *data,
                   size_t len, struct credssp_secret **out)
{
    struct credssp_secret *s;

    if (out == NULL || (data == NULL && len > 0) || len > SECRET_MAX_LEN ||
        type < CREDSSP_SECRET_PASSWORD || type > CREDSSP_SECRET_BLOB) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    s = malloc(sizeof(*s) + len + 1);
    if (s == NULL) {
        return ENOMEM;
    }
    s->type = type;
    s->len = len;
    if (len > 0) {
        memcpy(s->data, data, len);
    }
    s->data[len] = '\0';
    *out = s;
    return 0;
}

int
credssp_secret_copy(const struct credssp_secret *in,
                    struct credssp_secret **out)
{
    if (in == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    return credssp_secret_new(in->type, in->data, in->len, out);
}

enum credssp_secret_type
credssp_secret_type(const struct credssp_secret *s)
{
    return s->type;
}

const uint8_t *
credssp_secret_data(const struct credssp_secret *s, size_t *len)
{
    if (len != NULL) {
        *len = s->len;
    }
    return s->data;
}

void
credssp_secret_free(struct credssp_secret **s)
{
    if (s == NULL || *s == NULL) {
        return;
    }
    credssp_zapfree(*s, sizeof(**s) + (*s)->len + 1);
    *s = NULL;
}
