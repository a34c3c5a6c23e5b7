/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The CredSSP state machine for both roles (MS-CSSP 3.1.5; MS-CSSP.md 1.3,
 * 1.4, 1.5, 3, 4, 5, 5b).
 *
 * One step runs in narrated stages:
 *   1. the TLS handshake, while it lasts (tls.c);
 *   2. decrypt the TLS records of the input and collect the plaintext
 *      until a whole TSRequest has arrived (a TSRequest may span several
 *      tokens; an incomplete one gives CONTINUE with an empty token);
 *   3. decode it (asn1/), settle versions and errorCode -- here and only
 *      here;
 *   4. hand it to the row of the transition table that matches the
 *      current state; a row names the fields it requires and allows, and
 *      its handler consumes them and adds fields to the reply;
 *   5. encode and encrypt the reply.
 * Completion is decided by the rows whose next state is DONE.
 *
 * Order rules that decide interoperability: the final inner token is
 * processed before the peer's pubKeyAuth is unwrapped (SPNEGO resets the
 * NTLM sealing state after its mechListMIC); the client sends its last
 * inner token and pubKeyAuth together; the server's pubKeyAuth is checked
 * before any credential is encrypted; nothing is ever wrapped
 * speculatively (NTLM sequence numbers).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/codec.h"
#include "common/zap.h"
#include "mech/ctx.h"
#include "mech/ep.h"
#include "mech/mech.h"
#include "mech/pubkey.h"
#include "mech/token.h"
#include "mech/trace.h"

/* TSRequest fields, as bits. */
#define F_NEGO 0x01u
#define F_AUTH_INFO 0x02u
#define F_PUB_KEY_AUTH 0x04u
#define F_ERROR_CODE 0x08u
#define F_NONCE 0x10u

/* A handler's verdict besides 0 (advance) and errors. */
#define STEP_REPEAT (-1)

#define STATUS_LOGON_FAILURE 0xC000006Du

/* The inner context requests these of its peer (MS-CSSP.md 1.3). */
#define INNER_REQ_FLAGS                                                      \
    (GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)

struct row {
    enum credssp_role role;
    enum credssp_state state;
    unsigned int required;
    unsigned int allowed;
    int (*handler)(struct credssp_ctx *ctx,
                   const struct credssp_ts_request *in,
                   struct credssp_ts_request *reply);
    enum credssp_state next;
};

static unsigned int fields_of(const struct credssp_ts_request *req);
static const char *describe_fields(unsigned int fields, char *buf,
                                   size_t len);
static OM_uint32 fail(OM_uint32 *minor, struct credssp_ctx *ctx, int code);
static void set_state(struct credssp_ctx *ctx, enum credssp_state next);
static enum credssp_pubkey_form pubkey_form(const struct credssp_ctx *ctx);
static int ntstatus_minor(uint32_t status);
static OM_uint32 inner_flags(const struct credssp_ctx *ctx);
static int start_tls(struct credssp_ctx *ctx);
static int run_handshake(struct credssp_ctx *ctx, int *done);
static int send_request(struct credssp_ctx *ctx,
                        struct credssp_ts_request *req);
static int send_error_code(struct credssp_ctx *ctx, uint32_t status);
static int next_message(struct credssp_ctx *ctx,
                        struct credssp_ts_request *req, int *have);
static int settle_version(struct credssp_ctx *ctx,
                          const struct credssp_ts_request *req);
static int dispatch(struct credssp_ctx *ctx,
                    const struct credssp_ts_request *req,
                    struct credssp_ts_request *reply);
static int set_opt(struct credssp_asn1_opt *opt, struct credssp_buf *value);
static int add_nego_token(struct credssp_ts_request *reply,
                          struct credssp_buf *token);
static int add_pub_key_auth(struct credssp_ctx *ctx,
                            struct credssp_ts_request *reply,
                            enum credssp_pubkey_direction dir);
static int client_first_message(struct credssp_ctx *ctx);
static int client_nego(struct credssp_ctx *ctx,
                       const struct credssp_ts_request *in,
                       struct credssp_ts_request *reply);
static int repeated_nego_token(const struct credssp_ctx *ctx,
                               const struct credssp_ts_request *in);
static int client_pubkey(struct credssp_ctx *ctx,
                         const struct credssp_ts_request *in,
                         struct credssp_ts_request *reply);
static int decide_delegation(struct credssp_ctx *ctx,
                             enum credssp_policy_kind kind,
                             enum credssp_policy_auth auth);
static int build_credentials(struct credssp_ctx *ctx,
                             struct credssp_buf *der);
static int server_nego(struct credssp_ctx *ctx,
                       const struct credssp_ts_request *in,
                       struct credssp_ts_request *reply);
static int server_pubkey(struct credssp_ctx *ctx,
                         const struct credssp_ts_request *in,
                         struct credssp_ts_request *reply);
static int server_credentials(struct credssp_ctx *ctx,
                              const struct credssp_ts_request *in,
                              struct credssp_ts_request *reply);
static int accept_client_identity(struct credssp_ctx *ctx);
static int check_delegated_user(struct credssp_ctx *ctx,
                                const struct credssp_buf *ts_creds);
static int finish(struct credssp_ctx *ctx);

/*
 * The transition table (STYLE.md 4.7).  A TSRequest arriving in a state
 * must carry the row's required fields and nothing outside its allowed
 * ones; the acceptor's NEGO row passes a pubKeyAuth that came with the
 * final inner token on to the PUBKEY row in the same step.
 */
