/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Credentials (DESIGN.md 4.5) and the gss_*_cred entry points.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gssapi/gssapi_ext.h>

#include "asn1/codec.h"
#include "common/zap.h"
#include "mech/cred.h"
#include "mech/ep.h"
#include "mech/glue.h"
#include "mech/inner.h"
#include "mech/mech.h"
#include "mech/saved.h"
#include "mech/tls.h"
#include "mech/trace.h"

/* The values the cred store gave us (borrowed from the store). */
struct store_values {
    const char *username;
    const char *password;
    const char *domain;
    const char *certificate;
    const char *key;
    const char *wire;
    const char *inner;
    const char *saved;
    const char *ccache;
    gss_const_key_value_set_t store; /* for mech/ep.c's keys */
};

static OM_uint32 fail(OM_uint32 *minor, int code);
static int new_delegated(const struct credssp_cred *service,
                         struct credssp_cred **out);
static OM_uint32 resolve_delegated(OM_uint32 *minor,
                                   const struct credssp_cred *cred,
                                   struct credssp_cred **out);
static OM_uint32 resolve_forwarded(OM_uint32 *minor,
                                   const struct credssp_cred *cred,
                                   struct credssp_cred **out);
static OM_uint32 resolve_saved(OM_uint32 *minor,
                               const struct credssp_cred *cred,
                               const char *spn, struct credssp_cred **out);
static OM_uint32 adopt_settings(OM_uint32 *minor,
                                struct credssp_cred *settled,
                                const struct credssp_cred *from);
static OM_uint32 acquire_now(OM_uint32 *minor, struct credssp_name *name,
                             const struct credssp_secret *password,
                             gss_const_key_value_set_t store,
                             struct credssp_cred **out);

/* Set while acquire_now() runs: no deferral (this thread only). */
static __thread int no_defer;
static int read_store(gss_const_key_value_set_t store,
                      struct store_values *v);
static int apply_store(struct credssp_cred *cred,
                       const struct store_values *v);
static int set_user(struct credssp_cred *cred, const char *text,
                    const char *domain);
static int load_config(struct credssp_cred *cred);
static const char *usage_name(gss_cred_usage_t usage);
static const char *kind_name(enum credssp_cred_kind kind);
static OM_uint32 set_oid_set(OM_uint32 *minor, gss_OID_set *out);
static OM_uint32 acquire_entry(OM_uint32 *minor, gss_name_t desired_name,
                               const struct credssp_secret *password,
                               gss_const_key_value_set_t store,
                               gss_cred_usage_t usage,
                               gss_cred_id_t *output_cred_handle,
                               gss_OID_set *actual_mechs,
                               OM_uint32 *time_rec);
static int clear_outputs(OM_uint32 *minor, gss_cred_id_t *output_cred_handle,
                         gss_OID_set *actual_mechs, OM_uint32 *time_rec);

static OM_uint32
fail(OM_uint32 *minor, int code)
{
    *minor = (OM_uint32)code;
    return credssp_err_major(code);
}

static int
read_store(gss_const_key_value_set_t store, struct store_values *v)
{
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        { GSS_CREDSSP_STORE_USERNAME,
          offsetof(struct store_values, username) },
        { GSS_CREDSSP_STORE_PASSWORD,
          offsetof(struct store_values, password) },
        { GSS_CREDSSP_STORE_DOMAIN, offsetof(struct store_values, domain) },
        { GSS_CREDSSP_STORE_CERTIFICATE,
          offsetof(struct store_values, certificate) },
        { GSS_CREDSSP_STORE_KEY, offsetof(struct store_values, key) },
        { GSS_CREDSSP_STORE_WIRE, offsetof(struct store_values, wire) },
        { GSS_CREDSSP_STORE_INNER, offsetof(struct store_values, inner) },
        { GSS_CREDSSP_STORE_SAVED_CREDENTIALS,
          offsetof(struct store_values, saved) },
        { GSS_CREDSSP_STORE_CCACHE, offsetof(struct store_values, ccache) },
    };
    const char **slot;
    OM_uint32 i;
    size_t k;

    memset(v, 0, sizeof(*v));
    v->store = store;
    if (store == GSS_C_NO_CRED_STORE) {
        return 0;
    }
    /* Keys of other mechanisms (ccache, keytab, ...) are theirs. */
    for (i = 0; i < store->count; i++) {
        for (k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
            if (strcmp(store->elements[i].key, keys[k].key) != 0) {
                continue;
            }
            slot = (const char **)((char *)v + keys[k].offset);
            if (*slot != NULL) {
                return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
            }
            *slot = store->elements[i].value;
        }
    }
    return 0;
}

