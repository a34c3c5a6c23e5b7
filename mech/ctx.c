/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Context objects: creation, release, and the context inquiries
 * (gss_delete_sec_context, gss_inquire_context, gss_context_time).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/zap.h"
#include "mech/ctx.h"
#include "mech/ep.h"
#include "mech/glue.h"
#include "mech/mech.h"
#include "mech/trace.h"

static OM_uint32 inner_names(OM_uint32 *minor, struct credssp_ctx *ctx,
                             struct credssp_name **initiator,
                             struct credssp_name **acceptor);

int
credssp_ctx_new(enum credssp_role role, struct credssp_ctx **out)
{
    struct credssp_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL) {
        return ENOMEM;
    }
    ctx->role = role;
    ctx->state = CREDSSP_STATE_START;
    ctx->own_version = CREDSSP_OWN_VERSION;
    ctx->inner.owner = ctx;
    ctx->inner.role = role == CREDSSP_ROLE_INITIATOR ? "initiator"
                                                     : "acceptor";
    ctx->inner.ctx = GSS_C_NO_CONTEXT;
    if (pthread_mutex_init(&ctx->mic_lock, NULL) != 0) {
        free(ctx);
        return ENOMEM;
    }
    *out = ctx;
    return 0;
}

void
credssp_ctx_free(struct credssp_ctx **ctx)
{
    struct credssp_ctx *c;

    if (ctx == NULL || *ctx == NULL) {
        return;
    }
    c = *ctx;
    credssp_inner_free(&c->inner);
    credssp_tls_free(&c->tls);
    credssp_name_free(&c->target);
    credssp_name_free(&c->src_name);
    credssp_name_free(&c->inner_src);
    credssp_name_free(&c->inner_targ);
    credssp_cred_free(&c->delegated);
    credssp_cred_free(&c->cred);
    free(c->spn);
    credssp_buf_wipe_free(&c->server_key);
    credssp_buf_free(&c->sent_pub_key_auth);
    credssp_buf_free(&c->last_nego_in);
    credssp_buf_wipe_free(&c->plain);
    credssp_buf_free(&c->own_cb_data);
    free(c->wrap_seen);
    pthread_mutex_destroy(&c->mic_lock);
    credssp_zap(c, sizeof(*c));
    free(c);
    *ctx = NULL;
}

const char *
credssp_ctx_role_name(const struct credssp_ctx *ctx)
{
    return ctx->role == CREDSSP_ROLE_INITIATOR ? "initiator" : "acceptor";
}

/*
 * The two names of the inner context, as ours.  An NTLM acceptor's own
 * name is its credential's (NULL for the default one): gss-ntlmssp cannot
 * duplicate the empty name of an acceptor without one, and crashes.
 */
static OM_uint32
inner_names(OM_uint32 *minor, struct credssp_ctx *ctx,
            struct credssp_name **initiator, struct credssp_name **acceptor)
{
    const struct credssp_glue *g = credssp_glue(minor);
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    OM_uint32 major, tmp;
    int own_name = ctx->role == CREDSSP_ROLE_ACCEPTOR &&
                   credssp_inner_is_ntlm(&ctx->inner);

    if (g == NULL) {
        return GSS_S_FAILURE;
    }
    if (acceptor != NULL && own_name) {
        if (ctx->cred->name != NULL) {
            major = credssp_name_copy(minor, ctx->cred->name, acceptor);
            if (major != GSS_S_COMPLETE) {
                return major;
            }
        }
        acceptor = NULL;
    }
    if (initiator == NULL && acceptor == NULL) {
        return GSS_S_COMPLETE;
    }
    major = g->inquire_context(minor, ctx->inner.ctx,
                               initiator != NULL ? &src : NULL,
                               acceptor != NULL ? &targ : NULL, NULL, NULL,
                               NULL, NULL, NULL);
    if (major == GSS_S_COMPLETE && initiator != NULL &&
        src != GSS_C_NO_NAME) {
        major = credssp_name_take_inner(minor, &src, initiator);
    }
    if (major == GSS_S_COMPLETE && acceptor != NULL &&
        targ != GSS_C_NO_NAME) {
        major = credssp_name_take_inner(minor, &targ, acceptor);
    }
    if (src != GSS_C_NO_NAME) {
        (void)g->release_name(&tmp, &src);
    }
    if (targ != GSS_C_NO_NAME) {
        (void)g->release_name(&tmp, &targ);
    }
    return major;
}

/* Copies of the names kept from a released inner context. */
static OM_uint32
kept_names(OM_uint32 *minor, const struct credssp_ctx *ctx,
           struct credssp_name **initiator, struct credssp_name **acceptor)
{
    OM_uint32 major = GSS_S_COMPLETE;

