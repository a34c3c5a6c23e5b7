/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The inner context through the mechglue (MS-CSSP.md 1.3, 3.4, 5, 5b).
 * Only this file and name.c/cred.c hold mechglue handles; every call goes
 * through mech/glue.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "common/zap.h"
#include "mech/glue.h"
#include "mech/inner.h"
#include "mech/mech.h"
#include "mech/trace.h"

static gss_OID oid_of(const gss_OID_desc *desc);
static int map_failure(struct credssp_inner *inner, OM_uint32 major,
                       OM_uint32 minor, gss_const_OID mech);
static int known_mech(gss_const_OID mech);
static int report_failure(const void *owner, const char *role,
                          OM_uint32 major, OM_uint32 minor,
                          gss_const_OID mech, int code);
static int take_buffer(gss_buffer_t in, struct credssp_buf *out, int wipe);
static int make_oid_set(const gss_OID_desc *const *oids, size_t n,
                        gss_OID_set *out);
static int acquire_for(gss_name_t name, const char *password,
                       const char *ccache, gss_cred_usage_t usage,
                       const gss_OID_desc *const *mechs, size_t n,
                       gss_cred_id_t *out);
static int restrict_negotiation(gss_cred_id_t cred, int krb5_only);
static void set_ntlm_flags(gss_cred_id_t cred);
static void learn_mech(struct credssp_inner *inner);

static char spnego_der[] = "\x2b\x06\x01\x05\x05\x02";
static char krb5_der[] = "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02";
static char ntlmssp_der[] = "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a";
const gss_OID_desc credssp_oid_spnego = { 6, spnego_der };
const gss_OID_desc credssp_oid_krb5 = { 9, krb5_der };
const gss_OID_desc credssp_oid_ntlmssp = { 10, ntlmssp_der };

/*
 * gss-ntlmssp's credential option that replaces its NEGOTIATE flags
 * (1.3.6.1.4.1.7165.655.1.5; the value is a uint32_t in host order), and
 * the flags we send: its defaults without NTLMSSP_NEGOTIATE_OEM
 * (MS-CSSP.md 5b.1).
 */
static char ntlm_neg_flags_der[] =
    "\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x05";
static const gss_OID_desc ntlm_neg_flags_oid = { 11, ntlm_neg_flags_der };
#define NTLM_INITIATOR_FLAGS 0xe2088235u

/* An NTLM AUTHENTICATE message starts with this (MS-NLMP 2.2.1.3). */
static const uint8_t ntlm_authenticate[] = { 'N', 'T', 'L', 'M', 'S', 'S',
                                             'P', 0,   3,   0,   0,   0 };

/* The mechglue's OID parameters are not const; ours never change. */
static gss_OID
oid_of(const gss_OID_desc *desc)
{
    union {
        const gss_OID_desc *c;
        gss_OID m;
    } u;

    u.c = desc;
    return u.m;
}

/* 1 when mech is krb5 or NTLMSSP (SPNEGO says nothing of who refused). */
static int
known_mech(gss_const_OID mech)
{
    return mech != GSS_C_NO_OID &&
           (gss_oid_equal(mech, &credssp_oid_krb5) ||
            gss_oid_equal(mech, &credssp_oid_ntlmssp));
}

/*
 * A failure of the inner mechanism.  Its own text (for minor, else the
 * GSS text for major) goes to the trace and becomes the detail that
 * gss_display_status appends to code, so that "Inner authentication
 * failed" says what Kerberos or NTLM refused.  code 0: the trace only (a
 * best-effort call).  Returns code.
 */