/* The configuration and its delegation policy.  Any error fails closed;
 * the trace and gss_display_status give the file, line and reason. */
static int
load_config(struct credssp_cred *cred)
{
    struct credssp_config_error err;
    struct credssp_policy_error perr;
    int ret;

    ret = credssp_config_load(&cred->cfg, &err);
    if (ret != 0) {
        return ret;
    }
    cred->wire = cred->cfg->wire;
    cred->inner_mode = cred->cfg->inner;
    ret = credssp_config_policy(cred->cfg, &cred->policy, &perr);
    if (ret != 0 && ret != ENOMEM) {
        credssp_config_report(ret, perr.file, perr.line, perr.text);
    }
    return ret;
}

static int
set_user(struct credssp_cred *cred, const char *text, const char *domain)
{
    char *user = NULL, *dom = NULL;
    int ret;

    ret = credssp_name_split_user(text, &user, &dom);
    if (ret != 0) {
        return ret;
    }
    /* "user@REALM" stays whole in TSPasswordCreds (a UPN, domain ""),
     * as Windows clients send it; "DOMAIN\user" is split. */
    if (strchr(text, '\\') == NULL) {
        free(user);
        free(dom);
        user = strdup(text);
        dom = strdup(domain != NULL ? domain : "");
        if (user == NULL || dom == NULL) {
            free(user);
            free(dom);
            return ENOMEM;
        }
    } else if (domain != NULL && strcasecmp(domain, dom) != 0) {
        free(user);
        free(dom);
        return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
    }
    cred->user = user;
    cred->domain = dom;
    return 0;
}

