/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Mechanism-level inquiries.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mech/ctx.h"
#include "mech/mech.h"

static int context_value(struct credssp_ctx *ctx, unsigned char which,
                         struct credssp_buf *value);

/*
 * Attributes of the mechanism (RFC 5587), those that hold for it: a
 * composite of TLS and SPNEGO; both ends authenticated (the inner context
 * and pubKeyAuth); credentials delegated; wrap and MIC with integrity,
 * confidentiality, replay and order detection (TLS records, sequenced
 * MICs); channel bindings; the framed first token of the default wire.
 * GSS_C_MA_MECH_NEGO is essential: MIT SPNEGO leaves negotiating
 * mechanisms out of its own list, which keeps CredSSP from being offered
 * inside SPNEGO -- including the SPNEGO context inside CredSSP itself
 * (DESIGN.md 5.2, 5.6).  Not claimed: PROT_READY (protection only after
 * establishment), CTX_TRANS (contexts cannot be exported), PFS (a TLS 1.2
 * priority may allow RSA key transport).
 */
OM_uint32
credssp_inquire_attrs_for_mech(OM_uint32 *minor_status, gss_const_OID mech,
                               gss_OID_set *mech_attrs,
                               gss_OID_set *known_mech_attrs)
{
    const gss_const_OID attrs[] = {
        GSS_C_MA_MECH_COMPOSITE, GSS_C_MA_MECH_NEGO, GSS_C_MA_ITOK_FRAMED,
        GSS_C_MA_AUTH_INIT,      GSS_C_MA_AUTH_TARG, GSS_C_MA_DELEG_CRED,
        GSS_C_MA_INTEG_PROT,     GSS_C_MA_CONF_PROT, GSS_C_MA_MIC,
        GSS_C_MA_WRAP,           GSS_C_MA_REPLAY_DET, GSS_C_MA_OOS_DET,
        GSS_C_MA_CBINDINGS
    };
    OM_uint32 major, tmp;
    size_t i;

    (void)mech;
    *minor_status = 0;
    if (known_mech_attrs != NULL) {
        *known_mech_attrs = GSS_C_NO_OID_SET;
    }
    if (mech_attrs == NULL) {
        return GSS_S_COMPLETE;
    }
    major = gss_create_empty_oid_set(minor_status, mech_attrs);
    for (i = 0; major == GSS_S_COMPLETE && i < sizeof(attrs) / sizeof(*attrs);
         i++) {
        /* The set copies the OID; a copy of the descriptor sheds const. */
        gss_OID_desc attr = *attrs[i];

        major = gss_add_oid_set_member(minor_status, &attr, mech_attrs);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, mech_attrs);
    }
    return major;
}

/* Our OIDs are static: the mechglue may ask us to release only those we
 * handed out, and there are none to free. */
OM_uint32
credssp_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid)
{
    (void)oid;
    *minor_status = 0;
    return GSS_S_CONTINUE_NEEDED;
}

/* ---- RFC 5801 SASL names ---- */