static int
report_failure(const void *owner, const char *role, OM_uint32 major,
               OM_uint32 minor, gss_const_OID mech, int code)
{
    const struct credssp_glue *g;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 tmp, more = 0;
    gss_OID_desc m;
    char detail[256];
    int len;

    if (code == 0 && !credssp_trace_enabled()) {
        return 0;
    }
    g = credssp_glue(&tmp);
    if (g != NULL && minor != 0) {
        if (mech != GSS_C_NO_OID) {
            m = *mech;
        }
        (void)g->display_status(&tmp, minor, GSS_C_MECH_CODE,
                                mech != GSS_C_NO_OID ? &m : GSS_C_NO_OID,
                                &more, &text);
    } else if (g != NULL) {
        (void)g->display_status(&tmp, major, GSS_C_GSS_CODE, GSS_C_NO_OID,
                                &more, &text);
    }
    len = text.value == NULL               ? 0
          : text.length < sizeof(detail) ? (int)text.length
                                           : (int)sizeof(detail) - 1;
    /* "krb5: ..." or "NTLMSSP: ...", when the mechanism is known; %.*s
     * also stops at a NUL (gss-ntlmssp counts one in its texts). */
    snprintf(detail, sizeof(detail), "%s%s%.*s",
             len > 0 && known_mech(mech) ? credssp_inner_mech_name(mech)
                                         : "",
             len > 0 && known_mech(mech) ? ": " : "", len,
             len > 0 ? (const char *)text.value : "");
    (void)gss_release_buffer(&tmp, &text);
    TRACE_CREDSSP_INNER_ERROR(owner, role, major, minor,
                              detail[0] != '\0' ? detail : "(no text)");
    if (code != 0) {
        /* No text clears what an earlier failure left on this thread. */
        credssp_err_set_detail(code, detail[0] != '\0' ? detail : NULL);
    }
    return code;
}

static int
map_failure(struct credssp_inner *inner, OM_uint32 major, OM_uint32 minor,
            gss_const_OID mech)
{
    int code;

    inner->last_major = major;
    inner->last_minor = minor;
    switch (GSS_ROUTINE_ERROR(major)) {
    case GSS_S_BAD_BINDINGS:
        /* MIT krb5 (and gss-ntlmssp for unusable acceptor bindings). */
        code = CREDSSP_ERR(CREDSSP_ERR_CB_MISMATCH);
        break;
    case GSS_S_NO_CRED:
    case GSS_S_DEFECTIVE_CREDENTIAL:
    case GSS_S_CREDENTIALS_EXPIRED:
        code = CREDSSP_ERR(CREDSSP_ERR_INNER_NO_CRED);
        break;
    default:
        code = CREDSSP_ERR(CREDSSP_ERR_INNER_AUTH);
        break;
    }
    return report_failure(inner->owner, inner->role, major, minor, mech,
                          code);
}

/* Copy a mechglue buffer into ours and release it (wiping if asked). */
static int
take_buffer(gss_buffer_t in, struct credssp_buf *out, int wipe)
{
    OM_uint32 tmp;
    int ret;

    ret = credssp_buf_dup(out, in->value, in->length);
    if (wipe) {
        credssp_zap(in->value, in->length);
    }
    (void)gss_release_buffer(&tmp, in);
    return ret;
}

static int
make_oid_set(const gss_OID_desc *const *oids, size_t n, gss_OID_set *out)
{
    OM_uint32 minor, major;
    size_t i;

    major = gss_create_empty_oid_set(&minor, out);
    for (i = 0; major == GSS_S_COMPLETE && i < n; i++) {
        major = gss_add_oid_set_member(&minor, oid_of(oids[i]), out);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&minor, out);
        return ENOMEM;
    }
    return 0;
}