static int
apply_store(struct credssp_cred *cred, const struct store_values *v)
{
    int ret = 0;

    if (v->wire != NULL) {
        ret = credssp_config_parse_wire(v->wire, &cred->wire);
    }
    if (ret == 0 && v->inner != NULL) {
        ret = credssp_config_parse_inner(v->inner, &cred->inner_mode);
    }
    if (ret != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    ret = credssp_ep_load(cred->cfg, v->store, &cred->ep, &cred->inner_cb);
    if (ret != 0) {
        return ret;
    }
    if (v->saved != NULL || cred->cfg->saved_credentials != NULL) {
        cred->saved_file = strdup(v->saved != NULL
                                      ? v->saved
                                      : cred->cfg->saved_credentials);
        if (cred->saved_file == NULL) {
            return ENOMEM;
        }
    }
    if (v->ccache != NULL) {
        cred->ccache = strdup(v->ccache);
        if (cred->ccache == NULL) {
            return ENOMEM;
        }
    }
    if ((v->certificate == NULL) != (v->key == NULL)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (v->certificate != NULL) {
        cred->certificate = strdup(v->certificate);
        cred->key = strdup(v->key);
        if (cred->certificate == NULL || cred->key == NULL) {
            return ENOMEM;
        }
    }
    return 0;
}

static const char *
usage_name(gss_cred_usage_t usage)
{
    return usage == GSS_C_INITIATE ? "initiate"
           : usage == GSS_C_ACCEPT ? "accept"
                                   : "both";
}

static const char *
kind_name(enum credssp_cred_kind kind)
{
    return kind == CREDSSP_CRED_FRESH       ? "fresh"
           : kind == CREDSSP_CRED_DELEGATED ? "delegated"
           : kind == CREDSSP_CRED_SAVED     ? "saved"
                                            : "default";
}

static OM_uint32
set_oid_set(OM_uint32 *minor, gss_OID_set *out)
{
    OM_uint32 major, tmp;

    major = gss_create_empty_oid_set(minor, out);
    if (major == GSS_S_COMPLETE) {
        major = gss_add_oid_set_member(minor, GSS_CREDSSP_MECH_OID, out);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, out);
    }
    return major;
}

/*
 * The common path of every acquisition.  An initiator credential names a
 * user (from name, or the store's "username") or is the default one; a
 * password makes it fresh.  The inner credential is acquired now, so a
 * missing Kerberos ticket or NTLM identity fails here rather than in the
 * middle of an exchange.  Acceptors acquire the inner acceptor credential
 * (keytab, NTLM user file) the same way.
 */
OM_uint32
credssp_cred_acquire(OM_uint32 *minor, struct credssp_name *name,
                     const struct credssp_secret *password,
                     gss_const_key_value_set_t store, gss_cred_usage_t usage,
                     struct credssp_cred **out)
{
    struct credssp_cred *cred = NULL;
    struct store_values v;
    gss_name_t inner_name = GSS_C_NO_NAME;
    const char *pw = NULL;
    OM_uint32 major = GSS_S_COMPLETE;
    int ret;

    *minor = 0;
    ret = read_store(store, &v);
    if (ret != 0) {
        return fail(minor, ret);
    }
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL) {
        return fail(minor, ENOMEM);
    }
    cred->refs = 1;
    cred->usage = usage;
    cred->kind = CREDSSP_CRED_DEFAULT;
    ret = load_config(cred);
    if (ret == 0) {
        ret = apply_store(cred, &v);
    }
    if (ret == 0 && usage != GSS_C_INITIATE) {
        /* An unreadable certificate or key fails here, not at the first
         * client. */
        ret = credssp_tls_check_cert_files(
            cred->certificate != NULL ? cred->certificate
                                      : cred->cfg->certificate,
            cred->certificate != NULL ? cred->key : cred->cfg->key);
    }
    if (ret != 0) {
        goto done;
    }

    if (name == NULL && v.username != NULL) {
        major = credssp_name_new(minor, v.username, strlen(v.username),
                                 GSS_C_NT_USER_NAME, &cred->name);
        if (major != GSS_S_COMPLETE) {
            goto done;
        }
    } else if (name != NULL) {
        major = credssp_name_copy(minor, name, &cred->name);
        if (major != GSS_S_COMPLETE) {
            goto done;
        }
    }
    if (password == NULL && v.password != NULL) {
        ret = credssp_secret_new(CREDSSP_SECRET_PASSWORD, v.password,
                                 strlen(v.password), &cred->password);
    } else if (password != NULL) {
        ret = credssp_secret_copy(password, &cred->password);
    }
    if (ret != 0) {
        goto done;
    }
    if (cred->password != NULL) {
        if (cred->name == NULL || usage == GSS_C_ACCEPT) {
            ret = CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
            goto done;
        }
        cred->kind = CREDSSP_CRED_FRESH;
        pw = (const char *)credssp_secret_data(cred->password, NULL);
    }
    if (cred->name != NULL && usage != GSS_C_ACCEPT) {
        ret = set_user(cred, cred->name->text, v.domain);
        if (ret != 0) {
            goto done;
        }
        major = credssp_name_inner(minor, cred->name, &inner_name);
        if (major != GSS_S_COMPLETE) {
            goto done;
        }
    }
    if (usage == GSS_C_INITIATE && cred->name == NULL &&
        cred->password == NULL && cred->saved_file != NULL && !no_defer) {
        /* Saved credentials are chosen by target when a context starts;
         * the logged-on user's are acquired then if none is saved. */
        cred->deferred = 1;
        TRACE_CREDSSP_CRED_ACQUIRED(cred, usage_name(usage), "saved",
                                    "(per target)");
        goto done;
    }
    if (cred->inner_mode == CREDSSP_INNER_AUTO && cred->name != NULL &&
        strchr(cred->name->text, '\\') != NULL) {
        /* "DOMAIN\user" names an NTLM account; a Kerberos principal is
         * "user@REALM".  Only the latter is tried with Kerberos, and a
         * KDC that refuses it is final (no silent NTLM downgrade). */
        cred->inner_mode = CREDSSP_INNER_NTLMSSP;
    }
    ret = credssp_inner_acquire(usage == GSS_C_ACCEPT ? GSS_C_NO_NAME
                                                      : inner_name,
                                pw,
                                usage == GSS_C_INITIATE && pw == NULL
                                    ? cred->ccache
                                    : NULL,
                                usage, cred->inner_mode, &cred->inner,
                                &cred->inner_mode);
    if (ret != 0) {
        goto done;
    }
    TRACE_CREDSSP_CRED_ACQUIRED(cred, usage_name(usage),
                                kind_name(cred->kind),
                                cred->user != NULL ? cred->user : "(default)");

done:
    if (ret != 0) {
        major = fail(minor, ret);
    }
    if (major == GSS_S_COMPLETE) {
        *out = cred;
    } else {
        credssp_cred_free(&cred);
    }
    return major;
}