OM_uint32
credssp_inquire_saslname_for_mech(OM_uint32 *minor_status,
                                  const gss_OID desired_mech,
                                  gss_buffer_t sasl_mech_name,
                                  gss_buffer_t mech_name,
                                  gss_buffer_t mech_description)
{
    static const char *const texts[3] = {
        GSS_CREDSSP_SASL_NAME, GSS_CREDSSP_MECH_NAME,
        "Credential Security Support Provider (MS-CSSP)"
    };
    gss_buffer_t outs[3];
    OM_uint32 tmp;
    size_t i, len;

    (void)desired_mech;
    *minor_status = 0;
    outs[0] = sasl_mech_name;
    outs[1] = mech_name;
    outs[2] = mech_description;
    for (i = 0; i < 3; i++) {
        if (outs[i] == GSS_C_NO_BUFFER) {
            continue;
        }
        len = strlen(texts[i]);
        outs[i]->value = malloc(len + 1);
        if (outs[i]->value == NULL) {
            while (i-- > 0) {
                if (outs[i] != GSS_C_NO_BUFFER) {
                    (void)gss_release_buffer(&tmp, outs[i]);
                }
            }
            *minor_status = ENOMEM;
            return GSS_S_FAILURE;
        }
        memcpy(outs[i]->value, texts[i], len + 1);
        outs[i]->length = len;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_inquire_mech_for_saslname(OM_uint32 *minor_status,
                                  const gss_buffer_t sasl_mech_name,
                                  gss_OID *mech_type)
{
    *minor_status = 0;
    if (sasl_mech_name == GSS_C_NO_BUFFER ||
        sasl_mech_name->length != strlen(GSS_CREDSSP_SASL_NAME) ||
        memcmp(sasl_mech_name->value, GSS_CREDSSP_SASL_NAME,
               sasl_mech_name->length) != 0) {
        return GSS_S_BAD_MECH;
    }
    if (mech_type != NULL) {
        *mech_type = GSS_CREDSSP_MECH_OID;
    }
    return GSS_S_COMPLETE;
}

/* ---- gss_inquire_sec_context_by_oid ---- */

/* The value of one context inquiry into *value (may stay empty). */
static int
context_value(struct credssp_ctx *ctx, unsigned char which,
              struct credssp_buf *value)
{
    struct credssp_tls_info info;
    const char *text = NULL;
    uint8_t bytes[4];
    gss_OID mech;

    switch (which) {
    case 1:
        if (ctx->version == 0) {
            return 0;
        }
        bytes[0] = (uint8_t)ctx->version;
        return credssp_buf_dup(value, bytes, 1);
    case 2:
        mech = ctx->inner.actual_mech;
        return mech == GSS_C_NO_OID
                   ? 0
                   : credssp_buf_dup(value, mech->elements, mech->length);
    case 3:
    case 4:
        if (ctx->tls == NULL || credssp_tls_info(ctx->tls, &info) != 0) {
            return 0;
        }
        text = which == 3 ? info.version : info.cipher;
        return text == NULL ? 0 : credssp_buf_dup(value, text, strlen(text));
    case 5:
        return ctx->tls == NULL || !credssp_tls_is_established(ctx->tls)
                   ? 0
                   : credssp_tls_server_certificate(ctx->tls, value);
    case 6:
        return credssp_buf_dup(value, ctx->server_key.data,
                               ctx->server_key.len);
    case 7:
        if (!ctx->has_error_code) {
            return 0;
        }
        bytes[0] = (uint8_t)(ctx->error_code >> 24);
        bytes[1] = (uint8_t)(ctx->error_code >> 16);
        bytes[2] = (uint8_t)(ctx->error_code >> 8);
        bytes[3] = (uint8_t)ctx->error_code;
        return credssp_buf_dup(value, bytes, 4);
    case 8:
        bytes[0] = (uint8_t)ctx->delegated_type;
        return credssp_buf_dup(value, bytes, 1);
    case 9:
    case 10:
    case 11:
        if (ctx->tls == NULL || !credssp_tls_is_established(ctx->tls)) {
            return 0;
        }
        return credssp_tls_cb_application_data(
            ctx->tls,
            which == 9    ? CREDSSP_TLS_CB_SERVER_END_POINT
            : which == 10 ? CREDSSP_TLS_CB_UNIQUE
                          : CREDSSP_TLS_CB_EXPORTER,
            value);
    default:
        return CREDSSP_ERR_NOT_IMPLEMENTED;
    }
}

/*
 * The context inquiries of <gssapi/gssapi_credssp.h>: OIDs below
 * 2.25.7174002494213204233.2, each answered with zero or one buffer.
 */
OM_uint32
credssp_inquire_sec_context_by_oid(OM_uint32 *minor_status,
                                   const gss_ctx_id_t context_handle,
                                   const gss_OID desired_object,
                                   gss_buffer_set_t *data_set)
{
    struct credssp_ctx *ctx = (struct credssp_ctx *)context_handle;
    struct credssp_buf value = { NULL, 0 };
    gss_buffer_desc member;
    const unsigned char *arcs;
    OM_uint32 major, tmp;
    int ret;

    *minor_status = 0;
    if (data_set == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    *data_set = GSS_C_NO_BUFFER_SET;
    if (ctx == NULL) {
        return GSS_S_NO_CONTEXT;
    }
    arcs = desired_object != GSS_C_NO_OID ? desired_object->elements : NULL;
    if (arcs == NULL ||
        desired_object->length != GSS_CREDSSP_INQ_CONTEXT_LENGTH ||
        memcmp(arcs, GSS_CREDSSP_MECH_OID_BYTES,
               GSS_CREDSSP_MECH_OID_LENGTH) != 0 ||
        arcs[GSS_CREDSSP_MECH_OID_LENGTH] != 2) {
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_NOT_IMPLEMENTED);
        return GSS_S_UNAVAILABLE;
    }
    /* A binding type defined but not on this channel (tls-unique in TLS
     * 1.3) is CREDSSP_ERR_TLS_CB_UNAVAILABLE, GSS_S_UNAVAILABLE. */
    ret = context_value(ctx, arcs[GSS_CREDSSP_MECH_OID_LENGTH + 1], &value);
    if (ret != 0) {
        *minor_status = (OM_uint32)ret;
        return credssp_err_major(ret);
    }
    major = gss_create_empty_buffer_set(minor_status, data_set);
    if (major == GSS_S_COMPLETE && value.len > 0) {
        member.value = value.data;
        member.length = value.len;
        major = gss_add_buffer_set_member(minor_status, &member, data_set);
    }
    credssp_buf_free(&value);
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_buffer_set(&tmp, data_set);
        *minor_status = ENOMEM;
    }
    return major;
}

/* gss_inquire_cred for our only mechanism, with the usage's lifetimes. */
OM_uint32
credssp_inquire_cred_by_mech(OM_uint32 *minor_status,
                             gss_cred_id_t cred_handle, gss_OID mech_type,
                             gss_name_t *name, OM_uint32 *initiator_lifetime,
                             OM_uint32 *acceptor_lifetime,
                             gss_cred_usage_t *cred_usage)
{
    gss_cred_usage_t usage = GSS_C_BOTH;
    OM_uint32 major;

    (void)mech_type;
    major = credssp_inquire_cred(minor_status, cred_handle, name, NULL,
                                 &usage, NULL);
    if (major != GSS_S_COMPLETE) {
        return major;
    }
    if (initiator_lifetime != NULL) {
        *initiator_lifetime = usage != GSS_C_ACCEPT ? GSS_C_INDEFINITE : 0;
    }
    if (acceptor_lifetime != NULL) {
        *acceptor_lifetime = usage != GSS_C_INITIATE ? GSS_C_INDEFINITE : 0;
    }
    if (cred_usage != NULL) {
        *cred_usage = usage;
    }
    return GSS_S_COMPLETE;
}
