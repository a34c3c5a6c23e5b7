/* Target functions: credssp_accept_sec_context (first token, and the
 * client's first TSRequest after a real TLS handshake) */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The acceptor fed hostile tokens through the real mechanism code (krb5
 * fuzz_gss.c does the same for its mechanisms), twice per input:
 *
 *   1. the input as the first token: framing (RFC 2743 header or raw TLS
 *      records), then the GnuTLS server reading a hostile ClientHello;
 *   2. the input as the plaintext of the client's first TSRequest: a
 *      client built from mech/tls.h completes a real TLS handshake with
 *      the acceptor, then encrypts the input and sends it with its last
 *      handshake flight, so the acceptor's message framing, TSRequest
 *      decoding, state table and inner SPNEGO/NTLM/Kerberos accept see it.
 *
 * The acceptor uses the default acceptor credential, acquired once per
 * process as gss_accept_sec_context does for GSS_C_NO_CREDENTIAL (once,
 * because gss-ntlmssp keeps a block per credential, which would make
 * libFuzzer run a leak check after every input).  Its inner credential
 * comes from the mechglue: with no keytab and no gss-ntlmssp the
 * acquisition fails, GSS_C_NO_CREDENTIAL is passed instead and only the
 * framing of step 1 is exercised (the replay in make check still
 * passes).  CREDSSP_CONFIG, when unset, is set to /dev/null so a
 * system /etc/gss/credssp.conf does not change what is fuzzed; set it to
 * fuzz another configuration.  Deterministic in what is parsed; the TLS
 * keys and nonces are random, as in the mechanism.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

#include "mech/mech.h"
#include "mech/tls.h"
#include "tests/fuzz/fuzz.h"

/* Handshake legs before the client must be done (TLS 1.2 needs 4). */
#define MAX_LEGS 4

static gss_cred_id_t acceptor_cred(void);
static OM_uint32 accept_token(gss_ctx_id_t *ctx, const uint8_t *data,
                              size_t size, struct credssp_buf *reply);
static void fuzz_first_token(const uint8_t *data, size_t size);
static void fuzz_first_request(const uint8_t *data, size_t size);

/* The default acceptor credential, kept for the process; NULL (no
 * credential) when it cannot be acquired. */
static gss_cred_id_t
acceptor_cred(void)
{
    static gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    static int tried;
    OM_uint32 minor;

    if (!tried) {
        tried = 1;
        (void)setenv("CREDSSP_CONFIG", "/dev/null", 0);
        if (credssp_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                 GSS_C_NO_OID_SET, GSS_C_ACCEPT, &cred, NULL,
                                 NULL) != GSS_S_COMPLETE) {
            cred = GSS_C_NO_CREDENTIAL;
        }
    }
    return cred;
}

/* One call of the acceptor; its output token is copied into *reply. */
static OM_uint32
accept_token(gss_ctx_id_t *ctx, const uint8_t *data, size_t size,
             struct credssp_buf *reply)
{
    gss_buffer_desc in = { size, (void *)(uintptr_t)data };
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor = 0, tmp;

    major = credssp_accept_sec_context(&minor, ctx, acceptor_cred(), &in,
                                       GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                       &out, NULL, NULL, NULL);
    FUZZ_CHECK(!GSS_ERROR(major) || minor != 0);
    if (reply != NULL && out.length > 0 &&
        credssp_buf_dup(reply, out.value, out.length) != 0) {
        major = GSS_S_FAILURE;
    }
    (void)gss_release_buffer(&tmp, &out);
    return major;
}

static void
fuzz_first_token(const uint8_t *data, size_t size)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor;

    major = accept_token(&ctx, data, size, NULL);
    /* A failed first call leaves no context (RFC 2744 5.1). */
    FUZZ_CHECK(!GSS_ERROR(major) || ctx == GSS_C_NO_CONTEXT);
    (void)credssp_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
}

static void
fuzz_first_request(const uint8_t *data, size_t size)
{
    struct credssp_tls *client = NULL;
    struct credssp_buf token = { NULL, 0 }, reply = { NULL, 0 };
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor;
    int hs, legs;

    if (credssp_tls_new(CREDSSP_TLS_CLIENT, NULL, &client) != 0) {
        return;
    }
    hs = credssp_tls_handshake(client);
    for (legs = 0; hs == CREDSSP_TLS_AGAIN && legs < MAX_LEGS; legs++) {
        if (credssp_tls_take_output(client, &token) != 0) {
            goto done;
        }
        major = accept_token(&ctx, token.data, token.len, &reply);
        credssp_buf_free(&token);
        if (major != GSS_S_CONTINUE_NEEDED) {
            /* No acceptor credential, most likely: nothing to fuzz. */
            goto done;
        }
        if (credssp_tls_feed(client, reply.data, reply.len) != 0) {
            goto done;
        }
        credssp_buf_free(&reply);
        hs = credssp_tls_handshake(client);
    }
    if (hs != 0 || credssp_tls_encrypt(client, data, size) != 0 ||
        credssp_tls_take_output(client, &token) != 0) {
        goto done;
    }
    (void)accept_token(&ctx, token.data, token.len, NULL);

done:
    (void)credssp_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    credssp_buf_free(&reply);
    credssp_buf_free(&token);
    credssp_tls_free(&client);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    fuzz_first_token(data, size);
    fuzz_first_request(data, size);
    return 0;
}