/* An empty delegated credential, under the configuration (and delegation
 * policy) of the service receiving it. */
static int
new_delegated(const struct credssp_cred *service, struct credssp_cred **out)
{
    struct credssp_cred *cred;
    OM_uint32 minor;

    cred = calloc(1, sizeof(*cred));
    if (cred == NULL) {
        return ENOMEM;
    }
    cred->refs = 1;
    cred->usage = GSS_C_INITIATE;
    cred->kind = CREDSSP_CRED_DELEGATED;
    cred->inner_mode = service->cfg->inner;
    if (adopt_settings(&minor, cred, service) != GSS_S_COMPLETE) {
        credssp_cred_free(&cred);
        return (int)minor;
    }
    *out = cred;
    return 0;
}

OM_uint32
credssp_cred_add_forwarded(OM_uint32 *minor,
                           const struct credssp_cred *service,
                           gss_cred_id_t *forwarded, struct credssp_cred **out)
{
    int ret;

    *minor = 0;
    if (*out == NULL) {
        ret = new_delegated(service, out);
        if (ret != 0) {
            return fail(minor, ret);
        }
    }
    credssp_inner_release_cred(&(*out)->forwarded);
    (*out)->forwarded = *forwarded;
    *forwarded = GSS_C_NO_CREDENTIAL;
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_cred_new_delegated(OM_uint32 *minor,
                           const struct credssp_cred *service,
                           const struct credssp_buf *ts_creds,
                           struct credssp_cred **out)
{
    struct credssp_ts_credentials ts;
    struct credssp_password_creds pw;
    struct credssp_buf domain = { NULL, 0 }, user = { NULL, 0 };
    struct credssp_buf password = { NULL, 0 };
    struct credssp_cred *cred = NULL;
    int ret;

    memset(&ts, 0, sizeof(ts));
    memset(&pw, 0, sizeof(pw));
    *minor = 0;
    ret = new_delegated(service, &cred);
    if (ret == 0) {
        ret = credssp_buf_dup(&cred->ts_credentials, ts_creds->data,
                              ts_creds->len);
    }
    if (ret == 0) {
        ret = credssp_asn1_decode_ts_credentials(ts_creds->data,
                                                 ts_creds->len, &ts);
    }
    if (ret != 0) {
        goto done;
    }
    cred->cred_type = (int)ts.cred_type;
    if (ts.cred_type == CREDSSP_CRED_TYPE_PASSWORD) {
        ret = credssp_asn1_decode_password_creds(ts.credentials.data,
                                                 ts.credentials.len, &pw);
        if (ret == 0) {
            ret = credssp_asn1_password_creds_to_utf8(&pw, &domain, &user,
                                                      &password);
        }
        if (ret == 0) {
            ret = credssp_secret_new(CREDSSP_SECRET_PASSWORD, password.data,
                                     password.len, &cred->password);
        }
        if (ret == 0) {
            cred->user = strdup((const char *)user.data);
            cred->domain = strdup((const char *)domain.data);
            if (cred->user == NULL || cred->domain == NULL) {
                ret = ENOMEM;
            }
        }
    }

done:
    credssp_buf_wipe_free(&domain);
    credssp_buf_wipe_free(&user);
    credssp_buf_wipe_free(&password);
    credssp_asn1_password_creds_free(&pw);
    credssp_asn1_ts_credentials_free(&ts);
    if (ret != 0) {
        credssp_cred_free(&cred);
        return fail(minor, ret);
    }
    *out = cred;
    return GSS_S_COMPLETE;
}

struct credssp_cred *
credssp_cred_ref(struct credssp_cred *cred)
{
    __atomic_add_fetch(&cred->refs, 1, __ATOMIC_RELAXED);
    return cred;
}

void
credssp_cred_free(struct credssp_cred **cred)
{
    struct credssp_cred *c;

    if (cred == NULL || *cred == NULL) {
        return;
    }
    c = *cred;
    *cred = NULL;
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    credssp_inner_release_cred(&c->inner);
    credssp_inner_release_cred(&c->forwarded);
    if (c->own_ccache) {
        credssp_inner_destroy_ccache(c->ccache);
    }
    free(c->ccache);
    credssp_name_free(&c->name);
    credssp_secret_free(&c->password);
    credssp_buf_wipe_free(&c->ts_credentials);
    free(c->user);
    free(c->domain);
    free(c->saved_file);
    free(c->certificate);
    free(c->key);
    credssp_config_free(&c->cfg);
    credssp_policy_free(&c->policy);
    credssp_ep_free(&c->ep);
    credssp_zap(c, sizeof(*c));
    free(c);
}

/* ---- gss_*_cred entry points ---- */

OM_uint32
credssp_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name,
                     OM_uint32 time_req, gss_OID_set desired_mechs,
                     gss_cred_usage_t cred_usage,
                     gss_cred_id_t *output_cred_handle,
                     gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    return credssp_acquire_cred_from(minor_status, desired_name, time_req,
                                     desired_mechs, cred_usage,
                                     GSS_C_NO_CRED_STORE, output_cred_handle,
                                     actual_mechs, time_rec);
}

