/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The inner authentication of CredSSP (DESIGN.md 4.3, MS-CSSP.md 1.3):
 * SPNEGO over {krb5, NTLMSSP}, or bare krb5 or bare NTLMSSP, run through
 * the mechglue (mech/glue.h).  Errors of the inner mechanism are mapped
 * here, at the border, to CREDSSP_ERR_INNER_*; the inner mechanism's own
 * text goes to the trace.
 */
#ifndef CREDSSP_MECH_INNER_H
#define CREDSSP_MECH_INNER_H

#include <gssapi/gssapi.h>

#include "common/buf.h"
#include "common/err.h"
#include "mech/conf.h"

struct credssp_inner {
    const void *owner;      /* the CredSSP context, for traces */
    const char *role;       /* "initiator" / "acceptor" */
    enum credssp_inner_mode mode; /* SPNEGO, KRB5 or NTLMSSP (initiator) */
    gss_ctx_id_t ctx;
    gss_OID actual_mech;    /* negotiated mechanism (static OID) */
    gss_name_t src_name;    /* acceptor: the authenticated client */
    gss_cred_id_t deleg;    /* acceptor: a forwarded Kerberos TGT */
    OM_uint32 flags;        /* ret_flags of the last step */
    OM_uint32 last_major;   /* of the last failed call, for inquiries */
    OM_uint32 last_minor;
    int complete;
};

/* The mechanism OIDs (static). */
extern const gss_OID_desc credssp_oid_spnego;
extern const gss_OID_desc credssp_oid_krb5;
extern const gss_OID_desc credssp_oid_ntlmssp;

/* Acquire an inner credential through the mechglue.  mode AUTO resolves
 * to SPNEGO when Kerberos is usable, else bare NTLMSSP (as Windows does);
 * *mode_out says which.  name/password NULL = the default credentials.
 * ccache non-NULL: the Kerberos credentials of that cache and nothing
 * else (SPNEGO negotiates krb5 only, no NTLM fallback). */
CREDSSP_MUST_CHECK int credssp_inner_acquire(
    gss_name_t name, const char *password, const char *ccache,
    gss_cred_usage_t usage, enum credssp_inner_mode mode,
    gss_cred_id_t *out, enum credssp_inner_mode *mode_out);

/* A new MEMORY credential cache holding the forwarded Kerberos credential
 * forwarded; *ccname its malloc()ed name (destroy it with
 * credssp_inner_destroy_ccache).  Errors as credssp_inner_store_forwarded. */
CREDSSP_MUST_CHECK int credssp_inner_forwarded_ccache(gss_cred_id_t forwarded,
                                                      char **ccname);

/* Destroy the credential cache ccname (best effort; NULL does nothing). */
void credssp_inner_destroy_ccache(const char *ccname);

void credssp_inner_release_cred(gss_cred_id_t *cred);

/* Store a forwarded Kerberos credential (inner->deleg of an acceptor) in
 * the credential cache the cred store names ("ccache"; else the default
 * cache) through the krb5 mechanism.  Returns 0, CREDSSP_ERR_STORE_EXISTS
 * (the cache holds credentials and overwrite is 0) or
 * CREDSSP_ERR_STORE_CCACHE with krb5's reason as the detail. */
CREDSSP_MUST_CHECK int credssp_inner_store_forwarded(
    gss_cred_id_t cred, OM_uint32 overwrite, OM_uint32 default_cred,
    gss_const_key_value_set_t store);

/* One initiator step.  input may be empty on the first step.  *output is
 * set (possibly empty).  Returns 0 (inner->complete says whether the
 * inner context is established) or CREDSSP_ERR_INNER_*. */
CREDSSP_MUST_CHECK int credssp_inner_init(struct credssp_inner *inner,
                                          gss_cred_id_t cred,
                                          gss_name_t target,
                                          OM_uint32 req_flags,
                                          gss_channel_bindings_t cb,
                                          const struct credssp_buf *input,
                                          struct credssp_buf *output);

/* One acceptor step, as above. */
CREDSSP_MUST_CHECK int credssp_inner_accept(struct credssp_inner *inner,
                                            gss_cred_id_t cred,
                                            gss_channel_bindings_t cb,
                                            const struct credssp_buf *input,
                                            struct credssp_buf *output);

/* 1 when an initiator token carries an NTLM AUTHENTICATE message (bare or
 * inside SPNEGO): the inner context can protect data from then on. */
int credssp_inner_token_is_ntlm_auth(const struct credssp_buf *token);

/* Seal data with the inner context (conf_req = 1) into *out, in the SSPI
 * layout peers expect (MS-CSSP.md 5b.2).  CREDSSP_ERR_INNER_PROTECT on
 * failure. */
CREDSSP_MUST_CHECK int credssp_inner_wrap(struct credssp_inner *inner,
                                          const uint8_t *data, size_t len,
                                          struct credssp_buf *out);

/* Unseal into *out (a wiping buffer); the input is copied first, since
 * the mechglue may modify it.  CREDSSP_ERR_INNER_PROTECT on failure,
 * including a token that was not encrypted. */
CREDSSP_MUST_CHECK int credssp_inner_unwrap(struct credssp_inner *inner,
                                            const uint8_t *data, size_t len,
                                            struct credssp_buf *out);

/* Record that the mechanism is NTLMSSP before the inner context says so
 * (an NTLM AUTHENTICATE went out inside SPNEGO). */
void credssp_inner_set_ntlm(struct credssp_inner *inner);

/* 1 when the negotiated mechanism is NTLMSSP. */
int credssp_inner_is_ntlm(const struct credssp_inner *inner);

/* "krb5", "NTLMSSP", "SPNEGO" or "unknown". */
const char *credssp_inner_mech_name(gss_const_OID mech);

/* The SPN the client authenticated to, "service/host" (the realm cut
 * off), malloc()ed into *spn: the Kerberos ticket's service principal,
 * the acceptor name of a complete Kerberos inner context.  *spn is NULL
 * when there is none to tell: NTLM (gss-ntlmssp exposes no
 * MsvAvTargetName), or the name cannot be read.  0 or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_inner_target_spn(struct credssp_inner *inner,
                                                char **spn);

/* Delete the inner context (its keys go with it); the rest of inner, the
 * mechanism and flags it reported, stays.  ctx becomes GSS_C_NO_CONTEXT. */
void credssp_inner_delete_context(struct credssp_inner *inner);

void credssp_inner_free(struct credssp_inner *inner);

#endif /* CREDSSP_MECH_INNER_H */
