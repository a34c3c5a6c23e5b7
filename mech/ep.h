/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Extended protection in the mechanism (DESIGN.md 4.7, MS-CSSP.md 7): which
 * channel bindings the inner context gets, and the acceptor's policy check
 * once the inner context is complete.  The decisions themselves are made by
 * the pure engine of policy/ep.h; this file gathers its inputs.
 */
#ifndef CREDSSP_MECH_EP_H
#define CREDSSP_MECH_EP_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "common/err.h"
#include "mech/conf.h"
#include "policy/ep.h"

struct credssp_ctx;

/*
 * The extended-protection settings of a credential: [extended_protection]
 * of cfg, each setting replaced by the cred-store keys of the same name
 * when given ("service_names" may repeat), and inner_channel_binding of
 * [credssp] or the store.  Returns 0 with a new policy in *ep, or
 * CREDSSP_ERR_CONFIG (the file is wrong; traced with file and line),
 * CREDSSP_ERR_BAD_ARGUMENT (a store value is wrong) or ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_ep_load(const struct credssp_config *cfg,
                                       gss_const_key_value_set_t store,
                                       struct credssp_ep_policy **ep,
                                       enum credssp_inner_cb *inner_cb);

/*
 * The channel bindings the inner context gets in this call:
 *   inner_channel_binding set: the CredSSP TLS channel's (once
 *     credssp_ep_bind_inner() computed them), never the application's;
 *   otherwise the application's (ctx->app_cb), absent when absent;
 *   acceptor: none at all unless its policy compares bindings
 *     (enforcement not never, scenario transport_selected).
 */
gss_channel_bindings_t credssp_ep_inner_bindings(struct credssp_ctx *ctx);

/*
 * Right after the TLS handshake, before the first inner token: compute the
 * CredSSP channel's bindings when inner_channel_binding is set and select
 * ctx->cb.  Errors: CREDSSP_ERR_CB_CONFLICT (the application gave its own
 * bindings as well), CREDSSP_ERR_TLS_CB_UNAVAILABLE (e.g. tls-exporter on
 * TLS 1.2 without extended master secret), ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_ep_bind_inner(struct credssp_ctx *ctx);

/*
 * Acceptor, once the inner context is complete: the extended-protection
 * policy (policy/ep.h) over what the inner context proved.  Sets
 * GSS_C_CHANNEL_BOUND_FLAG in ctx->ret_flags when the client's bindings
 * were verified.  Returns 0, or the refusal: CREDSSP_ERR_CB_REQUIRED,
 * CREDSSP_ERR_SERVICE_NAME (gss_display_status names the SPN),
 * CREDSSP_ERR_SERVICE_NAME_REQUIRED; ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_ep_check_client(struct credssp_ctx *ctx);

#endif /* CREDSSP_MECH_EP_H */
