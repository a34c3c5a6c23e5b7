/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * CredSSP credentials (DESIGN.md 4.5):
 *   initiator  a user (fresh: with a password; default: the logged-on
 *              user's Kerberos ccache or gss-ntlmssp defaults) and the
 *              inner credential acquired through the mechglue;
 *   acceptor   the TLS certificate source and the inner acceptor
 *              credential (keytab, gss-ntlmssp user file);
 *   delegated  what a client delegated to an acceptor: TSCredentials.
 * Each carries the configuration it was acquired under.
 */
#ifndef CREDSSP_MECH_CRED_H
#define CREDSSP_MECH_CRED_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "common/buf.h"
#include "common/secret.h"
#include "mech/conf.h"
#include "mech/name.h"
#include "policy/ep.h"
#include "policy/policy.h"

enum credssp_cred_kind {
    CREDSSP_CRED_DEFAULT = 0, /* logged-on user, no password */
    CREDSSP_CRED_FRESH = 1,   /* password supplied for this use */
    CREDSSP_CRED_DELEGATED = 2,
    CREDSSP_CRED_SAVED = 3    /* from the saved-credentials file */
};

struct credssp_cred {
    unsigned int refs; /* contexts share credentials */
    gss_cred_usage_t usage;
    enum credssp_cred_kind kind;
    struct credssp_config *cfg;
    struct credssp_policy *policy; /* [delegation], parsed */
    struct credssp_ep_policy *ep;  /* [extended_protection], parsed */
    enum credssp_inner_cb inner_cb; /* [credssp] inner_channel_binding */

    /* Initiator: who, and the user's secret for TSPasswordCreds. */
    struct credssp_name *name; /* NULL for default credentials */
    char *user;                /* as sent in TSPasswordCreds, UTF-8 */
    char *domain;
    struct credssp_secret *password;

    /* The inner credentials (mechglue handles), acquired lazily:
     * spnego is a union credential holding SPNEGO (and, for an acceptor,
     * krb5 and NTLMSSP too); bare is krb5 or NTLMSSP alone. */
    gss_cred_id_t inner;
    enum credssp_inner_mode inner_mode; /* the mode in effect (never AUTO) */
    enum credssp_wire wire;
    char *saved_file;  /* initiator: saved-credentials file */
    char *ccache;      /* initiator: the Kerberos cache to use, or NULL */
    int own_ccache;    /* ccache is ours (a forwarded TGT): destroyed
                        * with the credential */
    int deferred;      /* default credential: settled per target */
    char *certificate; /* acceptor overrides from the cred store */
    char *key;

    /* Delegated: the decrypted TSCredentials and, for passwords, its
     * fields; and the Kerberos credential the client forwarded through
     * the inner context (delegation of default credentials), if any. */
    struct credssp_buf ts_credentials; /* wiped on release */
    int cred_type;
    gss_cred_id_t forwarded; /* mechglue handle, krb5 inside */
};

/* Acquire a credential (the common path of all acquire entry points).
 * name may be NULL; password non-NULL makes a fresh credential. */
OM_uint32 credssp_cred_acquire(OM_uint32 *minor, struct credssp_name *name,
                               const struct credssp_secret *password,
                               gss_const_key_value_set_t store,
                               gss_cred_usage_t usage,
                               struct credssp_cred **out);

/* A delegated credential holding a copy of the DER TSCredentials, under
 * the configuration and delegation policy of service (the acceptor's
 * credential that received it). */
OM_uint32 credssp_cred_new_delegated(OM_uint32 *minor,
                                     const struct credssp_cred *service,
                                     const struct credssp_buf *ts_creds,
                                     struct credssp_cred **out);

/* A delegated credential holding *forwarded (taken over: set to
 * GSS_C_NO_CREDENTIAL), the Kerberos credential the client forwarded
 * through the inner context.  *out may already be a delegated credential
 * (the client also sent a password): the forwarded one is added to it. */
OM_uint32 credssp_cred_add_forwarded(OM_uint32 *minor,
                                     const struct credssp_cred *service,
                                     gss_cred_id_t *forwarded,
                                     struct credssp_cred **out);

/* The credential a new context of usage GSS_C_INITIATE or GSS_C_ACCEPT
 * runs with: a reference to cred_handle, or the default credential when
 * it is GSS_C_NO_CREDENTIAL; with a saved-credentials file, the entry for
 * spn (the initiator's target SPN, or NULL).  GSS_S_NO_CRED for a
 * credential of the other usage. */
OM_uint32 credssp_cred_for_context(OM_uint32 *minor,
                                   gss_cred_id_t cred_handle,
                                   gss_cred_usage_t usage, const char *spn,
                                   struct credssp_cred **out);

/* Another reference to cred (contexts keep one). */
struct credssp_cred *credssp_cred_ref(struct credssp_cred *cred);

/* Drop a reference; the last one wipes and frees.  Accepts NULL. */
void credssp_cred_free(struct credssp_cred **cred);

#endif /* CREDSSP_MECH_CRED_H */
