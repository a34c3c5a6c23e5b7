/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The CredSSP security context: one per gss_init_sec_context or
 * gss_accept_sec_context exchange, and the per-message state after it.
 */
#ifndef CREDSSP_MECH_CTX_H
#define CREDSSP_MECH_CTX_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <gssapi/gssapi.h>

#include "common/buf.h"
#include "mech/cred.h"
#include "mech/inner.h"
#include "mech/mic.h"
#include "mech/name.h"
#include "mech/tls.h"

#define CREDSSP_OWN_VERSION 6
#define CREDSSP_NONCE_LEN 32
#define CREDSSP_MIC_KEY_LEN 32

enum credssp_role {
    CREDSSP_ROLE_INITIATOR,
    CREDSSP_ROLE_ACCEPTOR
};

/* The states of both roles (MS-CSSP.md 1.3; the diagram is in README). */
enum credssp_state {
    CREDSSP_STATE_START,       /* nothing exchanged yet */
    CREDSSP_STATE_TLS,         /* TLS handshake */
    CREDSSP_STATE_NEGO,        /* inner context legs */
    CREDSSP_STATE_PUBKEY,      /* initiator: awaiting the server's
                                  pubKeyAuth; acceptor: the client's */
    CREDSSP_STATE_CREDENTIALS, /* acceptor: awaiting authInfo */
    CREDSSP_STATE_DONE,
    CREDSSP_STATE_FAILED
};

struct credssp_ctx {
    enum credssp_role role;
    enum credssp_state state;
    struct credssp_cred *cred; /* a reference of our own */
    struct credssp_tls *tls;
    struct credssp_inner inner;
    struct credssp_name *target; /* initiator */
    char *spn;                   /* initiator: "TERMSRV/host" */
    gss_channel_bindings_t cb;   /* for the inner context, this call
                                    only (mech/ep.h) */
    gss_channel_bindings_t app_cb; /* the application's, this call only */
    struct gss_channel_bindings_struct own_cb; /* inner_channel_binding */
    struct credssp_buf own_cb_data;            /* its application_data */
    int own_cb_ready;

    OM_uint32 req_flags;
    OM_uint32 ret_flags;
    int raw_wire; /* initiator: no GSS header on the first token */

    uint32_t own_version;
    uint32_t peer_version; /* 0 until the peer's first TSRequest */
    uint32_t version;      /* effective: min(own, peer) */

    uint8_t nonce[CREDSSP_NONCE_LEN];
    int have_nonce;
    struct credssp_buf server_key; /* subjectPublicKey pubKeyAuth binds */
    struct credssp_buf sent_pub_key_auth; /* initiator: what we sent */
    struct credssp_buf last_nego_in; /* initiator: the server's final
                                      * inner token */

    struct credssp_buf plain; /* decrypted bytes of a partial TSRequest */

    struct credssp_name *src_name;  /* acceptor: the client */
    struct credssp_cred *delegated; /* acceptor: TSCredentials received */
    int delegated_creds;            /* initiator: something delegated */
    int deleg_allowed;              /* initiator: the policy's verdict */
    int delegated_type;             /* credType delegated, 0 for none */

    int has_error_code; /* initiator: errorCode the server sent */
    uint32_t error_code;
    OM_uint32 failed_minor; /* the minor a FAILED context repeats */

    /* NTLM: the inner context is released at establishment; what the
     * inquiries need of it stays (credssp_ctx_release_inner). */
    int inner_released;
    struct credssp_name *inner_src, *inner_targ; /* its names, or NULL */
    time_t expiry; /* the end of its lifetime; 0: indefinite */

    /* Per-message protection after establishment (mech/wrap.c). */
    pthread_mutex_t mic_lock; /* the first MIC call derives the keys */
    int mic_ready;
    uint8_t mic_key_send[CREDSSP_MIC_KEY_LEN];
    uint8_t mic_key_recv[CREDSSP_MIC_KEY_LEN];
    uint64_t mic_seq_send;
    struct credssp_mic_window mic_recv;
    struct credssp_wrap_seen *wrap_seen; /* replay window, mech/wrap.c */
};

/* A new, empty context of role.  ENOMEM or 0. */
CREDSSP_MUST_CHECK int credssp_ctx_new(enum credssp_role role,
                                       struct credssp_ctx **out);

/* Release everything, wiping keys and secrets.  Accepts NULL. */
void credssp_ctx_free(struct credssp_ctx **ctx);

/* "initiator" / "acceptor", for traces. */
const char *credssp_ctx_role_name(const struct credssp_ctx *ctx);

/* On establishment: release an NTLM inner context, keeping its names and
 * lifetime for the inquiries (best effort: on failure it stays). */
void credssp_ctx_release_inner(struct credssp_ctx *ctx);

/*
 * The state machine (mech/state.c).  One step with one input token (may be
 * empty on the initiator's first step); *output receives the token to send
 * (possibly empty, even on failure: an errorCode or a TLS alert for the
 * peer).  Returns GSS_S_COMPLETE, GSS_S_CONTINUE_NEEDED or an error major
 * with *minor set; on error the context is left in CREDSSP_STATE_FAILED.
 */
OM_uint32 credssp_state_step(OM_uint32 *minor, struct credssp_ctx *ctx,
                             const struct credssp_buf *input,
                             struct credssp_buf *output);

/* init.c and accept.c: empty every output (0), or -1 when a required
 * output pointer is missing. */
int credssp_ctx_clear_outputs(OM_uint32 *minor, gss_ctx_id_t *context_handle,
                              gss_buffer_t output_token, gss_OID *mech_type,
                              OM_uint32 *ret_flags, OM_uint32 *time_rec);

/* init.c and accept.c: one step with the caller's channel bindings; the
 * flags, and the lifetime on completion, go to the caller's outputs. */
OM_uint32 credssp_ctx_step(OM_uint32 *minor, struct credssp_ctx *ctx,
                           gss_channel_bindings_t cb,
                           const struct credssp_buf *in,
                           struct credssp_buf *out, OM_uint32 *ret_flags,
                           OM_uint32 *time_rec);

/* "TLS", "NEGO", ... for traces. */
const char *credssp_state_name(enum credssp_state state);

#endif /* CREDSSP_MECH_CTX_H */