/* What the acquire entry points share: the re-entrance guard, the
 * acquisition and the outputs (written only on success). */
static OM_uint32
acquire_entry(OM_uint32 *minor, gss_name_t desired_name,
              const struct credssp_secret *password,
              gss_const_key_value_set_t store, gss_cred_usage_t usage,
              gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
              OM_uint32 *time_rec)
{
    struct credssp_cred *cred = NULL;
    OM_uint32 major;

    if (credssp_guard_enter() != 0) {
        return fail(minor, CREDSSP_ERR_RECURSION);
    }
    major = credssp_cred_acquire(minor, (struct credssp_name *)desired_name,
                                 password, store, usage, &cred);
    credssp_guard_leave();
    if (major != GSS_S_COMPLETE) {
        return major;
    }
    if (actual_mechs != NULL &&
        set_oid_set(minor, actual_mechs) != GSS_S_COMPLETE) {
        credssp_cred_free(&cred);
        return fail(minor, ENOMEM);
    }
    if (time_rec != NULL) {
        *time_rec = GSS_C_INDEFINITE;
    }
    *output_cred_handle = (gss_cred_id_t)cred;
    return GSS_S_COMPLETE;
}

/* Empty outputs for every acquire entry point; 0 when they are usable. */
static int
clear_outputs(OM_uint32 *minor, gss_cred_id_t *output_cred_handle,
              gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    if (minor == NULL || output_cred_handle == NULL) {
        return -1;
    }
    *minor = 0;
    *output_cred_handle = GSS_C_NO_CREDENTIAL;
    if (actual_mechs != NULL) {
        *actual_mechs = GSS_C_NO_OID_SET;
    }
    if (time_rec != NULL) {
        *time_rec = 0;
    }
    return 0;
}

OM_uint32
credssp_acquire_cred_from(OM_uint32 *minor_status, gss_name_t desired_name,
                          OM_uint32 time_req, gss_OID_set desired_mechs,
                          gss_cred_usage_t cred_usage,
                          gss_const_key_value_set_t cred_store,
                          gss_cred_id_t *output_cred_handle,
                          gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    (void)time_req;
    (void)desired_mechs;
    if (clear_outputs(minor_status, output_cred_handle, actual_mechs,
                      time_rec) != 0) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    return acquire_entry(minor_status, desired_name, NULL, cred_store,
                         cred_usage, output_cred_handle, actual_mechs,
                         time_rec);
}