    if (initiator != NULL && ctx->inner_src != NULL) {
        major = credssp_name_copy(minor, ctx->inner_src, initiator);
    }
    if (major == GSS_S_COMPLETE && acceptor != NULL &&
        ctx->inner_targ != NULL) {
        major = credssp_name_copy(minor, ctx->inner_targ, acceptor);
    }
    return major;
}

/*
 * Once CredSSP is established the inner context has nothing left to do:
 * authInfo was the last message it protected.  An NTLM one still holds
 * gss-ntlmssp's two iconv descriptors, about 64 KB a context, for as long
 * as the application keeps ours: keep its names and the end of its
 * lifetime, release it.  A Kerberos one is kept: it is small, and reading
 * its names would cost the krb5 mechanism a library context each.
 */
void
credssp_ctx_release_inner(struct credssp_ctx *ctx)
{
    const struct credssp_glue *g;
    struct credssp_name *src = NULL, *targ = NULL;
    OM_uint32 major, minor, rec = 0;
    time_t expiry = 0;

    if (!credssp_inner_is_ntlm(&ctx->inner) ||
        ctx->inner.ctx == GSS_C_NO_CONTEXT || !ctx->inner.complete) {
        return;
    }
    g = credssp_glue(&minor);
    if (g == NULL) {
        return;
    }
    /* As credssp_context_time reads a live one: none is indefinite. */
    major = g->context_time(&minor, ctx->inner.ctx, &rec);
    if (major == GSS_S_CONTEXT_EXPIRED) {
        expiry = time(NULL);
    } else if (major == GSS_S_COMPLETE && rec != GSS_C_INDEFINITE) {
        expiry = time(NULL) + (time_t)rec;
    }
    if (inner_names(&minor, ctx, &src, &targ) != GSS_S_COMPLETE) {
        credssp_name_free(&src);
        credssp_name_free(&targ);
        return;
    }
    ctx->inner_src = src;
    ctx->inner_targ = targ;
    ctx->expiry = expiry;
    ctx->inner_released = 1;
    credssp_inner_delete_context(&ctx->inner);
    TRACE_CREDSSP_INNER_RELEASED(ctx, credssp_ctx_role_name(ctx));
}

