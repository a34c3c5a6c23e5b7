/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * pubKeyAuth binding values: MS-CSSP.md 3.2 (echo form, versions 2-4) and
 * 3.3 (SHA-256 with clientNonce, versions 5 and 6); known answers in
 * MS-CSSP.md 8 (V1).  Hashes go through GnuTLS; every intermediate digest
 * is wiped and every comparison is constant time.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/zap.h"
#include "mech/pubkey.h"

/* The magic strings include their terminating NUL: 38 bytes each. */
static const char client_magic[] = "CredSSP Client-To-Server Binding Hash";
static const char server_magic[] = "CredSSP Server-To-Client Binding Hash";

static int map_hash_error(int rc);
static int equal_values(const uint8_t *a, size_t a_len, const uint8_t *b,
                        size_t b_len);

/* GnuTLS hash failures in our terms. */
static int
map_hash_error(int rc)
{
    if (rc == GNUTLS_E_MEMORY_ERROR) {
        return ENOMEM;
    }
    return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
}

/* 1 when both values have the same length and bytes (constant time in
 * the bytes; lengths are public). */
static int
equal_values(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    if (a_len != b_len) {
        return 0;
    }
    return credssp_ct_equal(a, b, a_len);
}

/* Random bytes from GnuTLS's nonce generator. */
int
credssp_pubkey_new_nonce(uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN])
{
    int rc;

    if (nonce == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    rc = gnutls_rnd(GNUTLS_RND_NONCE, nonce, CREDSSP_PUBKEY_NONCE_LEN);
    if (rc < 0) {
        return map_hash_error(rc);
    }
    return 0;
}

/* SHA-256(magic || nonce || key); out is written only on success. */
int
credssp_pubkey_hash_any(enum credssp_pubkey_direction dir,
                        const uint8_t *nonce, size_t nonce_len,
                        const uint8_t *key, size_t key_len,
                        uint8_t out[CREDSSP_PUBKEY_HASH_LEN])
{
    uint8_t digest[CREDSSP_PUBKEY_HASH_LEN];
    gnutls_hash_hd_t hash = NULL;
    const char *magic;
    int rc, ret = 0;

    if (out == NULL || (nonce == NULL && nonce_len > 0) ||
        (key == NULL && key_len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (dir == CREDSSP_PUBKEY_CLIENT_TO_SERVER) {
        magic = client_magic;
    } else if (dir == CREDSSP_PUBKEY_SERVER_TO_CLIENT) {
        magic = server_magic;
    } else {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    rc = gnutls_hash_init(&hash, GNUTLS_DIG_SHA256);
    if (rc < 0) {
        return map_hash_error(rc);
    }
    rc = gnutls_hash(hash, magic, sizeof(client_magic));
    if (rc >= 0 && nonce_len > 0) {
        rc = gnutls_hash(hash, nonce, nonce_len);
    }
    if (rc >= 0 && key_len > 0) {
        rc = gnutls_hash(hash, key, key_len);
    }
    gnutls_hash_deinit(hash, digest);
    if (rc < 0) {
        ret = map_hash_error(rc);
        goto done;
    }
    memcpy(out, digest, sizeof(digest));

done:
    credssp_zap(digest, sizeof(digest));
    return ret;
}

int
credssp_pubkey_hash(enum credssp_pubkey_direction dir,
                    const uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN],
                    const uint8_t *key, size_t key_len,
                    uint8_t out[CREDSSP_PUBKEY_HASH_LEN])
{
    if (nonce == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    return credssp_pubkey_hash_any(dir, nonce, CREDSSP_PUBKEY_NONCE_LEN, key,
                                   key_len, out);
}

/* Copy K, then add 1 at byte 0 and carry upwards. */
int
credssp_pubkey_echo_increment(const uint8_t *key, size_t key_len,
                              struct credssp_buf *out)
{
    struct credssp_buf copy = { NULL, 0 };
    size_t i;
    int ret;

    if (key == NULL || key_len == 0 || out == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_buf_dup(&copy, key, key_len);
    if (ret != 0) {
        return ret;
    }
    for (i = 0; i < copy.len; i++) {
        copy.data[i]++;
        if (copy.data[i] != 0) {
            break;
        }
    }
    credssp_buf_move(out, &copy);
    return 0;
}

/* Dispatch on form and direction (see the table in pubkey.h). */
int
credssp_pubkey_value(enum credssp_pubkey_form form,
                     enum credssp_pubkey_direction dir, const uint8_t *nonce,
                     const uint8_t *key, size_t key_len,
                     struct credssp_buf *out)
{
    uint8_t digest[CREDSSP_PUBKEY_HASH_LEN];
    int ret;

    if (out == NULL || key == NULL || key_len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (dir != CREDSSP_PUBKEY_CLIENT_TO_SERVER &&
        dir != CREDSSP_PUBKEY_SERVER_TO_CLIENT) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (form == CREDSSP_PUBKEY_FORM_ECHO) {
        if (dir == CREDSSP_PUBKEY_CLIENT_TO_SERVER) {
            return credssp_buf_dup(out, key, key_len);
        }
        return credssp_pubkey_echo_increment(key, key_len, out);
    }
    if (form != CREDSSP_PUBKEY_FORM_HASH || nonce == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_pubkey_hash(dir, nonce, key, key_len, digest);
    if (ret == 0) {
        ret = credssp_buf_dup(out, digest, sizeof(digest));
    }
    credssp_zap(digest, sizeof(digest));
    return ret;
}

/* Recompute the client's value from our own K and compare. */
int
credssp_pubkey_verify_client(enum credssp_pubkey_form form,
                             const uint8_t *nonce, const uint8_t *key,
                             size_t key_len, const uint8_t *received,
                             size_t received_len)
{
    struct credssp_buf expect = { NULL, 0 };
    int ret;

    if (received == NULL && received_len > 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_pubkey_value(form, CREDSSP_PUBKEY_CLIENT_TO_SERVER, nonce,
                               key, key_len, &expect);
    if (ret != 0) {
        goto done;
    }
    if (!equal_values(expect.data, expect.len, received, received_len)) {
        ret = CREDSSP_ERR(CREDSSP_ERR_PUBKEY_MISMATCH);
    }

done:
    credssp_buf_wipe_free(&expect);
    return ret;
}

/* First refuse a reflection of our own value, then compare with the
 * server-to-client value. */
int
credssp_pubkey_verify_server(enum credssp_pubkey_form form,
                             const uint8_t *nonce, const uint8_t *key,
                             size_t key_len, const uint8_t *received,
                             size_t received_len)
{
    struct credssp_buf sent = { NULL, 0 }, expect = { NULL, 0 };
    int ret;

    if (received == NULL && received_len > 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_pubkey_value(form, CREDSSP_PUBKEY_CLIENT_TO_SERVER, nonce,
                               key, key_len, &sent);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_pubkey_check_not_reflected(sent.data, sent.len, received,
                                             received_len);
    if (ret != 0) {
        goto done;
    }
    ret = credssp_pubkey_value(form, CREDSSP_PUBKEY_SERVER_TO_CLIENT, nonce,
                               key, key_len, &expect);
    if (ret != 0) {
        goto done;
    }
    if (!equal_values(expect.data, expect.len, received, received_len)) {
        ret = CREDSSP_ERR(CREDSSP_ERR_PUBKEY_MISMATCH);
    }

done:
    credssp_buf_wipe_free(&expect);
    credssp_buf_wipe_free(&sent);
    return ret;
}

int
credssp_pubkey_check_not_reflected(const uint8_t *sent, size_t sent_len,
                                   const uint8_t *received,
                                   size_t received_len)
{
    if ((sent == NULL && sent_len > 0) ||
        (received == NULL && received_len > 0)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (equal_values(sent, sent_len, received, received_len)) {
        return CREDSSP_ERR(CREDSSP_ERR_PUBKEY_ECHO);
    }
    return 0;
}
