/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * pubKeyAuth binding values (MS-CSSP.md 3.2, 3.3), L3.  Pure functions
 * over the server key bytes K of credssp_tls_server_public_key() and the
 * 32-byte clientNonce; the caller wraps and unwraps them with the inner
 * context.  Nothing here knows GSS, TSRequest or versions: the state
 * machine picks the form (echo for versions 2-4, hash for 5 and later).
 *
 *   form  direction          value
 *   echo  client-to-server   K
 *   echo  server-to-client   K + 1 (little-endian increment with carry)
 *   hash  client-to-server   SHA-256("CredSSP Client-To-Server Binding
 *                                     Hash\0" || nonce || K)
 *   hash  server-to-client   SHA-256("CredSSP Server-To-Client Binding
 *                                     Hash\0" || nonce || K)
 *
 * Functions returning int return 0, a CREDSSP_ERR_* code or ENOMEM.
 * Comparisons are constant time.
 */
#ifndef CREDSSP_MECH_PUBKEY_H
#define CREDSSP_MECH_PUBKEY_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

#define CREDSSP_PUBKEY_NONCE_LEN 32
#define CREDSSP_PUBKEY_HASH_LEN 32

enum credssp_pubkey_direction {
    CREDSSP_PUBKEY_CLIENT_TO_SERVER,
    CREDSSP_PUBKEY_SERVER_TO_CLIENT
};

enum credssp_pubkey_form {
    CREDSSP_PUBKEY_FORM_ECHO,   /* versions 2-4 */
    CREDSSP_PUBKEY_FORM_HASH    /* versions 5 and 6 */
};

/* A fresh random clientNonce.  Errors: CREDSSP_ERR_TLS_INTERNAL. */
CREDSSP_MUST_CHECK int credssp_pubkey_new_nonce(
    uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN]);

/*
 * The hash form of direction over a 32-byte nonce and key_len bytes of K,
 * written to out.  Errors: CREDSSP_ERR_BAD_ARGUMENT (unknown direction,
 * NULL pointers), ENOMEM, CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_pubkey_hash(
    enum credssp_pubkey_direction dir,
    const uint8_t nonce[CREDSSP_PUBKEY_NONCE_LEN], const uint8_t *key,
    size_t key_len, uint8_t out[CREDSSP_PUBKEY_HASH_LEN]);

/* credssp_pubkey_hash() over a nonce of any length (known-answer tests;
 * MS-CSSP.md 8 V1 uses a 2-byte nonce).  Production code uses the fixed
 * length form. */
CREDSSP_MUST_CHECK int credssp_pubkey_hash_any(
    enum credssp_pubkey_direction dir, const uint8_t *nonce,
    size_t nonce_len, const uint8_t *key, size_t key_len,
    uint8_t out[CREDSSP_PUBKEY_HASH_LEN]);

/*
 * K with 1 added as a little-endian integer (first byte +1, carrying into
 * the next; all-0xff wraps to zeros) into *out, which must be empty.
 * Errors: CREDSSP_ERR_BAD_ARGUMENT (empty key), ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_pubkey_echo_increment(const uint8_t *key,
                                                     size_t key_len,
                                                     struct credssp_buf *out);

/*
 * The value one side wraps into pubKeyAuth (table above) into *out, which
 * must be empty.  nonce is required for the hash form and ignored for the
 * echo form.  Errors: CREDSSP_ERR_BAD_ARGUMENT, ENOMEM,
 * CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_pubkey_value(
    enum credssp_pubkey_form form, enum credssp_pubkey_direction dir,
    const uint8_t *nonce, const uint8_t *key, size_t key_len,
    struct credssp_buf *out);

/*
 * Server side: is received (unwrapped from the client's pubKeyAuth) the
 * client-to-server value for our own K?  0 or CREDSSP_ERR_PUBKEY_MISMATCH
 * (also for a length difference); other errors as credssp_pubkey_value().
 */
CREDSSP_MUST_CHECK int credssp_pubkey_verify_client(
    enum credssp_pubkey_form form, const uint8_t *nonce, const uint8_t *key,
    size_t key_len, const uint8_t *received, size_t received_len);

/*
 * Client side: is received (unwrapped from the server's pubKeyAuth) the
 * server-to-client value for the K the client saw?  A reply equal to the
 * client's own client-to-server value gives CREDSSP_ERR_PUBKEY_ECHO (a
 * reflection), any other difference CREDSSP_ERR_PUBKEY_MISMATCH.
 */
CREDSSP_MUST_CHECK int credssp_pubkey_verify_server(
    enum credssp_pubkey_form form, const uint8_t *nonce, const uint8_t *key,
    size_t key_len, const uint8_t *received, size_t received_len);

/* 0, or CREDSSP_ERR_PUBKEY_ECHO when received equals what we sent. */
CREDSSP_MUST_CHECK int credssp_pubkey_check_not_reflected(
    const uint8_t *sent, size_t sent_len, const uint8_t *received,
    size_t received_len);

#endif /* CREDSSP_MECH_PUBKEY_H */