static const struct row rows[] = {
    { CREDSSP_ROLE_INITIATOR, CREDSSP_STATE_NEGO, F_NEGO, F_NEGO | F_NONCE,
      client_nego, CREDSSP_STATE_PUBKEY },
    { CREDSSP_ROLE_INITIATOR, CREDSSP_STATE_PUBKEY, F_PUB_KEY_AUTH,
      F_PUB_KEY_AUTH | F_NEGO | F_NONCE, client_pubkey, CREDSSP_STATE_DONE },
    { CREDSSP_ROLE_ACCEPTOR, CREDSSP_STATE_NEGO, F_NEGO,
      F_NEGO | F_PUB_KEY_AUTH | F_NONCE, server_nego, CREDSSP_STATE_PUBKEY },
    { CREDSSP_ROLE_ACCEPTOR, CREDSSP_STATE_PUBKEY, F_PUB_KEY_AUTH,
      F_PUB_KEY_AUTH | F_NONCE, server_pubkey,
      CREDSSP_STATE_CREDENTIALS },
    { CREDSSP_ROLE_ACCEPTOR, CREDSSP_STATE_CREDENTIALS, F_AUTH_INFO,
      F_AUTH_INFO | F_NONCE, server_credentials, CREDSSP_STATE_DONE },
};

static const char *const state_names[] = {
    "START", "TLS", "NEGO", "PUBKEY", "CREDENTIALS", "DONE", "FAILED"
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static unsigned int
fields_of(const struct credssp_ts_request *req)
{
    return (req->nego_tokens.present ? F_NEGO : 0) |
           (req->auth_info.present ? F_AUTH_INFO : 0) |
           (req->pub_key_auth.present ? F_PUB_KEY_AUTH : 0) |
           (req->has_error_code ? F_ERROR_CODE : 0) |
           (req->client_nonce.present ? F_NONCE : 0);
}

static const char *
describe_fields(unsigned int fields, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s%s%s", fields & F_NEGO ? " negoTokens" : "",
             fields & F_AUTH_INFO ? " authInfo" : "",
             fields & F_PUB_KEY_AUTH ? " pubKeyAuth" : "",
             fields & F_ERROR_CODE ? " errorCode" : "",
             fields & F_NONCE ? " clientNonce" : "");
    return buf[0] == ' ' ? buf + 1 : "version only";
}

static void
set_state(struct credssp_ctx *ctx, enum credssp_state next)
{
    TRACE_CREDSSP_STATE(ctx, credssp_ctx_role_name(ctx),
                        credssp_state_name(ctx->state),
                        credssp_state_name(next));
    ctx->state = next;
}

static OM_uint32
fail(OM_uint32 *minor, struct credssp_ctx *ctx, int code)
{
    TRACE_CREDSSP_FAILED(ctx, credssp_ctx_role_name(ctx), code,
                         credssp_err_name(code) != NULL
                             ? credssp_err_name(code)
                             : "system error");
    if (ctx->state != CREDSSP_STATE_FAILED) {
        set_state(ctx, CREDSSP_STATE_FAILED);
    }
    ctx->failed_minor = (OM_uint32)code;
    *minor = (OM_uint32)code;
    return credssp_err_major(code);
}

static enum credssp_pubkey_form
pubkey_form(const struct credssp_ctx *ctx)
{
    return ctx->version >= 5 ? CREDSSP_PUBKEY_FORM_HASH
                             : CREDSSP_PUBKEY_FORM_ECHO;
}

/* The minor code for an NTSTATUS the server sent (MS-CSSP.md 1.5). */
static int
ntstatus_minor(uint32_t status)
{
    static const struct {
        uint32_t status;
        int minor;
    } map[] = {
        { 0xC000006D, CREDSSP_ERR_NT_LOGON_FAILURE },
        { 0xC000006A, CREDSSP_ERR_NT_WRONG_PASSWORD },
        { 0xC0000064, CREDSSP_ERR_NT_NO_SUCH_USER },
        { 0xC0000071, CREDSSP_ERR_NT_PASSWORD_EXPIRED },
        { 0xC0000224, CREDSSP_ERR_NT_PASSWORD_MUST_CHANGE },
        { 0xC0000234, CREDSSP_ERR_NT_ACCOUNT_LOCKED_OUT },
        { 0xC0000072, CREDSSP_ERR_NT_ACCOUNT_DISABLED },
        { 0xC0000193, CREDSSP_ERR_NT_ACCOUNT_EXPIRED },
        { 0xC000006E, CREDSSP_ERR_NT_ACCOUNT_RESTRICTION },
        { 0xC000015B, CREDSSP_ERR_NT_LOGON_TYPE_NOT_GRANTED },
        { 0xC0000133, CREDSSP_ERR_NT_TIME_SKEW },
        { 0xC0000022, CREDSSP_ERR_NT_ACCESS_DENIED },
    };
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(*map); i++) {
        if (map[i].status == status) {
            return map[i].minor;
        }
    }
    return CREDSSP_ERR_NT_OTHER;
}

/* What the inner context is asked for: mutual authentication and
 * protection, plus Kerberos ticket forwarding when the caller asked to
 * delegate default credentials (there is no password to send then). */
static OM_uint32
inner_flags(const struct credssp_ctx *ctx)
{
    OM_uint32 flags = INNER_REQ_FLAGS;

    if ((ctx->req_flags & GSS_C_DELEG_FLAG) &&
        ctx->cred->kind == CREDSSP_CRED_DEFAULT && ctx->deleg_allowed) {
        flags |= GSS_C_DELEG_FLAG;
    }
    return flags;
}

/* Move value into an OPTIONAL field of the reply. */
static int
set_opt(struct credssp_asn1_opt *opt, struct credssp_buf *value)
{
    opt->present = 1;
    credssp_buf_move(&opt->value, value);
    return 0;
}

static int
add_nego_token(struct credssp_ts_request *reply, struct credssp_buf *token)
{
    struct credssp_buf *tokens;

    if (token->len == 0) {
        credssp_buf_free(token);
        return 0;
    }
    tokens = calloc(1, sizeof(*tokens));
    if (tokens == NULL) {
        return ENOMEM;
    }
    credssp_buf_move(&tokens[0], token);
    reply->nego_tokens.present = 1;
    reply->nego_tokens.count = 1;
    reply->nego_tokens.tokens = tokens;
    return 0;
}

/* Wrap our pubKeyAuth value for direction into the reply. */
static int
add_pub_key_auth(struct credssp_ctx *ctx, struct credssp_ts_request *reply,
                 enum credssp_pubkey_direction dir)
{
    struct credssp_buf value = { NULL, 0 }, sealed = { NULL, 0 };
    int ret;