static int
acquire_for(gss_name_t name, const char *password, const char *ccache,
            gss_cred_usage_t usage, const gss_OID_desc *const *mechs,
            size_t n, gss_cred_id_t *out)
{
    const struct credssp_glue *g;
    gss_OID_set set = GSS_C_NO_OID_SET;
    gss_buffer_desc pw;
    gss_key_value_element_desc el = { "ccache", ccache };
    gss_key_value_set_desc store = { 1, &el };
    OM_uint32 major, minor, tmp;
    int ret, code;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    ret = make_oid_set(mechs, n, &set);
    if (ret != 0) {
        return ret;
    }
    if (password != NULL) {
        pw.value = (void *)(uintptr_t)password;
        pw.length = strlen(password);
        major = g->acquire_cred_with_password(&minor, name, &pw,
                                              GSS_C_INDEFINITE, set, usage,
                                              out, NULL, NULL);
    } else if (ccache != NULL) {
        major = g->acquire_cred_from(&minor, name, GSS_C_INDEFINITE, set,
                                     usage, &store, out, NULL, NULL);
    } else {
        major = g->acquire_cred(&minor, name, GSS_C_INDEFINITE, set, usage,
                                out, NULL, NULL);
    }
    (void)gss_release_oid_set(&tmp, &set);
    if (major != GSS_S_COMPLETE) {
        *out = GSS_C_NO_CREDENTIAL;
        /* The KDC answered and refused: a wrong password or unknown user,
         * not a missing Kerberos (which falls back to NTLM). */
        if (password != NULL &&
            ((krb5_error_code)minor == KRB5KDC_ERR_PREAUTH_FAILED ||
             (krb5_error_code)minor == KRB5KRB_AP_ERR_BAD_INTEGRITY ||
             (krb5_error_code)minor == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN ||
             (krb5_error_code)minor == KRB5KDC_ERR_KEY_EXP ||
             (krb5_error_code)minor == KRB5KDC_ERR_CLIENT_REVOKED)) {
            code = CREDSSP_ERR(CREDSSP_ERR_PASSWORD_REFUSED);
        } else if (password != NULL &&
                   ((krb5_error_code)minor == KRB5_KDC_UNREACH ||
                    (krb5_error_code)minor == KRB5_REALM_CANT_RESOLVE ||
                    (krb5_error_code)minor == KRB5_REALM_UNKNOWN)) {
            /* No KDC answered: said so (inner auto still falls back). */
            code = CREDSSP_ERR(CREDSSP_ERR_KDC_UNREACHABLE);
        } else if (GSS_ROUTINE_ERROR(major) == GSS_S_BAD_MECH) {
            /* The mechglue has no such mechanism (gss-ntlmssp not in its
             * configuration, for an NTLM-only user). */
            code = CREDSSP_ERR(CREDSSP_ERR_INNER_UNAVAILABLE);
        } else {
            code = CREDSSP_ERR(CREDSSP_ERR_INNER_NO_CRED);
        }
        return report_failure(NULL, "-", major, minor, GSS_C_NO_OID, code);
    }
    return 0;
}

/* SPNEGO inside CredSSP negotiates krb5 and NTLMSSP, never anything else
 * (and never CredSSP itself: DESIGN.md 5.2); krb5 alone for a credential
 * that is one Kerberos cache (no other identity may stand in for it). */
static int
restrict_negotiation(gss_cred_id_t cred, int krb5_only)
{
    static const gss_OID_desc *const neg[] = { &credssp_oid_krb5,
                                               &credssp_oid_ntlmssp };
    const struct credssp_glue *g;
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 major, minor;
    int ret;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    ret = make_oid_set(neg, krb5_only ? 1 : 2, &set);
    if (ret != 0) {
        return ret;
    }
    major = g->set_neg_mechs(&minor, cred, set);
    (void)gss_release_oid_set(&minor, &set);
    if (major != GSS_S_COMPLETE) {
        return report_failure(NULL, "-", major, minor, GSS_C_NO_OID,
                              CREDSSP_ERR(CREDSSP_ERR_INNER_NO_CRED));
    }
    return 0;
}

/*
 * gss-ntlmssp offers both NTLMSSP_NEGOTIATE_OEM and _UNICODE; WinPR (every
 * FreeRDP server) echoes both in its CHALLENGE, which gss-ntlmssp then
 * rejects as an invalid combination.  Offer Unicode only, as Windows does.
 * Best effort: a credential without NTLM has nothing to set.
 */
static void
set_ntlm_flags(gss_cred_id_t cred)
{
    const struct credssp_glue *g;
    uint32_t flags = NTLM_INITIATOR_FLAGS;
    gss_buffer_desc value;
    OM_uint32 major, minor;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return;
    }
    value.value = &flags;
    value.length = sizeof(flags);
    major = g->set_cred_option(&minor, &cred, oid_of(&ntlm_neg_flags_oid),
                               &value);
    if (GSS_ERROR(major)) {
        (void)report_failure(NULL, "-", major, minor, GSS_C_NO_OID, 0);
    }
}

int
credssp_inner_acquire(gss_name_t name, const char *password,
                      const char *ccache, gss_cred_usage_t usage,
                      enum credssp_inner_mode mode, gss_cred_id_t *out,
                      enum credssp_inner_mode *mode_out)
{
    static const gss_OID_desc *const spnego[] = { &credssp_oid_spnego };
    static const gss_OID_desc *const krb5[] = { &credssp_oid_krb5 };
    static const gss_OID_desc *const ntlm[] = { &credssp_oid_ntlmssp };
    static const gss_OID_desc *const all[] = { &credssp_oid_spnego,
                                               &credssp_oid_krb5,
                                               &credssp_oid_ntlmssp };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    int ret;