OM_uint32
credssp_delete_sec_context(OM_uint32 *minor_status,
                           gss_ctx_id_t *context_handle,
                           gss_buffer_t output_token)
{
    if (minor_status != NULL) {
        *minor_status = 0;
    }
    if (output_token != GSS_C_NO_BUFFER) {
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (context_handle == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    credssp_ctx_free((struct credssp_ctx **)context_handle);
    *context_handle = GSS_C_NO_CONTEXT;
    return GSS_S_COMPLETE;
}

/*
 * Names, lifetime, flags and role of a context.  The names come from the
 * inner context once it is established: the user it authenticated and the
 * service it authenticated to.
 */
OM_uint32
credssp_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                        gss_name_t *src_name, gss_name_t *targ_name,
                        OM_uint32 *lifetime_rec, gss_OID *mech_type,
                        OM_uint32 *ctx_flags, int *locally_initiated,
                        int *open)
{
    struct credssp_ctx *ctx = (struct credssp_ctx *)context_handle;
    struct credssp_name *src = NULL, *targ = NULL;
    OM_uint32 major = GSS_S_COMPLETE, tmp;

    *minor_status = 0;
    if (src_name != NULL) {
        *src_name = GSS_C_NO_NAME;
    }
    if (targ_name != NULL) {
        *targ_name = GSS_C_NO_NAME;
    }
    if (ctx == NULL) {
        return GSS_S_NO_CONTEXT;
    }
    if ((src_name != NULL || targ_name != NULL) && ctx->inner_released) {
        major = kept_names(minor_status, ctx, src_name != NULL ? &src : NULL,
                           targ_name != NULL ? &targ : NULL);
    } else if ((src_name != NULL || targ_name != NULL) &&
               ctx->inner.complete) {
        major = inner_names(minor_status, ctx,
                            src_name != NULL ? &src : NULL,
                            targ_name != NULL ? &targ : NULL);
    }
    if (major == GSS_S_COMPLETE && targ_name != NULL && targ == NULL &&
        ctx->target != NULL) {
        major = credssp_name_copy(minor_status, ctx->target, &targ);
    }
    if (major != GSS_S_COMPLETE) {
        credssp_name_free(&src);
        credssp_name_free(&targ);
        return major;
    }
    if (src_name != NULL) {
        *src_name = (gss_name_t)src;
    }
    if (targ_name != NULL) {
        *targ_name = (gss_name_t)targ;
    }
    if (lifetime_rec != NULL) {
        major = credssp_context_time(&tmp, context_handle, lifetime_rec);
        if (major != GSS_S_COMPLETE) {
            *lifetime_rec = 0;
        }
    }
    if (mech_type != NULL) {
        *mech_type = GSS_CREDSSP_MECH_OID;
    }
    if (ctx_flags != NULL) {
        *ctx_flags = ctx->ret_flags;
    }
    if (locally_initiated != NULL) {
        *locally_initiated = ctx->role == CREDSSP_ROLE_INITIATOR;
    }
    if (open != NULL) {
        *open = ctx->state == CREDSSP_STATE_DONE;
    }
    return GSS_S_COMPLETE;
}

/* The inner context's lifetime (a Kerberos ticket's end), or
 * indefinite where the inner mechanism has none. */
OM_uint32
credssp_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                     OM_uint32 *time_rec)
{
    struct credssp_ctx *ctx = (struct credssp_ctx *)context_handle;
    const struct credssp_glue *g;
    OM_uint32 major;
    time_t now;

    *minor_status = 0;
    if (ctx == NULL) {
        return GSS_S_NO_CONTEXT;
    }
    if (ctx->state != CREDSSP_STATE_DONE) {
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_CONTEXT_INCOMPLETE);
        return GSS_S_NO_CONTEXT;
    }
    if (ctx->inner_released) {
        now = time(NULL);
        if (ctx->expiry == 0) {
            *time_rec = GSS_C_INDEFINITE;
        } else if (ctx->expiry <= now) {
            *time_rec = 0;
            return GSS_S_CONTEXT_EXPIRED;
        } else {
            *time_rec = ctx->expiry - now >= (time_t)GSS_C_INDEFINITE
                            ? GSS_C_INDEFINITE - 1
                            : (OM_uint32)(ctx->expiry - now);
        }
        return GSS_S_COMPLETE;
    }
    g = credssp_glue(minor_status);
    if (g == NULL) {
        return GSS_S_FAILURE;
    }
    major = g->context_time(minor_status, ctx->inner.ctx, time_rec);
    if (major == GSS_S_CONTEXT_EXPIRED) {
        return major;
    }
    if (major != GSS_S_COMPLETE) {
        *minor_status = 0;
        *time_rec = GSS_C_INDEFINITE;
    }
    return GSS_S_COMPLETE;
}

/* The outputs both context calls share, emptied; 0 when they can be
 * written. */
int
credssp_ctx_clear_outputs(OM_uint32 *minor, gss_ctx_id_t *context_handle,
                          gss_buffer_t output_token, gss_OID *mech_type,
                          OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    if (minor == NULL || context_handle == NULL ||
        output_token == GSS_C_NO_BUFFER) {
        return -1;
    }
    *minor = 0;
    output_token->length = 0;
    output_token->value = NULL;
    if (mech_type != NULL) {
        *mech_type = GSS_CREDSSP_MECH_OID;
    }
    if (ret_flags != NULL) {
        *ret_flags = 0;
    }
    if (time_rec != NULL) {
        *time_rec = 0;
    }
    return 0;
}

/* One step with the caller's channel bindings (borrowed for the call),
 * then the flags and, on completion, the lifetime. */
OM_uint32
credssp_ctx_step(OM_uint32 *minor, struct credssp_ctx *ctx,
                 gss_channel_bindings_t cb, const struct credssp_buf *in,
                 struct credssp_buf *out, OM_uint32 *ret_flags,
                 OM_uint32 *time_rec)
{
    OM_uint32 major, tmp;

    ctx->app_cb = cb;
    ctx->cb = credssp_ep_inner_bindings(ctx);
    major = credssp_state_step(minor, ctx, in, out);
    ctx->cb = GSS_C_NO_CHANNEL_BINDINGS;
    ctx->app_cb = GSS_C_NO_CHANNEL_BINDINGS;
    if (major == GSS_S_COMPLETE && ctx->role == CREDSSP_ROLE_INITIATOR &&
        (ctx->inner.flags & GSS_C_CHANNEL_BOUND_FLAG)) {
        /* Known on this side only when the inner mechanism says so. */
        ctx->ret_flags |= GSS_C_CHANNEL_BOUND_FLAG;
    }
    if (ret_flags != NULL) {
        *ret_flags = ctx->ret_flags;
    }
    if (major == GSS_S_COMPLETE && time_rec != NULL) {
        (void)credssp_context_time(&tmp, (gss_ctx_id_t)ctx, time_rec);
    }
    return major;
}
