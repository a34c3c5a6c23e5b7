/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * gss_init_sec_context for CredSSP: arguments in, tokens out, handle
 * lifetimes (RFC 2744 5.19).  The exchange itself is mech/state.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mech/ctx.h"
#include "mech/glue.h"
#include "mech/mech.h"
#include "mech/token.h"

static OM_uint32 new_initiator(OM_uint32 *minor, gss_cred_id_t cred_handle,
                               gss_name_t target_name, OM_uint32 req_flags,
                               struct credssp_ctx **out);

/* A fresh initiator context: our own reference to the credential (the
 * default one when the caller has none), the target and its SPN. */
static OM_uint32
new_initiator(OM_uint32 *minor, gss_cred_id_t cred_handle,
              gss_name_t target_name, OM_uint32 req_flags,
              struct credssp_ctx **out)
{
    struct credssp_ctx *ctx = NULL;
    OM_uint32 major;
    int ret;

    if (target_name == GSS_C_NO_NAME) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
        return GSS_S_BAD_NAME;
    }
    ret = credssp_ctx_new(CREDSSP_ROLE_INITIATOR, &ctx);
    if (ret != 0) {
        *minor = (OM_uint32)ret;
        return GSS_S_FAILURE;
    }
    major = credssp_name_copy(minor, (struct credssp_name *)target_name,
                              &ctx->target);
    if (major != GSS_S_COMPLETE) {
        goto done;
    }
    /* The SPN is what delegation policy and saved credentials match; a
     * user-name target has none, which is fine until they need one. */
    if (credssp_name_spn(ctx->target, &ctx->spn) == ENOMEM) {
        *minor = ENOMEM;
        major = GSS_S_FAILURE;
        goto done;
    }
    major = credssp_cred_for_context(minor, cred_handle, GSS_C_INITIATE,
                                     ctx->spn, &ctx->cred);
    if (major != GSS_S_COMPLETE) {
        goto done;
    }
    ctx->req_flags = req_flags;
    ctx->raw_wire = ctx->cred->wire == CREDSSP_WIRE_RAW;
    ctx->own_version = (uint32_t)ctx->cred->cfg->max_version;
    ctx->inner.mode = ctx->cred->inner_mode;

done:
    if (major != GSS_S_COMPLETE) {
        credssp_ctx_free(&ctx);
        return major;
    }
    *out = ctx;
    return GSS_S_COMPLETE;
}

/*
 * The first call creates the context and returns the first token (with
 * the RFC 2743 header unless the wire is raw).  Later calls feed the
 * acceptor's tokens.  On failure of the first call no context is left;
 * a later failure leaves the context for gss_delete_sec_context.  An
 * output token may accompany a failure (a TLS alert for the peer).
 */
OM_uint32
credssp_init_sec_context(OM_uint32 *minor_status,
                         gss_cred_id_t claimant_cred_handle,
                         gss_ctx_id_t *context_handle, gss_name_t target_name,
                         gss_OID mech_type, OM_uint32 req_flags,
                         OM_uint32 time_req,
                         gss_channel_bindings_t input_chan_bindings,
                         gss_buffer_t input_token, gss_OID *actual_mech_type,
                         gss_buffer_t output_token, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec)
{
    struct credssp_ctx *ctx;
    struct credssp_buf in = { NULL, 0 }, out = { NULL, 0 };
    struct credssp_buf framed = { NULL, 0 };
    OM_uint32 major;
    int first, ret;

    (void)mech_type;
    (void)time_req;
    if (credssp_ctx_clear_outputs(minor_status, context_handle, output_token,
                                  actual_mech_type, ret_flags,
                                  time_rec) != 0) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    if (input_token != GSS_C_NO_BUFFER) {
        in.data = input_token->value;
        in.len = input_token->length;
    }
    if (credssp_guard_enter() != 0) {
        *minor_status = CREDSSP_ERR_RECURSION;
        return GSS_S_FAILURE;
    }

    first = *context_handle == GSS_C_NO_CONTEXT;
    if (first) {
        if (in.len != 0) {
            *minor_status = CREDSSP_ERR(CREDSSP_ERR_OUT_OF_ORDER);
            major = GSS_S_DEFECTIVE_TOKEN;
            goto done;
        }
        major = new_initiator(minor_status, claimant_cred_handle,
                              target_name, req_flags, &ctx);
        if (major != GSS_S_COMPLETE) {
            goto done;
        }
    } else {
        ctx = (struct credssp_ctx *)*context_handle;
        if (ctx->role != CREDSSP_ROLE_INITIATOR) {
            *minor_status = CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
            major = GSS_S_NO_CONTEXT;
            goto done;
        }
        if (in.len == 0 && ctx->state != CREDSSP_STATE_DONE &&
            ctx->state != CREDSSP_STATE_FAILED) {
            /* The acceptor always answers with something: an empty
             * token is a peer that went away.  Refused (as by the
             * acceptor), the context left as it was; CONTINUE_NEEDED
             * would have the caller wait for a peer that is gone. */
            *minor_status = CREDSSP_ERR(CREDSSP_ERR_SHORT_INPUT);
            major = GSS_S_DEFECTIVE_TOKEN;
            goto done;
        }
    }

    major = credssp_ctx_step(minor_status, ctx, input_chan_bindings, &in,
                             &out, ret_flags, time_rec);
    if (first && !ctx->raw_wire && out.len > 0) {
        ret = credssp_token_add_header(&out, &framed);
        credssp_buf_free(&out);
        if (ret != 0) {
            *minor_status = (OM_uint32)ret;
            major = GSS_S_FAILURE;
        }
        credssp_buf_move(&out, &framed);
    }
    /* The buffer came from malloc: it is the caller's to release. */
    output_token->value = out.data;
    output_token->length = out.len;
    if (GSS_ERROR(major) && first) {
        credssp_ctx_free(&ctx);
    }
    *context_handle = (gss_ctx_id_t)ctx;

done:
    credssp_guard_leave();
    return major;
}