    if (usage != GSS_C_INITIATE) {
        /* One union credential answers SPNEGO, bare krb5 and bare
         * NTLMSSP first tokens alike (and initiates with SPNEGO). */
        ret = acquire_for(name, password, ccache, usage, all, 3, &cred);
        if (ret == 0) {
            ret = restrict_negotiation(cred, 0);
        }
        *mode_out = CREDSSP_INNER_SPNEGO;
        goto done;
    }
    switch (mode) {
    case CREDSSP_INNER_KRB5:
        ret = acquire_for(name, password, ccache, usage, krb5, 1, &cred);
        break;
    case CREDSSP_INNER_NTLMSSP:
        if (ccache != NULL) {
            /* A Kerberos cache holds nothing NTLM could use. */
            credssp_err_set_detail(0, NULL);
            ret = CREDSSP_ERR(CREDSSP_ERR_INNER_NO_CRED);
            break;
        }
        ret = acquire_for(name, password, ccache, usage, ntlm, 1, &cred);
        if (ret == 0) {
            set_ntlm_flags(cred);
        }
        break;
    case CREDSSP_INNER_AUTO:
        /* Kerberos usable: SPNEGO.  NTLM is all there is: speak it
         * bare, as Windows does (and as FreeRDP servers require).  The
         * mechglue lists only SPNEGO in an SPNEGO credential, so ask
         * Kerberos on its own first. */
        ret = acquire_for(name, password, ccache, usage, krb5, 1, &cred);
        credssp_inner_release_cred(&cred);
        if (ret == CREDSSP_ERR_PASSWORD_REFUSED ||
            (ret != 0 && ccache != NULL)) {
            break;
        }
        if (ret != 0) {
            ret = acquire_for(name, password, ccache, usage, ntlm, 1, &cred);
            if (ret == 0) {
                set_ntlm_flags(cred);
            }
            mode = CREDSSP_INNER_NTLMSSP;
            break;
        }
        mode = CREDSSP_INNER_SPNEGO;
        /* fall through */
    case CREDSSP_INNER_SPNEGO:
    default:
        ret = acquire_for(name, password, ccache, usage, spnego, 1, &cred);
        if (ret == 0) {
            ret = restrict_negotiation(cred, ccache != NULL);
        }
        if (ret == 0) {
            set_ntlm_flags(cred);
        }
        break;
    }
    *mode_out = mode;

done:
    if (ret != 0) {
        credssp_inner_release_cred(&cred);
        return ret;
    }
    *out = cred;
    return 0;
}

void
credssp_inner_release_cred(gss_cred_id_t *cred)
{
    const struct credssp_glue *g;
    OM_uint32 minor;

    if (cred == NULL || *cred == GSS_C_NO_CREDENTIAL) {
        return;
    }
    g = credssp_glue(&minor);
    if (g != NULL) {
        (void)g->release_cred(&minor, cred);
    }
    *cred = GSS_C_NO_CREDENTIAL;
}

int
credssp_inner_forwarded_ccache(gss_cred_id_t forwarded, char **ccname)
{
    static unsigned int serial;
    gss_key_value_element_desc el;
    gss_key_value_set_desc store = { 1, &el };
    char name[96];
    int ret;

    *ccname = NULL;
    (void)snprintf(name, sizeof(name), "MEMORY:credssp-forwarded-%ld-%u",
                   (long)getpid(),
                   __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED));
    el.key = "ccache";
    el.value = name;
    ret = credssp_inner_store_forwarded(forwarded, 1, 0, &store);
    if (ret != 0) {
        return ret;
    }
    *ccname = strdup(name);
    if (*ccname == NULL) {
        credssp_inner_destroy_ccache(name);
        return ENOMEM;
    }
    return 0;
}

void
credssp_inner_destroy_ccache(const char *ccname)
{
    krb5_context kctx;
    krb5_ccache cc;

    if (ccname == NULL || krb5_init_context(&kctx) != 0) {
        return;
    }
    if (krb5_cc_resolve(kctx, ccname, &cc) == 0) {
        (void)krb5_cc_destroy(kctx, cc);
    }
    krb5_free_context(kctx);
}

