/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * gss_accept_sec_context for CredSSP: arguments in, tokens out, handle
 * lifetimes (RFC 2744 5.1).  The exchange itself is mech/state.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mech/ctx.h"
#include "mech/glue.h"
#include "mech/mech.h"
#include "mech/token.h"

static OM_uint32 new_acceptor(OM_uint32 *minor, gss_cred_id_t cred_handle,
                              struct credssp_ctx **out);
static OM_uint32 hand_over(OM_uint32 *minor, struct credssp_ctx *ctx,
                           gss_name_t *src_name,
                           gss_cred_id_t *delegated_cred_handle);

static OM_uint32
new_acceptor(OM_uint32 *minor, gss_cred_id_t cred_handle,
             struct credssp_ctx **out)
{
    struct credssp_ctx *ctx = NULL;
    OM_uint32 major;
    int ret;

    ret = credssp_ctx_new(CREDSSP_ROLE_ACCEPTOR, &ctx);
    if (ret != 0) {
        *minor = (OM_uint32)ret;
        return GSS_S_FAILURE;
    }
    major = credssp_cred_for_context(minor, cred_handle, GSS_C_ACCEPT, NULL,
                                     &ctx->cred);
    if (major != GSS_S_COMPLETE) {
        credssp_ctx_free(&ctx);
        return major;
    }
    ctx->own_version = (uint32_t)ctx->cred->cfg->max_version;
    *out = ctx;
    return GSS_S_COMPLETE;
}

/*
 * On completion: the client's name and what it delegated.  The context
 * needs the name no more (gss_inquire_context asks the inner context), so
 * the caller gets it as it is, without a copy of the inner name.
 */
static OM_uint32
hand_over(OM_uint32 *minor, struct credssp_ctx *ctx, gss_name_t *src_name,
          gss_cred_id_t *delegated_cred_handle)
{
    *minor = 0;
    if (src_name != NULL) {
        *src_name = (gss_name_t)ctx->src_name;
        ctx->src_name = NULL;
    }
    if (delegated_cred_handle != NULL && ctx->delegated != NULL) {
        *delegated_cred_handle =
            (gss_cred_id_t)credssp_cred_ref(ctx->delegated);
    }
    return GSS_S_COMPLETE;
}

/*
 * The first call accepts a framed first token (RFC 2743 header naming
 * CredSSP) or the raw TLS records of an MS-CSSP peer.  A token that holds
 * only part of a TSRequest gives CONTINUE with an empty output token.  The
 * exchange completes when the client's credentials arrive; the output
 * token is then empty.  An errorCode for the client may accompany a
 * failure.
 */
OM_uint32
credssp_accept_sec_context(OM_uint32 *minor_status,
                           gss_ctx_id_t *context_handle,
                           gss_cred_id_t acceptor_cred_handle,
                           gss_buffer_t input_token,
                           gss_channel_bindings_t input_chan_bindings,
                           gss_name_t *src_name, gss_OID *mech_type,
                           gss_buffer_t output_token, OM_uint32 *ret_flags,
                           OM_uint32 *time_rec,
                           gss_cred_id_t *delegated_cred_handle)
{
    struct credssp_ctx *ctx;
    struct credssp_buf in = { NULL, 0 }, out = { NULL, 0 };
    const uint8_t *body;
    size_t body_len;
    OM_uint32 major;
    int first, framed, ret;

    if (credssp_ctx_clear_outputs(minor_status, context_handle, output_token,
                                  mech_type, ret_flags, time_rec) != 0) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    if (src_name != NULL) {
        *src_name = GSS_C_NO_NAME;
    }
    if (delegated_cred_handle != NULL) {
        *delegated_cred_handle = GSS_C_NO_CREDENTIAL;
    }
    if (input_token == GSS_C_NO_BUFFER || input_token->length == 0) {
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_SHORT_INPUT);
        return GSS_S_DEFECTIVE_TOKEN;
    }
    in.data = input_token->value;
    in.len = input_token->length;
    if (credssp_guard_enter() != 0) {
        *minor_status = CREDSSP_ERR_RECURSION;
        return GSS_S_FAILURE;
    }

    first = *context_handle == GSS_C_NO_CONTEXT;
    if (first) {
        ret = credssp_token_strip_header(in.data, in.len, &body, &body_len,
                                         &framed);
        if (ret != 0) {
            *minor_status = (OM_uint32)ret;
            major = credssp_err_major(ret);
            goto done;
        }
        in.data = (uint8_t *)(uintptr_t)body;
        in.len = body_len;
        major = new_acceptor(minor_status, acceptor_cred_handle, &ctx);
        if (major != GSS_S_COMPLETE) {
            goto done;
        }
    } else {
        ctx = (struct credssp_ctx *)*context_handle;
        if (ctx->role != CREDSSP_ROLE_ACCEPTOR) {
            *minor_status = CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
            major = GSS_S_NO_CONTEXT;
            goto done;
        }
    }

    major = credssp_ctx_step(minor_status, ctx, input_chan_bindings, &in,
                             &out, ret_flags, time_rec);
    output_token->value = out.data;
    output_token->length = out.len;
    if (major == GSS_S_COMPLETE) {
        major = hand_over(minor_status, ctx, src_name,
                          delegated_cred_handle);
    }
    if (GSS_ERROR(major) && first) {
        credssp_ctx_free(&ctx);
    }
    *context_handle = (gss_ctx_id_t)ctx;

done:
    credssp_guard_leave();
    return major;
}
