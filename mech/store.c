/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * gss_store_cred_into (RFC 5588, MIT's cred-store extension): a
 * credential holding a password -- the one a client delegated, as
 * gss_accept_sec_context hands it over, or a fresh one -- becomes a
 * Kerberos TGT in a credential cache, by an AS exchange with that
 * password.  A delegated credential holding the client's forwarded TGT
 * (delegation of default credentials) is stored as it is, by the krb5
 * mechanism.  Afterwards any krb5 program (klist, a second hop through
 * SPNEGO or CredSSP with default credentials) uses the cache.
 *
 * The client principal: the delegated user name when it is a principal
 * ("user@REALM"); else user@DOMAIN when the domain is a DNS name (the
 * realm in upper case); else the user in the default realm (an NTLM
 * domain such as "CORP" names no realm).  The password is read from the
 * credential's secret holder and never copied outside it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

#include "common/err.h"
#include "common/secret.h"
#include "include/gssapi/gssapi_credssp.h"
#include "mech/cred.h"
#include "mech/inner.h"
#include "mech/mech.h"

/* The cred-store key naming the cache, as MIT's krb5 mechanism has it. */
#define STORE_CCACHE "ccache"

struct store_job {
    krb5_context kctx;
    krb5_principal client;
    krb5_ccache cc;
    krb5_creds creds;
    int have_creds;
};

static OM_uint32 fail(OM_uint32 *minor, int code);
static OM_uint32 fail_krb5(OM_uint32 *minor, struct store_job *job,
                           int code, krb5_error_code kret);
static const char *store_value(gss_const_key_value_set_t store,
                               const char *key);
static krb5_error_code client_principal(krb5_context kctx,
                                        const struct credssp_cred *cred,
                                        krb5_principal *out);
static int kdc_refusal(krb5_error_code kret);
static OM_uint32 set_outputs(OM_uint32 *minor, gss_OID_set *elements,
                             gss_cred_usage_t *usage_stored);

static OM_uint32
fail(OM_uint32 *minor, int code)
{
    *minor = (OM_uint32)code;
    return credssp_err_major(code);
}

/* code, with libkrb5's text for kret as its detail (no secret in it). */
static OM_uint32
fail_krb5(OM_uint32 *minor, struct store_job *job, int code,
          krb5_error_code kret)
{
    const char *text = krb5_get_error_message(job->kctx, kret);

    credssp_err_set_detail(code, text);
    krb5_free_error_message(job->kctx, text);
    return fail(minor, CREDSSP_ERR(code));
}

static const char *
store_value(gss_const_key_value_set_t store, const char *key)
{
    OM_uint32 i;

    if (store == GSS_C_NO_CRED_STORE) {
        return NULL;
    }
    for (i = 0; i < store->count; i++) {
        if (strcmp(store->elements[i].key, key) == 0) {
            return store->elements[i].value;
        }
    }
    return NULL;
}

static krb5_error_code
client_principal(krb5_context kctx, const struct credssp_cred *cred,
                 krb5_principal *out)
{
    const char *user = cred->user, *domain = cred->domain;
    krb5_error_code kret;
    char *text;
    size_t ulen, dlen, i;

    if (strchr(user, '@') != NULL || domain == NULL ||
        strchr(domain, '.') == NULL) {
        return krb5_parse_name(kctx, user, out);
    }
    ulen = strlen(user);
    dlen = strlen(domain);
    text = malloc(ulen + 1 + dlen + 1);
    if (text == NULL) {
        return ENOMEM;
    }
    memcpy(text, user, ulen);
    text[ulen] = '@';
    for (i = 0; i < dlen; i++) {
        text[ulen + 1 + i] = (char)toupper((unsigned char)domain[i]);
    }
    text[ulen + 1 + dlen] = '\0';
    kret = krb5_parse_name(kctx, text, out);
    free(text);
    return kret;
}

/* The KDC answered and said no (as opposed to: could not be asked). */
static int
kdc_refusal(krb5_error_code kret)
{
    switch (kret) {
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_KEY_EXP:
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_POLICY:
        return 1;
    default:
        return 0;
    }
}

static OM_uint32
set_outputs(OM_uint32 *minor, gss_OID_set *elements,
            gss_cred_usage_t *usage_stored)
{
    OM_uint32 major, tmp;

    if (usage_stored != NULL) {
        *usage_stored = GSS_C_INITIATE;
    }
    if (elements == NULL) {
        return GSS_S_COMPLETE;
    }
    major = gss_create_empty_oid_set(minor, elements);
    if (major == GSS_S_COMPLETE) {
        major = gss_add_oid_set_member(minor, gss_mech_krb5,
                                       elements);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, elements);
        return fail(minor, ENOMEM);
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_store_cred_into(OM_uint32 *minor_status,
                        gss_cred_id_t input_cred_handle,
                        gss_cred_usage_t input_usage,
                        const gss_OID desired_mech, OM_uint32 overwrite_cred,
                        OM_uint32 default_cred,
                        gss_const_key_value_set_t cred_store,
                        gss_OID_set *elements_stored,
                        gss_cred_usage_t *cred_usage_stored)
{
    struct credssp_cred *cred = (struct credssp_cred *)input_cred_handle;
    struct store_job job;
    krb5_principal existing = NULL;
    krb5_error_code kret;
    const char *ccname;
    const uint8_t *password;
    size_t len;
    OM_uint32 major;
    int ret;

    (void)default_cred; /* the default cache, or the one named */
    *minor_status = 0;
    memset(&job, 0, sizeof(job));
    if (elements_stored != NULL) {
        *elements_stored = GSS_C_NO_OID_SET;
    }
    if (cred == NULL) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_STORE_NO_PASSWORD));
    }
    if (desired_mech != GSS_C_NO_OID &&
        !gss_oid_equal(desired_mech, GSS_CREDSSP_MECH_OID) &&
        !gss_oid_equal(desired_mech, &credssp_oid_krb5)) {
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_WRONG_MECH);
        return GSS_S_BAD_MECH;
    }
    if (input_usage == GSS_C_ACCEPT) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_STORE_NO_PASSWORD));
    }
    if (cred->forwarded != GSS_C_NO_CREDENTIAL) {
        /* The client's own TGT: stored as it came, no KDC involved. */
        ret = credssp_inner_store_forwarded(cred->forwarded, overwrite_cred,
                                            default_cred, cred_store);
        if (ret != 0) {
            return fail(minor_status, ret);
        }
        return set_outputs(minor_status, elements_stored, cred_usage_stored);
    }
    if (cred->password == NULL || cred->user == NULL) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_STORE_NO_PASSWORD));
    }
    password = credssp_secret_data(cred->password, &len);

    kret = krb5_init_context(&job.kctx);
    if (kret != 0) {
        job.kctx = NULL;
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_STORE_CCACHE));
    }
    kret = client_principal(job.kctx, cred, &job.client);
    if (kret != 0) {
        major = fail_krb5(minor_status, &job, CREDSSP_ERR_PASSWORD_REFUSED,
                          kret);
        goto done;
    }
    ccname = store_value(cred_store, STORE_CCACHE);
    kret = ccname != NULL ? krb5_cc_resolve(job.kctx, ccname, &job.cc)
                          : krb5_cc_default(job.kctx, &job.cc);
    if (kret != 0) {
        job.cc = NULL;
        major = fail_krb5(minor_status, &job, CREDSSP_ERR_STORE_CCACHE,
                          kret);
        goto done;
    }
    if (!overwrite_cred &&
        krb5_cc_get_principal(job.kctx, job.cc, &existing) == 0) {
        krb5_free_principal(job.kctx, existing);
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_STORE_EXISTS);
        major = GSS_S_DUPLICATE_ELEMENT;
        goto done;
    }
    kret = krb5_get_init_creds_password(job.kctx, &job.creds, job.client,
                                        (const char *)password, NULL, NULL,
                                        0, NULL, NULL);
    if (kret != 0) {
        major = fail_krb5(minor_status, &job,
                          kdc_refusal(kret) ? CREDSSP_ERR_PASSWORD_REFUSED
                                            : CREDSSP_ERR_KDC_UNREACHABLE,
                          kret);
        goto done;
    }
    job.have_creds = 1;
    kret = krb5_cc_initialize(job.kctx, job.cc, job.client);
    if (kret == 0) {
        kret = krb5_cc_store_cred(job.kctx, job.cc, &job.creds);
    }
    if (kret != 0) {
        major = fail_krb5(minor_status, &job, CREDSSP_ERR_STORE_CCACHE,
                          kret);
        goto done;
    }
    major = set_outputs(minor_status, elements_stored, cred_usage_stored);

done:
    if (job.have_creds) {
        krb5_free_cred_contents(job.kctx, &job.creds);
    }
    if (job.cc != NULL) {
        krb5_cc_close(job.kctx, job.cc);
    }
    krb5_free_principal(job.kctx, job.client);
    krb5_free_context(job.kctx);
    return major;
}