int
credssp_inner_store_forwarded(gss_cred_id_t cred, OM_uint32 overwrite,
                              OM_uint32 default_cred,
                              gss_const_key_value_set_t store)
{
    const struct credssp_glue *g;
    gss_OID_desc krb5 = credssp_oid_krb5;
    OM_uint32 major, minor;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    major = g->store_cred_into(&minor, cred, GSS_C_INITIATE, &krb5,
                               overwrite, default_cred, store, NULL, NULL);
    if (major == GSS_S_COMPLETE) {
        return 0;
    }
    if (GSS_ROUTINE_ERROR(major) == GSS_S_DUPLICATE_ELEMENT) {
        return report_failure(NULL, "acceptor", major, minor, &krb5,
                              CREDSSP_ERR(CREDSSP_ERR_STORE_EXISTS));
    }
    return report_failure(NULL, "acceptor", major, minor, &krb5,
                          CREDSSP_ERR(CREDSSP_ERR_STORE_CCACHE));
}

/* The negotiated mechanism, once the mechglue can say. */
static void
learn_mech(struct credssp_inner *inner)
{
    const struct credssp_glue *g;
    OM_uint32 minor, major;
    gss_OID mech = GSS_C_NO_OID;

    g = credssp_glue(&minor);
    if (g == NULL || inner->ctx == GSS_C_NO_CONTEXT) {
        return;
    }
    major = g->inquire_context(&minor, inner->ctx, NULL, NULL, NULL, &mech,
                               NULL, NULL, NULL);
    if (major != GSS_S_COMPLETE || mech == GSS_C_NO_OID) {
        return;
    }
    if (gss_oid_equal(mech, &credssp_oid_krb5)) {
        inner->actual_mech = oid_of(&credssp_oid_krb5);
    } else if (gss_oid_equal(mech, &credssp_oid_ntlmssp)) {
        inner->actual_mech = oid_of(&credssp_oid_ntlmssp);
    }
}

int
credssp_inner_init(struct credssp_inner *inner, gss_cred_id_t cred,
                   gss_name_t target, OM_uint32 req_flags,
                   gss_channel_bindings_t cb,
                   const struct credssp_buf *input,
                   struct credssp_buf *output)
{
    const struct credssp_glue *g;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    const gss_OID_desc *mech;
    OM_uint32 major, minor, tmp, flags = 0;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    mech = inner->mode == CREDSSP_INNER_KRB5      ? &credssp_oid_krb5
           : inner->mode == CREDSSP_INNER_NTLMSSP ? &credssp_oid_ntlmssp
                                                  : &credssp_oid_spnego;
    in.value = input != NULL ? input->data : NULL;
    in.length = input != NULL ? input->len : 0;
    major = g->init_sec_context(&minor, cred, &inner->ctx, target,
                                oid_of(mech), req_flags, GSS_C_INDEFINITE,
                                cb, &in, NULL, &out, &flags, NULL);
    if (GSS_ERROR(major)) {
        /* Not through &minor: it holds the inner mechanism's reason. */
        (void)gss_release_buffer(&tmp, &out);
        return map_failure(inner, major, minor, mech);
    }
    inner->flags = flags;
    inner->complete = major == GSS_S_COMPLETE;
    if (inner->complete) {
        learn_mech(inner);
    } else if (inner->mode == CREDSSP_INNER_NTLMSSP) {
        inner->actual_mech = oid_of(&credssp_oid_ntlmssp);
    } else if (inner->mode == CREDSSP_INNER_KRB5) {
        inner->actual_mech = oid_of(&credssp_oid_krb5);
    }
    return take_buffer(&out, output, 0);
}