OM_uint32
credssp_acquire_cred_with_password(OM_uint32 *minor_status,
                                   const gss_name_t desired_name,
                                   const gss_buffer_t password,
                                   OM_uint32 time_req,
                                   const gss_OID_set desired_mechs,
                                   gss_cred_usage_t cred_usage,
                                   gss_cred_id_t *output_cred_handle,
                                   gss_OID_set *actual_mechs,
                                   OM_uint32 *time_rec)
{
    struct credssp_secret *secret = NULL;
    OM_uint32 major;
    int ret;

    (void)time_req;
    (void)desired_mechs;
    if (clear_outputs(minor_status, output_cred_handle, actual_mechs,
                      time_rec) != 0) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    if (desired_name == GSS_C_NO_NAME) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
    }
    if (password == GSS_C_NO_BUFFER ||
        memchr(password->value, '\0', password->length) != NULL) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT));
    }
    ret = credssp_secret_new(CREDSSP_SECRET_PASSWORD, password->value,
                             password->length, &secret);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    major = acquire_entry(minor_status, desired_name, secret,
                          GSS_C_NO_CRED_STORE, cred_usage,
                          output_cred_handle, actual_mechs, time_rec);
    credssp_secret_free(&secret);
    return major;
}

/* The credential a new context uses: its own reference to the caller's,
 * or the default one for usage when the caller passed none.  A default
 * initiator credential with a saved-credentials file becomes, for spn,
 * the saved entry of that target (kind SAVED) or the logged-on user's. */
OM_uint32
credssp_cred_for_context(OM_uint32 *minor, gss_cred_id_t cred_handle,
                         gss_cred_usage_t usage, const char *spn,
                         struct credssp_cred **out)
{
    struct credssp_cred *cred = (struct credssp_cred *)cred_handle;
    struct credssp_cred *own = NULL;
    OM_uint32 major;

    *minor = 0;
    if (cred == NULL) {
        major = credssp_cred_acquire(minor, NULL, NULL, GSS_C_NO_CRED_STORE,
                                     usage, &own);
        if (major != GSS_S_COMPLETE || !own->deferred) {
            *out = own;
            return major;
        }
        cred = own;
    } else if (cred->usage != GSS_C_BOTH && cred->usage != usage) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_NO_CREDENTIALS);
        return GSS_S_NO_CRED;
    }
    if (cred->kind == CREDSSP_CRED_DELEGATED && usage == GSS_C_INITIATE) {
        return resolve_delegated(minor, cred, out);
    }
    if (!cred->deferred) {
        *out = credssp_cred_ref(cred);
        return GSS_S_COMPLETE;
    }
    major = resolve_saved(minor, cred, spn, out);
    credssp_cred_free(&own);
    return major;
}

/*
 * A delegated credential initiating a context of its own (a second hop):
 * a fresh credential for the delegated user and password, under the
 * configuration and delegation policy of the service that received it;
 * or the forwarded TGT (resolve_forwarded).  Without either there is
 * nothing to authenticate with.
 */
static OM_uint32
resolve_delegated(OM_uint32 *minor, const struct credssp_cred *cred,
                  struct credssp_cred **out)
{
    struct credssp_name *name = NULL;
    size_t dlen = 0, ulen;
    char *text;
    OM_uint32 major;

    if (cred->password == NULL && cred->forwarded != GSS_C_NO_CREDENTIAL) {
        return resolve_forwarded(minor, cred, out);
    }
    if (cred->password == NULL || cred->user == NULL) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_NO_CREDENTIALS);
        return GSS_S_NO_CRED;
    }
    /* "DOMAIN\user" unless the user name carries its realm. */
    if (cred->domain != NULL && strchr(cred->user, '@') == NULL) {
        dlen = strlen(cred->domain);
    }
    ulen = strlen(cred->user);
    text = malloc(dlen + 1 + ulen + 1);
    if (text == NULL) {
        return fail(minor, ENOMEM);
    }
    if (dlen > 0) {
        memcpy(text, cred->domain, dlen);
        text[dlen++] = '\\';
    }
    memcpy(text + dlen, cred->user, ulen + 1);
    major = credssp_name_new(minor, text, strlen(text), GSS_C_NT_USER_NAME,
                             &name);
    free(text);
    if (major == GSS_S_COMPLETE) {
        major = acquire_now(minor, name, cred->password, GSS_C_NO_CRED_STORE,
                            out);
    }
    if (major == GSS_S_COMPLETE) {
        major = adopt_settings(minor, *out, cred);
        if (major != GSS_S_COMPLETE) {
            credssp_cred_free(out);
        }
    }
    credssp_name_free(&name);
    return major;
}