    ret = credssp_pubkey_value(pubkey_form(ctx), dir, ctx->nonce,
                               ctx->server_key.data, ctx->server_key.len,
                               &value);
    if (ret == 0) {
        ret = credssp_inner_wrap(&ctx->inner, value.data, value.len,
                                 &sealed);
    }
    credssp_buf_wipe_free(&value);
    if (ret != 0) {
        return ret;
    }
    TRACE_CREDSSP_PUBKEY(ctx, credssp_ctx_role_name(ctx),
                         pubkey_form(ctx) == CREDSSP_PUBKEY_FORM_HASH
                             ? "sent (hash form)"
                             : "sent (echo form)");
    if (dir == CREDSSP_PUBKEY_CLIENT_TO_SERVER) {
        ret = credssp_buf_dup(&ctx->sent_pub_key_auth, sealed.data,
                              sealed.len);
        if (ret != 0) {
            credssp_buf_free(&sealed);
            return ret;
        }
        if (ctx->version >= 5) {
            ret = credssp_buf_dup(&reply->client_nonce.value, ctx->nonce,
                                  CREDSSP_NONCE_LEN);
            reply->client_nonce.present = ret == 0;
        }
    }
    if (ret == 0) {
        ret = set_opt(&reply->pub_key_auth, &sealed);
    }
    credssp_buf_free(&sealed);
    return ret;
}

/* ------------------------------------------------------------------ */
/* TLS and message transport                                           */
/* ------------------------------------------------------------------ */

static int
start_tls(struct credssp_ctx *ctx)
{
    const struct credssp_config *cfg = ctx->cred->cfg;
    struct credssp_tls_config tc;

    memset(&tc, 0, sizeof(tc));
    tc.priority = cfg->priority;
    tc.cert_file = ctx->cred->certificate != NULL ? ctx->cred->certificate
                                                  : cfg->certificate;
    tc.key_file = ctx->cred->key != NULL ? ctx->cred->key : cfg->key;
    tc.key_type = cfg->key_type == CREDSSP_KEY_RSA
                      ? CREDSSP_TLS_KEY_RSA_2048
                      : CREDSSP_TLS_KEY_ECDSA_P256;
    return credssp_tls_new(ctx->role == CREDSSP_ROLE_INITIATOR
                               ? CREDSSP_TLS_CLIENT
                               : CREDSSP_TLS_SERVER,
                           &tc, &ctx->tls);
}

/* Advance the handshake; *done once it completed (with the server's
 * public key and the negotiated parameters recorded). */
static int
run_handshake(struct credssp_ctx *ctx, int *done)
{
    struct credssp_tls_info info;
    int ret;

    *done = 0;
    ret = credssp_tls_handshake(ctx->tls);
    if (ret == CREDSSP_TLS_AGAIN) {
        return 0;
    }
    if (ret != 0) {
        TRACE_CREDSSP_TLS_ERROR(ctx, credssp_ctx_role_name(ctx),
                                credssp_tls_last_error_text(ctx->tls));
        return ret;
    }
    if (credssp_tls_info(ctx->tls, &info) == 0) {
        TRACE_CREDSSP_TLS_DONE(ctx, credssp_ctx_role_name(ctx), info.version,
                               info.cipher);
    }
    ret = credssp_tls_server_public_key(ctx->tls, &ctx->server_key);
    if (ret != 0) {
        return ret;
    }
    *done = 1;
    return 0;
}

/* Encode and encrypt req (always with our own version), then free it. */
static int
send_request(struct credssp_ctx *ctx, struct credssp_ts_request *req)
{
    struct credssp_buf der = { NULL, 0 };
    char fields[96];
    int ret;

    req->version = ctx->own_version;
    TRACE_CREDSSP_MESSAGE(ctx, credssp_ctx_role_name(ctx), "sent",
                          describe_fields(fields_of(req), fields,
                                          sizeof(fields)));
    ret = credssp_asn1_encode_ts_request(req, &der);
    credssp_asn1_ts_request_free(req);
    if (ret == 0) {
        ret = credssp_tls_encrypt(ctx->tls, der.data, der.len);
    }
    credssp_buf_wipe_free(&der);
    return ret;
}

/* The acceptor tells the client why, where the version defines errorCode
 * (effective 3, 4 and 6 or later: MS-CSSP.md 1.5). */
static int
send_error_code(struct credssp_ctx *ctx, uint32_t status)
{
    struct credssp_ts_request req;

    if (ctx->tls == NULL || !credssp_tls_is_established(ctx->tls) ||
        ctx->version < 3 || ctx->version == 5) {
        return 0;
    }
    memset(&req, 0, sizeof(req));
    req.has_error_code = 1;
    req.error_code = status;
    TRACE_CREDSSP_ERROR_CODE(ctx, credssp_ctx_role_name(ctx), "sent",
                             status);
    return send_request(ctx, &req);
}

/* Decrypt what arrived and take one whole TSRequest off the front of the
 * plaintext, if there is one (*have). */
