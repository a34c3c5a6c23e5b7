/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The holder of every secret the mechanism touches: passwords, smart-card
 * PINs and opaque delegated-credential blobs (STYLE.md 4.12).  A secret is
 * created by copying the caller's bytes, read through getters, and wiped
 * when freed.  Secrets are never traced.
 */
#ifndef CREDSSP_COMMON_SECRET_H
#define CREDSSP_COMMON_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

enum credssp_secret_type {
    CREDSSP_SECRET_PASSWORD = 1, /* UTF-8 text */
    CREDSSP_SECRET_PIN = 2,      /* UTF-8 text */
    CREDSSP_SECRET_BLOB = 3      /* opaque bytes */
};

struct credssp_secret;

/* Copy len bytes into a new secret of the given type.  The copy is always
 * followed by a NUL byte (not counted in its length), so text secrets can
 * be handed to C APIs.  Returns 0, CREDSSP_ERR_BAD_ARGUMENT or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_secret_new(enum credssp_secret_type type,
                                          const void *data, size_t len,
                                          struct credssp_secret **out);

/* A second, independent copy. */
CREDSSP_MUST_CHECK int credssp_secret_copy(const struct credssp_secret *in,
                                           struct credssp_secret **out);

enum credssp_secret_type credssp_secret_type(const struct credssp_secret *s);

/* The secret's bytes (NUL-terminated) and length; valid until freed. */
const uint8_t *credssp_secret_data(const struct credssp_secret *s,
                                   size_t *len);

/* Wipe and free *s, and leave NULL behind.  Accepts NULL and *s == NULL. */
void credssp_secret_free(struct credssp_secret **s);

#endif /* CREDSSP_COMMON_SECRET_H */