int
credssp_inner_accept(struct credssp_inner *inner, gss_cred_id_t cred,
                     gss_channel_bindings_t cb,
                     const struct credssp_buf *input,
                     struct credssp_buf *output)
{
    const struct credssp_glue *g;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    gss_name_t src = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor, tmp, flags = 0;
    int ret;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    in.value = input->data;
    in.length = input->len;
    major = g->accept_sec_context(&minor, &inner->ctx, cred, &in, cb, &src,
                                  &mech, &out, &flags, NULL, &deleg);
    if (GSS_ERROR(major)) {
        (void)gss_release_buffer(&tmp, &out);
        if (mech == GSS_C_NO_OID && credssp_inner_token_is_ntlm_auth(input)) {
            /* SPNEGO names no mechanism when NTLM refuses the client. */
            mech = oid_of(&credssp_oid_ntlmssp);
        }
        ret = map_failure(inner, major, minor, mech);
        if (cb != GSS_C_NO_CHANNEL_BINDINGS &&
            GSS_ROUTINE_ERROR(major) == GSS_S_DEFECTIVE_TOKEN &&
            credssp_inner_token_is_ntlm_auth(input)) {
            /* gss-ntlmssp reports a MsvAvChannelBindings mismatch as a
             * defective AUTHENTICATE message (minor 0): with bindings
             * given, that is what it means (MS-CSSP.md 7.2). */
            credssp_err_set_detail(0, NULL);
            ret = CREDSSP_ERR(CREDSSP_ERR_CB_MISMATCH);
        }
        return ret;
    }
    inner->flags = flags;
    inner->complete = major == GSS_S_COMPLETE;
    if (inner->complete) {
        if (inner->src_name != GSS_C_NO_NAME) {
            (void)g->release_name(&minor, &inner->src_name);
        }
        inner->src_name = src;
        src = GSS_C_NO_NAME;
        if (deleg != GSS_C_NO_CREDENTIAL) {
            credssp_inner_release_cred(&inner->deleg);
            inner->deleg = deleg;
            deleg = GSS_C_NO_CREDENTIAL;
        }
        learn_mech(inner);
    } else if (input->len >= 8 && memcmp(input->data, "NTLMSSP", 8) == 0) {
        inner->actual_mech = oid_of(&credssp_oid_ntlmssp);
    }
    if (src != GSS_C_NO_NAME) {
        (void)g->release_name(&minor, &src);
    }
    credssp_inner_release_cred(&deleg);
    return take_buffer(&out, output, 0);
}

int
credssp_inner_token_is_ntlm_auth(const struct credssp_buf *token)
{
    return token->len >= sizeof(ntlm_authenticate) &&
           memmem(token->data, token->len, ntlm_authenticate,
                  sizeof(ntlm_authenticate)) != NULL;
}

void
credssp_inner_set_ntlm(struct credssp_inner *inner)
{
    inner->actual_mech = oid_of(&credssp_oid_ntlmssp);
}

int
credssp_inner_is_ntlm(const struct credssp_inner *inner)
{
    return inner->actual_mech != GSS_C_NO_OID &&
           gss_oid_equal(inner->actual_mech, &credssp_oid_ntlmssp);
}

int
credssp_inner_wrap(struct credssp_inner *inner, const uint8_t *data,
                   size_t len, struct credssp_buf *out)
{
    const struct credssp_glue *g;
    gss_buffer_desc in, sealed = GSS_C_EMPTY_BUFFER;
    gss_iov_buffer_desc iov[2];
    struct credssp_out w;
    uint8_t *copy = NULL;
    OM_uint32 major, minor, tmp;
    int conf = 0, ret;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    if (inner->actual_mech != GSS_C_NO_OID &&
        gss_oid_equal(inner->actual_mech, &credssp_oid_krb5)) {
        /* The SSPI layout: everything but the data in the header (RRC
         * rotated), which MIT produces for HEADER + DATA without a
         * TRAILER buffer (MS-CSSP.md 5b.2). */
        copy = malloc(len > 0 ? len : 1);
        if (copy == NULL) {
            return ENOMEM;
        }
        memcpy(copy, data, len);
        iov[0].type =
            GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
        iov[0].buffer.value = NULL;
        iov[0].buffer.length = 0;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer.value = copy;
        iov[1].buffer.length = len;
        major = g->wrap_iov(&minor, inner->ctx, 1, GSS_C_QOP_DEFAULT, &conf,
                            iov, 2);
        if (major != GSS_S_COMPLETE || !conf) {
            (void)map_failure(inner, major, minor, inner->actual_mech);
            ret = CREDSSP_ERR(CREDSSP_ERR_INNER_PROTECT);
            goto done;
        }
        credssp_out_init(&w, 0, 0);
        credssp_out_add(&w, iov[0].buffer.value, iov[0].buffer.length);
        credssp_out_add(&w, copy, len);
        ret = credssp_out_finish(&w, out);
        goto done;
    }
    in.value = (void *)(uintptr_t)data;
    in.length = len;
    major = g->wrap(&minor, inner->ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf,
                    &sealed);
    if (major != GSS_S_COMPLETE || !conf) {
        (void)gss_release_buffer(&tmp, &sealed);
        (void)map_failure(inner, major, minor, inner->actual_mech);
        return CREDSSP_ERR(CREDSSP_ERR_INNER_PROTECT);
    }
    return take_buffer(&sealed, out, 0);

done:
    if (copy != NULL) {
        credssp_zapfree(copy, len > 0 ? len : 1);
        (void)gss_release_iov_buffer(&minor, iov, 2);
    }
    return ret;
}