static int
next_message(struct credssp_ctx *ctx, struct credssp_ts_request *req,
             int *have)
{
    struct credssp_buf fresh = { NULL, 0 };
    struct credssp_out joined;
    size_t total = 0;
    int ret;

    *have = 0;
    ret = credssp_tls_decrypt(ctx->tls, &fresh);
    if (ret != 0) {
        return ret;
    }
    if (fresh.len > 0) {
        credssp_out_init(&joined, 1, CREDSSP_ASN1_MAX_MESSAGE);
        credssp_out_add(&joined, ctx->plain.data, ctx->plain.len);
        credssp_out_add(&joined, fresh.data, fresh.len);
        credssp_buf_wipe_free(&fresh);
        credssp_buf_wipe_free(&ctx->plain);
        ret = credssp_out_finish(&joined, &ctx->plain);
        if (ret != 0) {
            return ret;
        }
    }
    ret = credssp_token_der_length(ctx->plain.data, ctx->plain.len,
                                   CREDSSP_ASN1_MAX_MESSAGE, &total);
    if (ret == CREDSSP_TOKEN_AGAIN || (ret == 0 && total > ctx->plain.len)) {
        return 0;
    }
    if (ret != 0) {
        return ret;
    }
    ret = credssp_asn1_decode_ts_request(ctx->plain.data, total, req);
    if (ret != 0) {
        return ret;
    }
    *have = 1;
    if (total == ctx->plain.len) {
        credssp_buf_wipe_free(&ctx->plain);
        return 0;
    }
    /* Bytes after the TSRequest stay in ctx->plain: application data
     * when this TSRequest ends the exchange (step() checks). */
    credssp_zap(ctx->plain.data, total);
    memmove(ctx->plain.data, ctx->plain.data + total, ctx->plain.len - total);
    ctx->plain.len -= total;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Versions and dispatch                                               */
/* ------------------------------------------------------------------ */

/* The one place versions are decided (MS-CSSP.md 1.4). */
static int
settle_version(struct credssp_ctx *ctx, const struct credssp_ts_request *req)
{
    const struct credssp_policy *policy = ctx->cred->policy;
    int ok;

    if (ctx->peer_version != 0) {
        if (req->version != ctx->peer_version) {
            return CREDSSP_ERR(CREDSSP_ERR_VERSION_CHANGED);
        }
        return 0;
    }
    if (req->version < 2) {
        return CREDSSP_ERR(CREDSSP_ERR_VERSION);
    }
    ctx->peer_version = req->version;
    ctx->version = req->version < ctx->own_version ? req->version
                                                   : ctx->own_version;
    TRACE_CREDSSP_VERSION(ctx, credssp_ctx_role_name(ctx),
                          (int)ctx->own_version, (int)req->version,
                          (int)ctx->version);
    /* The encryption-oracle rule (AllowEncryptionOracle, MS-CSSP.md
     * 6.5): clients fall back to the pre-2018 forms only at level 2;
     * servers refuse such clients only at level 0. */
    ok = ctx->role == CREDSSP_ROLE_INITIATOR
             ? credssp_policy_client_accepts_version(policy,
                                                     (int)ctx->version)
             : credssp_policy_server_accepts_version(
                   policy, req->version > 6 ? 6 : (int)req->version);
    if (!ok) {
        return CREDSSP_ERR(CREDSSP_ERR_ENCRYPTION_ORACLE);
    }
    return 0;
}

static int
dispatch(struct credssp_ctx *ctx, const struct credssp_ts_request *req,
         struct credssp_ts_request *reply)
{
    unsigned int remaining = fields_of(req);
    char fields[96];
    size_t i;
    int ret;

    TRACE_CREDSSP_MESSAGE(ctx, credssp_ctx_role_name(ctx), "received",
                          describe_fields(remaining, fields,
                                          sizeof(fields)));
    ret = settle_version(ctx, req);
    if (ret != 0) {
        return ret;
    }
    if (remaining & F_ERROR_CODE) {
        if (ctx->role != CREDSSP_ROLE_INITIATOR) {
            return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        }
        /* errorCode is checked before anything else the server sent. */
        ctx->has_error_code = 1;
        ctx->error_code = req->error_code;
        TRACE_CREDSSP_ERROR_CODE(ctx, credssp_ctx_role_name(ctx),
                                 "received", req->error_code);
        return CREDSSP_ERR(ntstatus_minor(req->error_code));
    }
    for (;;) {
        for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
            if (rows[i].role == ctx->role && rows[i].state == ctx->state) {
                break;
            }
        }
        if (i == sizeof(rows) / sizeof(*rows) ||
            (remaining & rows[i].required) != rows[i].required ||
            (remaining & ~rows[i].allowed) != 0) {
            return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        }
        ret = rows[i].handler(ctx, req, reply);
        if (ret == STEP_REPEAT) {
            return 0;
        }
        if (ret != 0) {
            return ret;
        }
        set_state(ctx, rows[i].next);
        remaining &= ~(rows[i].required | F_NEGO | F_NONCE);
        if (remaining == 0) {
            return 0;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Initiator rows                                                      */
/* ------------------------------------------------------------------ */

/* After the handshake: the first inner token, in the first TSRequest. */
static int
client_first_message(struct credssp_ctx *ctx)
{
    struct credssp_ts_request req;
    struct credssp_buf token = { NULL, 0 };
    OM_uint32 minor;
    gss_name_t target;
    int ret;

    memset(&req, 0, sizeof(req));
    if (credssp_name_inner(&minor, ctx->target, &target) != GSS_S_COMPLETE) {
        return (int)minor;
    }
    if ((ctx->req_flags & GSS_C_DELEG_FLAG) &&
        ctx->cred->kind == CREDSSP_CRED_DEFAULT) {
        /* Default credentials are delegated by forwarding the Kerberos
         * TGT in the first inner token: decide now. */
        ret = decide_delegation(ctx, CREDSSP_POLICY_KIND_DEFAULT,
                                CREDSSP_POLICY_AUTH_KERBEROS);
        if (ret != 0) {
            return ret;
        }
        ctx->delegated_creds = ctx->deleg_allowed;
    }
    ret = credssp_inner_init(&ctx->inner, ctx->cred->inner, target,
                             inner_flags(ctx), ctx->cb, NULL, &token);
    if (ret == 0) {
        TRACE_CREDSSP_INNER_MECH(ctx, "initiator",
                                 ctx->inner.mode == CREDSSP_INNER_SPNEGO
                                     ? "SPNEGO"
                                 : ctx->inner.mode == CREDSSP_INNER_KRB5
                                     ? "krb5"
                                     : "NTLMSSP");
        ret = add_nego_token(&req, &token);
    }
    if (ret == 0) {
        ret = send_request(ctx, &req);
    }
    credssp_buf_free(&token);
    credssp_asn1_ts_request_free(&req);
    return ret;
}

/* A server inner token: answer it; once the inner context can protect
 * data (complete, or an NTLM AUTHENTICATE is going out) send pubKeyAuth
 * with the token and advance. */
static int
client_nego(struct credssp_ctx *ctx, const struct credssp_ts_request *in,
            struct credssp_ts_request *reply)
{
    struct credssp_buf token = { NULL, 0 };
    OM_uint32 minor;
    gss_name_t target;
    int ret, ready;

    if (in->nego_tokens.count != 1) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    }
    if (credssp_name_inner(&minor, ctx->target, &target) != GSS_S_COMPLETE) {
        return (int)minor;
    }
    ret = credssp_inner_init(&ctx->inner, ctx->cred->inner, target,
                             inner_flags(ctx), ctx->cb,
                             &in->nego_tokens.tokens[0], &token);
    if (ret != 0) {
        return ret;
    }
    ready = ctx->inner.complete || credssp_inner_token_is_ntlm_auth(&token);
    if (!ctx->inner.complete && ready) {
        credssp_inner_set_ntlm(&ctx->inner);
    }
    ret = add_nego_token(reply, &token);
    if (ret == 0 && ctx->inner.complete) {
        /* Kept to recognise the server sending it again (below). */
        credssp_buf_free(&ctx->last_nego_in);
        ret = credssp_buf_dup(&ctx->last_nego_in,
                              in->nego_tokens.tokens[0].data,
                              in->nego_tokens.tokens[0].len);
    }
    if (ret == 0 && ready) {
        ret = add_pub_key_auth(ctx, reply, CREDSSP_PUBKEY_CLIENT_TO_SERVER);
        return ret;
    }
    return ret != 0 ? ret : STEP_REPEAT;
}

/* The one inner token of in is the one that completed the inner context
 * (client_nego), byte for byte. */
static int
repeated_nego_token(const struct credssp_ctx *ctx,
                    const struct credssp_ts_request *in)
{
    const struct credssp_buf *t = &in->nego_tokens.tokens[0];

    return ctx->inner.complete && in->nego_tokens.count == 1 &&
           ctx->last_nego_in.data != NULL &&
           t->len == ctx->last_nego_in.len &&
           memcmp(t->data, ctx->last_nego_in.data, t->len) == 0;
}

/* The server's pubKeyAuth (with its final inner token, if any, processed
 * first); then the credentials. */
static int
client_pubkey(struct credssp_ctx *ctx, const struct credssp_ts_request *in,
              struct credssp_ts_request *reply)
{
    struct credssp_buf token = { NULL, 0 }, plain = { NULL, 0 };
    struct credssp_buf creds = { NULL, 0 }, sealed = { NULL, 0 };
    const struct credssp_buf *received = &in->pub_key_auth.value;
    OM_uint32 minor;
    gss_name_t target;
    int ret;

    if (in->nego_tokens.present && repeated_nego_token(ctx, in)) {
        /* FreeRDP 3 servers send their final SPNEGO token (Kerberos)
         * again with their pubKeyAuth.  The completed inner context
         * cannot take it; the same bytes once more carry nothing new. */
        TRACE_CREDSSP_REPEATED_TOKEN(ctx, "initiator",
                                     in->nego_tokens.tokens[0].len);
    } else if (in->nego_tokens.present) {
        if (ctx->inner.complete || in->nego_tokens.count != 1) {
            return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        }
        if (credssp_name_inner(&minor, ctx->target, &target) !=
            GSS_S_COMPLETE) {
            return (int)minor;
        }
        ret = credssp_inner_init(&ctx->inner, ctx->cred->inner, target,
                                 inner_flags(ctx), ctx->cb,
                                 &in->nego_tokens.tokens[0], &token);
        if (ret != 0) {
            return ret;
        }
        if (token.len != 0 || !ctx->inner.complete) {
            credssp_buf_free(&token);
            return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        }
    }
    if (!ctx->inner.complete) {
        return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
    }
    /* A reflected pubKeyAuth (FreeRDP 3 does this): refuse before
     * unwrapping it. */
    ret = credssp_pubkey_check_not_reflected(ctx->sent_pub_key_auth.data,
                                             ctx->sent_pub_key_auth.len,
                                             received->data, received->len);
    if (ret == 0) {
        ret = credssp_inner_unwrap(&ctx->inner, received->data,
                                   received->len, &plain);
    }
    if (ret == 0) {
        ret = credssp_pubkey_verify_server(
            pubkey_form(ctx), ctx->nonce, ctx->server_key.data,
            ctx->server_key.len, plain.data, plain.len);
    }
    credssp_buf_wipe_free(&plain);
    if (ret != 0) {
        return ret;
    }
    TRACE_CREDSSP_PUBKEY(ctx, "initiator", "server binding verified");
    /* SSPI's strictness, where configured: NTLM proves the server knew
     * the user's NTLM key, not who the server is (DESIGN.md 4.4). */
    if (ctx->cred->cfg->strict_mutual_auth &&
        credssp_inner_is_ntlm(&ctx->inner)) {
        return CREDSSP_ERR(CREDSSP_ERR_MUTUAL_AUTH_FAILED);
    }
    ctx->ret_flags |= GSS_C_MUTUAL_FLAG;

    ret = build_credentials(ctx, &creds);
    if (ret == 0) {
        ret = credssp_inner_wrap(&ctx->inner, creds.data, creds.len,
                                 &sealed);
    }
    credssp_buf_wipe_free(&creds);
    if (ret == 0) {
        ret = set_opt(&reply->auth_info, &sealed);
    }
    credssp_buf_free(&sealed);
    return ret;
}

/*
 * The delegation policy (MS-CSSP.md 6.3): the one place that decides
 * whether credentials of kind may go to this target.  Returns 0 when they
 * may (ctx->deleg_allowed), 0 with nothing delegated for Restricted
 * Admin, or the policy's refusal (CREDSSP_ERR_DELEGATION_POLICY,
 * CREDSSP_ERR_POLICY_NTLM_ONLY, CREDSSP_ERR_BAD_NAME for a target that
 * is not an SPN).  Nothing is encrypted before this returns.
 */
static int
decide_delegation(struct credssp_ctx *ctx, enum credssp_policy_kind kind,
                  enum credssp_policy_auth auth)
{
    struct credssp_policy_request req;
    struct credssp_policy_info info;
    enum credssp_policy_decision decision;
    char text[512];

    req.kind = kind;
    req.target = ctx->spn;
    req.auth = auth;
    decision = credssp_policy_evaluate(ctx->cred->policy, &req, &info);
    if (credssp_policy_info_string(&info, text, sizeof(text)) != 0) {
        text[sizeof(text) - 1] = '\0';
    }
    TRACE_CREDSSP_POLICY(ctx, credssp_ctx_role_name(ctx), text);
    ctx->deleg_allowed = decision == CREDSSP_POLICY_ALLOW;
    if (decision == CREDSSP_POLICY_DENY || decision == CREDSSP_POLICY_ERROR) {
        /* gss_display_status names the rule and the SPN. */
        credssp_err_set_detail(info.minor, text);
        return CREDSSP_ERR(info.minor);
    }
    return 0;
}

/*
 * The TSCredentials to send (MS-CSSP.md 4): the user's password when
 * delegation was requested, the credential carries one and the policy
 * allows it; otherwise empty TSPasswordCreds (the Restricted Admin form),
 * which proves the identity without handing anything over.
 */
static int
build_credentials(struct credssp_ctx *ctx, struct credssp_buf *der)
{
    struct credssp_password_creds pw;
    struct credssp_ts_credentials ts;
    const struct credssp_cred *cred = ctx->cred;
    const char *password = "";
    int deleg, ret;

    memset(&pw, 0, sizeof(pw));
    memset(&ts, 0, sizeof(ts));
    deleg = (ctx->req_flags & GSS_C_DELEG_FLAG) != 0 &&
            (cred->kind == CREDSSP_CRED_FRESH ||
             cred->kind == CREDSSP_CRED_SAVED) &&
            cred->password != NULL;
    if (deleg) {
        ret = decide_delegation(ctx,
                                cred->kind == CREDSSP_CRED_SAVED
                                    ? CREDSSP_POLICY_KIND_SAVED
                                    : CREDSSP_POLICY_KIND_FRESH,
                                credssp_inner_is_ntlm(&ctx->inner)
                                    ? CREDSSP_POLICY_AUTH_NTLM
                                    : CREDSSP_POLICY_AUTH_KERBEROS);
        if (ret != 0) {
            return ret;
        }
        deleg = ctx->deleg_allowed;
    }
    if (deleg) {
        password = (const char *)credssp_secret_data(cred->password, NULL);
    }
    ret = credssp_asn1_password_creds_from_utf8(
        deleg ? cred->domain : "", deleg ? cred->user : "", password, &pw);
    if (ret == 0) {
        ret = credssp_asn1_encode_password_creds(&pw, &ts.credentials);
    }
    credssp_asn1_password_creds_free(&pw);
    if (ret == 0) {
        ts.cred_type = CREDSSP_CRED_TYPE_PASSWORD;
        ret = credssp_asn1_encode_ts_credentials(&ts, der);
    }
    credssp_asn1_ts_credentials_free(&ts);
    if (ret != 0) {
        return ret;
    }
    if (cred->kind != CREDSSP_CRED_DEFAULT) {
        ctx->delegated_creds = deleg;
        ctx->delegated_type = deleg ? CREDSSP_CRED_TYPE_PASSWORD : 0;
    }
    TRACE_CREDSSP_DELEGATION(ctx, "initiator",
                             deleg ? "password credentials sent"
                                   : "empty credentials sent",
                             deleg ? cred->domain : "",
                             deleg ? cred->user : "-");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Acceptor rows                                                       */
/* ------------------------------------------------------------------ */

static int
server_nego(struct credssp_ctx *ctx, const struct credssp_ts_request *in,
            struct credssp_ts_request *reply)
{
    struct credssp_buf token = { NULL, 0 };
    int ret;

    if (in->nego_tokens.count != 1) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_MALFORMED);
    }
    ret = credssp_inner_accept(&ctx->inner, ctx->cred->inner, ctx->cb,
                               &in->nego_tokens.tokens[0], &token);
    if (ret != 0) {
        (void)send_error_code(ctx, STATUS_LOGON_FAILURE);
        return ret;
    }
    ret = add_nego_token(reply, &token);
    if (ret != 0) {
        return ret;
    }
    if (!ctx->inner.complete) {
        if (in->pub_key_auth.present) {
            return CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        }
        return STEP_REPEAT;
    }
    TRACE_CREDSSP_INNER_MECH(ctx, "acceptor",
                             credssp_inner_mech_name(ctx->inner.actual_mech));
    /* Extended protection (MS-CSSP.md 7.3) before the client counts. */
    ret = credssp_ep_check_client(ctx);
    if (ret != 0) {
        (void)send_error_code(ctx, STATUS_LOGON_FAILURE);
        return ret;
    }
    return accept_client_identity(ctx);
}

/* The client's pubKeyAuth: verify it, answer with ours. */
static int
server_pubkey(struct credssp_ctx *ctx, const struct credssp_ts_request *in,
              struct credssp_ts_request *reply)
{
    struct credssp_buf plain = { NULL, 0 };
    int ret;

    if (ctx->version >= 5) {
        if (!in->client_nonce.present) {
            return CREDSSP_ERR(CREDSSP_ERR_NONCE_MISSING);
        }
        memcpy(ctx->nonce, in->client_nonce.value.data, CREDSSP_NONCE_LEN);
        ctx->have_nonce = 1;
    }
    ret = credssp_inner_unwrap(&ctx->inner, in->pub_key_auth.value.data,
                               in->pub_key_auth.value.len, &plain);
    if (ret == 0) {
        ret = credssp_pubkey_verify_client(pubkey_form(ctx), ctx->nonce,
                                           ctx->server_key.data,
                                           ctx->server_key.len, plain.data,
                                           plain.len);
    }
    credssp_buf_wipe_free(&plain);
    if (ret != 0) {
        return ret;
    }
    TRACE_CREDSSP_PUBKEY(ctx, "acceptor", "client binding verified");
    return add_pub_key_auth(ctx, reply, CREDSSP_PUBKEY_SERVER_TO_CLIENT);
}

/* The last leg: the delegated credentials. */
static int
server_credentials(struct credssp_ctx *ctx,
                   const struct credssp_ts_request *in,
                   struct credssp_ts_request *reply)
{
    struct credssp_buf plain = { NULL, 0 };
    OM_uint32 minor;
    int ret;

    (void)reply;
    ret = credssp_inner_unwrap(&ctx->inner, in->auth_info.value.data,
                               in->auth_info.value.len, &plain);
    if (ret == 0) {
        ret = check_delegated_user(ctx, &plain);
    }
    if (ret == 0 && ctx->delegated == NULL && plain.len > 0 &&
        (ctx->ret_flags & GSS_C_DELEG_FLAG)) {
        if (credssp_cred_new_delegated(&minor, ctx->cred, &plain,
                                       &ctx->delegated) != GSS_S_COMPLETE) {
            ret = (int)minor;
        }
    }
    if (ret == 0 && ctx->inner.deleg != GSS_C_NO_CREDENTIAL) {
        /* The client's TGT, forwarded in the inner Kerberos context: it
         * belongs to the client the inner context authenticated. */
        if (credssp_cred_add_forwarded(&minor, ctx->cred, &ctx->inner.deleg,
                                       &ctx->delegated) != GSS_S_COMPLETE) {
            ret = (int)minor;
        } else {
            ctx->ret_flags |= GSS_C_DELEG_FLAG;
            if (ctx->delegated_type == 0) {
                ctx->delegated_type = GSS_CREDSSP_DELEGATED_KERBEROS;
            }
            TRACE_CREDSSP_DELEGATION(ctx, "acceptor",
                                     "Kerberos TGT forwarded in the inner "
                                     "context", "", ctx->src_name->text);
        }
    }
    credssp_buf_wipe_free(&plain);
    return ret;
}

/* The authenticated client, from the inner context. */
static int
accept_client_identity(struct credssp_ctx *ctx)
{
    OM_uint32 minor;

    if (ctx->inner.src_name == GSS_C_NO_NAME) {
        credssp_err_set_detail(0, NULL);
        return CREDSSP_ERR(CREDSSP_ERR_INNER_AUTH);
    }
    if (credssp_name_take_inner(&minor, &ctx->inner.src_name,
                                &ctx->src_name) != GSS_S_COMPLETE) {
        return (int)minor;
    }
    TRACE_CREDSSP_CLIENT_NAME(ctx, "acceptor", ctx->src_name->text);
    return 0;
}

/*
 * Decode the TSCredentials, and refuse credentials for another user than
 * the one the inner context authenticated (unless configured otherwise).
 * Empty password credentials delegate nothing (Restricted Admin form).
 */
static int
check_delegated_user(struct credssp_ctx *ctx,
                     const struct credssp_buf *ts_creds)
{
    struct credssp_ts_credentials ts;
    struct credssp_password_creds pw;
    struct credssp_buf domain = { NULL, 0 }, user = { NULL, 0 };
    struct credssp_buf password = { NULL, 0 };
    char *auth_user = NULL, *auth_domain = NULL;
    int ret;

    memset(&ts, 0, sizeof(ts));
    memset(&pw, 0, sizeof(pw));
    ret = credssp_asn1_decode_ts_credentials(ts_creds->data, ts_creds->len,
                                             &ts);
    if (ret == 0) {
        ret = credssp_asn1_check_cred_type(ts.cred_type);
    }
    if (ret != 0) {
        goto done;
    }
    if (ts.cred_type != CREDSSP_CRED_TYPE_PASSWORD) {
        /* Smart-card and Remote Guard credentials are handed over as
         * they are; their identity is checked by whoever uses them. */
        ctx->ret_flags |= GSS_C_DELEG_FLAG;
        ctx->delegated_type = (int)ts.cred_type;
        TRACE_CREDSSP_DELEGATION(ctx, "acceptor",
                                 ts.cred_type == CREDSSP_CRED_TYPE_SMART_CARD
                                     ? "smart-card credentials received"
                                     : "Remote Guard credentials received",
                                 "", "-");
        goto done;
    }
    ret = credssp_asn1_decode_password_creds(ts.credentials.data,
                                             ts.credentials.len, &pw);
    if (ret == 0) {
        ret = credssp_asn1_password_creds_to_utf8(&pw, &domain, &user,
                                                  &password);
    }
    if (ret != 0) {
        goto done;
    }
    if (user.len == 0 && domain.len == 0 && password.len == 0) {
        TRACE_CREDSSP_DELEGATION(ctx, "acceptor",
                                 "empty credentials received", "", "-");
        goto done;
    }
    ret = credssp_name_split_user(ctx->src_name->text, &auth_user,
                                  &auth_domain);
    if (ret != 0) {
        goto done;
    }
    if (ctx->cred->cfg->require_matching_identity &&
        !credssp_name_same_user((const char *)user.data,
                                (const char *)domain.data, auth_user,
                                auth_domain)) {
        TRACE_CREDSSP_DELEGATION(ctx, "acceptor",
                                 "credentials refused: another user",
                                 (const char *)domain.data,
                                 (const char *)user.data);
        ret = CREDSSP_ERR(CREDSSP_ERR_DELEGATED_USER_MISMATCH);
        goto done;
    }
    ctx->ret_flags |= GSS_C_DELEG_FLAG;
    ctx->delegated_type = CREDSSP_CRED_TYPE_PASSWORD;
    TRACE_CREDSSP_DELEGATION(ctx, "acceptor",
                             "password credentials received",
                             (const char *)domain.data,
                             (const char *)user.data);

done:
    free(auth_user);
    free(auth_domain);
    credssp_buf_wipe_free(&domain);
    credssp_buf_wipe_free(&user);
    credssp_buf_wipe_free(&password);
    credssp_asn1_password_creds_free(&pw);
    credssp_asn1_ts_credentials_free(&ts);
    return ret;
}

/* Both roles, on reaching DONE. */
static int
finish(struct credssp_ctx *ctx)
{
    ctx->ret_flags |= GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
                      GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |
                      GSS_C_PROT_READY_FLAG | GSS_C_TRANS_FLAG;
    if (ctx->role == CREDSSP_ROLE_ACCEPTOR) {
        ctx->ret_flags |= GSS_C_MUTUAL_FLAG;
    } else if (ctx->delegated_creds &&
               (ctx->cred->kind != CREDSSP_CRED_DEFAULT ||
                (ctx->inner.flags & GSS_C_DELEG_FLAG))) {
        /* A password went, or the Kerberos TGT was forwarded. */
        ctx->ret_flags |= GSS_C_DELEG_FLAG;
        if (ctx->delegated_type == 0) {
            ctx->delegated_type = GSS_CREDSSP_DELEGATED_KERBEROS;
        }
    }
    /* gss_unwrap takes whole messages, not only handshake-sized legs. */
    credssp_tls_set_input_limit(ctx->tls, CREDSSP_TLS_MESSAGE_INPUT_LIMIT);
    credssp_ctx_release_inner(ctx);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The step                                                            */
/* ------------------------------------------------------------------ */

const char *
credssp_state_name(enum credssp_state state)
{
    if ((size_t)state >= sizeof(state_names) / sizeof(*state_names)) {
        return "?";
    }
    return state_names[state];
}

/*
 * One step of either role; see ctx.h for the contract.  Stages: (1) the
 * TLS handshake; (2)-(4) one TSRequest through the table; (5) the reply.
 */
OM_uint32
credssp_state_step(OM_uint32 *minor, struct credssp_ctx *ctx,
                   const struct credssp_buf *input,
                   struct credssp_buf *output)
{
    struct credssp_ts_request req, reply;
    int ret = 0, done = 0, have = 0;

    memset(&req, 0, sizeof(req));
    memset(&reply, 0, sizeof(reply));
    *minor = 0;
    output->data = NULL;
    output->len = 0;
    if (ctx->state == CREDSSP_STATE_FAILED) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_CONTEXT_FAILED);
        return GSS_S_FAILURE;
    }
    if (ctx->state == CREDSSP_STATE_DONE) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_CONTEXT_ESTABLISHED);
        return GSS_S_FAILURE;
    }
    TRACE_CREDSSP_TOKEN_IN(ctx, credssp_ctx_role_name(ctx),
                           input != NULL ? input->len : 0);

    /* 1. TLS. */
    if (ctx->state == CREDSSP_STATE_START) {
        ret = start_tls(ctx);
        if (ret == 0 && ctx->role == CREDSSP_ROLE_INITIATOR) {
            ret = credssp_pubkey_new_nonce(ctx->nonce);
            ctx->have_nonce = ret == 0;
        }
        if (ret != 0) {
            goto done;
        }
        set_state(ctx, CREDSSP_STATE_TLS);
    }
    if (input != NULL && input->len > 0) {
        ret = credssp_tls_feed(ctx->tls, input->data, input->len);
        if (ret != 0) {
            goto done;
        }
    }
    if (ctx->state == CREDSSP_STATE_TLS) {
        ret = run_handshake(ctx, &done);
        if (ret != 0 || !done) {
            goto done;
        }
        set_state(ctx, CREDSSP_STATE_NEGO);
        /* The inner context's channel bindings exist from now on. */
        ret = credssp_ep_bind_inner(ctx);
        if (ret != 0) {
            goto done;
        }
        if (ctx->role == CREDSSP_ROLE_INITIATOR) {
            /* TLS 1.3: Finished and the first TSRequest share a token. */
            ret = client_first_message(ctx);
            if (ret == 0 && credssp_tls_pending_input(ctx->tls) != 0) {
                /* Nothing may follow the server's flight before our
                 * first TSRequest: read it now, so that hostile bytes
                 * fail this step instead of waiting in the queue. */
                ret = next_message(ctx, &req, &have);
                if (ret == 0 && have) {
                    ret = CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
                }
            }
            goto done;
        }
    }

    /* 2.-4. One TSRequest, if a whole one has arrived. */
    ret = next_message(ctx, &req, &have);
    if (ret == CREDSSP_ERR_TLS_CLOSED &&
        ctx->role == CREDSSP_ROLE_INITIATOR &&
        ctx->state == CREDSSP_STATE_PUBKEY) {
        /* The server saw our authentication and hung up without an
         * errorCode: how FreeRDP 2 servers refuse a logon. */
        ret = CREDSSP_ERR(CREDSSP_ERR_CLOSED_AFTER_AUTH);
    }
    if (ret != 0 || !have) {
        goto done;
    }
    ret = dispatch(ctx, &req, &reply);
    if (ret != 0) {
        goto done;
    }
    if (ctx->plain.len > 0 && ctx->state != CREDSSP_STATE_DONE) {
        /* One TSRequest per leg: a second one cannot be in flight. */
        ret = CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
        goto done;
    }
    if (ctx->plain.len > 0) {
        /* An RDP client sends its first RDP data right behind authInfo,
         * often in the same token: it is the application's, and the
         * first gss_unwrap hands it over. */
        TRACE_CREDSSP_EARLY_DATA(ctx, credssp_ctx_role_name(ctx),
                                 ctx->plain.len);
    }

    /* 5. The reply. */
    if (fields_of(&reply) != 0) {
        ret = send_request(ctx, &reply);
    }
    if (ret == 0 && ctx->state == CREDSSP_STATE_DONE) {
        ret = finish(ctx);
    }

done:
    credssp_asn1_ts_request_free(&req);
    credssp_asn1_ts_request_free(&reply);
    if (ctx->tls != NULL &&
        credssp_tls_take_output(ctx->tls, output) != 0 && ret == 0) {
        ret = ENOMEM;
    }
    TRACE_CREDSSP_TOKEN_OUT(ctx, credssp_ctx_role_name(ctx), output->len);
    if (ret != 0) {
        return fail(minor, ctx, ret);
    }
    return ctx->state == CREDSSP_STATE_DONE ? GSS_S_COMPLETE
                                            : GSS_S_CONTINUE_NEEDED;
}