/*
 * A delegated credential that is the client's forwarded TGT: on this host
 * it is the client's logged-on Kerberos identity, so the second hop is a
 * default credential over a private MEMORY cache holding that TGT (and
 * nothing else: SPNEGO negotiates krb5 alone), destroyed with it.  Its
 * own delegation is that of default credentials (the TGT forwarded
 * again, under AllowDefaultCredentials of this service's policy).
 */
static OM_uint32
resolve_forwarded(OM_uint32 *minor, const struct credssp_cred *cred,
                  struct credssp_cred **out)
{
    gss_key_value_element_desc kv;
    gss_key_value_set_desc store = { 1, &kv };
    char *ccname = NULL;
    OM_uint32 major;
    int ret;

    ret = credssp_inner_forwarded_ccache(cred->forwarded, &ccname);
    if (ret != 0) {
        return fail(minor, ret);
    }
    kv.key = GSS_CREDSSP_STORE_CCACHE;
    kv.value = ccname;
    major = acquire_now(minor, NULL, NULL, &store, out);
    if (major != GSS_S_COMPLETE) {
        credssp_inner_destroy_ccache(ccname);
        free(ccname);
        return major;
    }
    free(ccname);
    (*out)->own_ccache = 1;
    major = adopt_settings(minor, *out, cred);
    if (major != GSS_S_COMPLETE) {
        credssp_cred_free(out);
    }
    return major;
}

/* A deferred default credential, settled for one target. */
static OM_uint32
resolve_saved(OM_uint32 *minor, const struct credssp_cred *cred,
              const char *spn, struct credssp_cred **out)
{
    struct credssp_secret *password = NULL;
    struct credssp_name *name = NULL;
    gss_key_value_element_desc kv;
    gss_key_value_set_desc store = { 1, &kv };
    char *user = NULL;
    OM_uint32 major;
    int ret;

    ret = credssp_saved_lookup(cred->saved_file, spn, &user, &password);
    if (ret != 0) {
        return fail(minor, ret);
    }
    if (user == NULL) {
        /* Nothing saved for this target: the logged-on user. */
        kv.key = GSS_CREDSSP_STORE_INNER;
        kv.value = cred->inner_mode == CREDSSP_INNER_SPNEGO   ? "spnego"
                   : cred->inner_mode == CREDSSP_INNER_KRB5    ? "krb5"
                   : cred->inner_mode == CREDSSP_INNER_NTLMSSP ? "ntlmssp"
                                                               : "auto";
        major = acquire_now(minor, NULL, NULL, &store, out);
        if (major == GSS_S_COMPLETE) {
            major = adopt_settings(minor, *out, cred);
            if (major != GSS_S_COMPLETE) {
                credssp_cred_free(out);
            }
        }
        return major;
    }
    major = credssp_name_new(minor, user, strlen(user), GSS_C_NT_USER_NAME,
                             &name);
    if (major == GSS_S_COMPLETE) {
        major = acquire_now(minor, name, password, GSS_C_NO_CRED_STORE, out);
    }
    if (major == GSS_S_COMPLETE) {
        (*out)->kind = CREDSSP_CRED_SAVED;
        major = adopt_settings(minor, *out, cred);
        if (major != GSS_S_COMPLETE) {
            credssp_cred_free(out);
        }
    }
    credssp_name_free(&name);
    credssp_secret_free(&password);
    free(user);
    return major;
}

/* A credential settled from a deferred one keeps the configuration and
 * policy that one was acquired under (and its wire mode). */
static OM_uint32
adopt_settings(OM_uint32 *minor, struct credssp_cred *settled,
               const struct credssp_cred *from)
{
    struct credssp_policy_error perr;
    struct credssp_policy *policy = NULL;
    int ret;

    ret = credssp_config_policy(from->cfg, &policy, &perr);
    if (ret != 0) {
        return fail(minor, ret);
    }
    credssp_policy_free(&settled->policy);
    settled->policy = policy;
    credssp_config_free(&settled->cfg);
    settled->cfg = credssp_config_ref(from->cfg);
    settled->wire = from->wire;
    settled->inner_cb = from->inner_cb;
    return GSS_S_COMPLETE;
}