int
credssp_inner_unwrap(struct credssp_inner *inner, const uint8_t *data,
                     size_t len, struct credssp_buf *out)
{
    const struct credssp_glue *g;
    gss_buffer_desc in, plain = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, tmp;
    uint8_t *copy;
    int conf = 0, ret;

    g = credssp_glue(&minor);
    if (g == NULL) {
        return (int)minor;
    }
    /* MIT's unwrap of rotated krb5 tokens rewrites its input. */
    copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        return ENOMEM;
    }
    memcpy(copy, data, len);
    in.value = copy;
    in.length = len;
    major = g->unwrap(&minor, inner->ctx, &in, &plain, &conf, NULL);
    free(copy);
    if (major != GSS_S_COMPLETE || !conf) {
        if (plain.value != NULL) {
            credssp_zap(plain.value, plain.length);
        }
        (void)gss_release_buffer(&tmp, &plain);
        (void)map_failure(inner, major, minor, inner->actual_mech);
        return CREDSSP_ERR(CREDSSP_ERR_INNER_PROTECT);
    }
    ret = take_buffer(&plain, out, 1);
    return ret;
}

const char *
credssp_inner_mech_name(gss_const_OID mech)
{
    if (mech == GSS_C_NO_OID) {
        return "unknown";
    }
    if (gss_oid_equal(mech, &credssp_oid_krb5)) {
        return "krb5";
    }
    if (gss_oid_equal(mech, &credssp_oid_ntlmssp)) {
        return "NTLMSSP";
    }
    if (gss_oid_equal(mech, &credssp_oid_spnego)) {
        return "SPNEGO";
    }
    return "unknown";
}

int
credssp_inner_target_spn(struct credssp_inner *inner, char **spn)
{
    const struct credssp_glue *g;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    gss_name_t targ = GSS_C_NO_NAME;
    OM_uint32 major, minor;
    const char *at = NULL, *p;
    size_t len;

    *spn = NULL;
    g = credssp_glue(&minor);
    if (g == NULL || inner->ctx == GSS_C_NO_CONTEXT ||
        inner->actual_mech == GSS_C_NO_OID ||
        !gss_oid_equal(inner->actual_mech, &credssp_oid_krb5)) {
        return 0;
    }
    major = g->inquire_context(&minor, inner->ctx, NULL, &targ, NULL, NULL,
                               NULL, NULL, NULL);
    if (major == GSS_S_COMPLETE && targ != GSS_C_NO_NAME) {
        major = g->display_name(&minor, targ, &text, NULL);
    }
    if (targ != GSS_C_NO_NAME) {
        (void)g->release_name(&minor, &targ);
    }
    if (major != GSS_S_COMPLETE || text.value == NULL) {
        (void)gss_release_buffer(&minor, &text);
        return 0;
    }
    /* "service/host@REALM": the last unescaped "@" starts the realm. */
    for (p = text.value; p < (const char *)text.value + text.length; p++) {
        if (*p == '\\') {
            p++;
        } else if (*p == '@') {
            at = p;
        }
    }
    len = at != NULL ? (size_t)(at - (const char *)text.value) : text.length;
    *spn = strndup(text.value, len);
    (void)gss_release_buffer(&minor, &text);
    return *spn == NULL ? ENOMEM : 0;
}

void
credssp_inner_delete_context(struct credssp_inner *inner)
{
    const struct credssp_glue *g;
    OM_uint32 minor;

    g = credssp_glue(&minor);
    if (g != NULL && inner->ctx != GSS_C_NO_CONTEXT) {
        (void)g->delete_sec_context(&minor, &inner->ctx, GSS_C_NO_BUFFER);
    }
    inner->ctx = GSS_C_NO_CONTEXT;
}

void
credssp_inner_free(struct credssp_inner *inner)
{
    const struct credssp_glue *g;
    OM_uint32 minor;

    credssp_inner_delete_context(inner);
    g = credssp_glue(&minor);
    if (g != NULL) {
        if (inner->src_name != GSS_C_NO_NAME) {
            (void)g->release_name(&minor, &inner->src_name);
        }
    }
    credssp_inner_release_cred(&inner->deleg);
    inner->ctx = GSS_C_NO_CONTEXT;
}