/* An initiator credential acquired now, never deferred. */
static OM_uint32
acquire_now(OM_uint32 *minor, struct credssp_name *name,
            const struct credssp_secret *password,
            gss_const_key_value_set_t store, struct credssp_cred **out)
{
    OM_uint32 major;

    no_defer = 1;
    major = credssp_cred_acquire(minor, name, password, store,
                                 GSS_C_INITIATE, out);
    no_defer = 0;
    return major;
}

OM_uint32
credssp_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    if (minor_status != NULL) {
        *minor_status = 0;
    }
    if (cred_handle == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    credssp_cred_free((struct credssp_cred **)cred_handle);
    *cred_handle = GSS_C_NO_CREDENTIAL;
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_inquire_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                     gss_name_t *name, OM_uint32 *lifetime,
                     gss_cred_usage_t *cred_usage, gss_OID_set *mechanisms)
{
    struct credssp_cred *cred = (struct credssp_cred *)cred_handle;
    struct credssp_name *copy = NULL;
    OM_uint32 major;

    *minor_status = 0;
    if (cred == NULL) {
        return GSS_S_NO_CRED;
    }
    if (name != NULL) {
        *name = GSS_C_NO_NAME;
        if (cred->name != NULL) {
            major = credssp_name_copy(minor_status, cred->name, &copy);
            if (major != GSS_S_COMPLETE) {
                return major;
            }
            *name = (gss_name_t)copy;
        }
    }
    if (lifetime != NULL) {
        *lifetime = GSS_C_INDEFINITE;
    }
    if (cred_usage != NULL) {
        *cred_usage = cred->usage;
    }
    if (mechanisms != NULL &&
        set_oid_set(minor_status, mechanisms) != GSS_S_COMPLETE) {
        if (name != NULL) {
            credssp_name_free((struct credssp_name **)name);
        }
        return fail(minor_status, ENOMEM);
    }
    return GSS_S_COMPLETE;
}

/* A delegated credential's contents (gssapi_credssp.h documents the
 * OIDs and buffers). */
OM_uint32
credssp_inquire_cred_by_oid(OM_uint32 *minor_status,
                            const gss_cred_id_t cred_handle,
                            const gss_OID desired_object,
                            gss_buffer_set_t *data_set)
{
    struct credssp_cred *cred = (struct credssp_cred *)cred_handle;
    gss_buffer_desc parts[3];
    const uint8_t *pw;
    OM_uint32 major = GSS_S_COMPLETE, tmp;
    size_t pw_len = 0, i, n;

    *minor_status = 0;
    if (data_set == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    *data_set = GSS_C_NO_BUFFER_SET;
    if (cred == NULL) {
        return GSS_S_NO_CRED;
    }
    if (cred->kind != CREDSSP_CRED_DELEGATED) {
        return GSS_S_UNAVAILABLE;
    }
    if (gss_oid_equal(desired_object, GSS_CREDSSP_INQ_TSCREDENTIALS)) {
        parts[0].value = cred->ts_credentials.data;
        parts[0].length = cred->ts_credentials.len;
        n = 1;
    } else if (gss_oid_equal(desired_object,
                             GSS_CREDSSP_INQ_PASSWORD_CREDS)) {
        if (cred->cred_type != CREDSSP_CRED_TYPE_PASSWORD) {
            return GSS_S_UNAVAILABLE;
        }
        pw = credssp_secret_data(cred->password, &pw_len);
        parts[0].value = cred->domain;
        parts[0].length = strlen(cred->domain);
        parts[1].value = cred->user;
        parts[1].length = strlen(cred->user);
        parts[2].value = (void *)(uintptr_t)pw;
        parts[2].length = pw_len;
        n = 3;
    } else {
        return GSS_S_UNAVAILABLE;
    }
    major = gss_create_empty_buffer_set(minor_status, data_set);
    for (i = 0; major == GSS_S_COMPLETE && i < n; i++) {
        major = gss_add_buffer_set_member(minor_status, &parts[i], data_set);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_buffer_set(&tmp, data_set);
        return fail(minor_status, ENOMEM);
    }
    return GSS_S_COMPLETE;
}
