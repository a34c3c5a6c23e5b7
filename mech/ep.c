/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Extended protection in the mechanism (MS-CSSP.md 7.2, 7.3): the inner
 * context's channel bindings and the acceptor's policy check.
 *
 * Observability, which shapes the policy: MIT krb5 and gss-ntlmssp report
 * a client's bindings only as GSS_C_CHANNEL_BOUND_FLAG when they matched
 * the acceptor's, and fail the inner context on a mismatch (mapped in
 * inner.c); "sent but not compared" cannot be seen.  The client's SPN is
 * the Kerberos ticket's service principal; gss-ntlmssp exposes no inquiry
 * for the NTLM MsvAvTargetName, so an NTLM client counts as having sent no
 * SPN.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mech/ctx.h"
#include "mech/ep.h"
#include "mech/inner.h"
#include "mech/mech.h"
#include "mech/trace.h"

#define STORE_FILE "(cred store)"

static int is_ep_key(const char *key);
static int store_has(gss_const_key_value_set_t store, const char *key);
static int store_inner_cb(gss_const_key_value_set_t store,
                          enum credssp_inner_cb *inner_cb);
static int collect_entries(const struct credssp_config *cfg,
                           gss_const_key_value_set_t store,
                           struct credssp_policy_entry **out, size_t *n);

static const char *const ep_keys[] = { GSS_CREDSSP_STORE_ENFORCEMENT,
                                       GSS_CREDSSP_STORE_SCENARIO,
                                       GSS_CREDSSP_STORE_SERVICE_NAMES };

static int
is_ep_key(const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(ep_keys) / sizeof(*ep_keys); i++) {
        if (strcasecmp(key, ep_keys[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
store_has(gss_const_key_value_set_t store, const char *key)
{
    OM_uint32 i;

    for (i = 0; store != GSS_C_NO_CRED_STORE && i < store->count; i++) {
        if (strcasecmp(store->elements[i].key, key) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
store_inner_cb(gss_const_key_value_set_t store,
               enum credssp_inner_cb *inner_cb)
{
    const char *value = NULL;
    OM_uint32 i;

    for (i = 0; store != GSS_C_NO_CRED_STORE && i < store->count; i++) {
        if (strcmp(store->elements[i].key,
                   GSS_CREDSSP_STORE_INNER_CHANNEL_BINDING) != 0) {
            continue;
        }
        if (value != NULL) {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
        }
        value = store->elements[i].value;
    }
    if (value != NULL &&
        credssp_config_parse_inner_cb(value, inner_cb) != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    return 0;
}

/* The file's relations whose key the store does not replace, then the
 * store's; strings borrowed. */
static int
collect_entries(const struct credssp_config *cfg,
                gss_const_key_value_set_t store,
                struct credssp_policy_entry **out, size_t *n)
{
    struct credssp_policy_entry *entries;
    size_t max = cfg->extended_protection_count, count = 0, i;
    OM_uint32 j;

    if (store != GSS_C_NO_CRED_STORE) {
        max += store->count;
    }
    *out = NULL;
    *n = 0;
    if (max == 0) {
        return 0;
    }
    entries = calloc(max, sizeof(*entries));
    if (entries == NULL) {
        return ENOMEM;
    }
    for (i = 0; i < cfg->extended_protection_count; i++) {
        if (store_has(store, cfg->extended_protection[i].key)) {
            continue;
        }
        entries[count].key = cfg->extended_protection[i].key;
        entries[count].value = cfg->extended_protection[i].value;
        entries[count].file = cfg->file;
        entries[count].line = cfg->extended_protection[i].line;
        count++;
    }
    for (j = 0; store != GSS_C_NO_CRED_STORE && j < store->count; j++) {
        if (!is_ep_key(store->elements[j].key)) {
            continue;
        }
        entries[count].key = store->elements[j].key;
        entries[count].value = store->elements[j].value;
        entries[count].file = STORE_FILE;
        entries[count].line = 0;
        count++;
    }
    *out = entries;
    *n = count;
    return 0;
}

int
credssp_ep_load(const struct credssp_config *cfg,
                gss_const_key_value_set_t store,
                struct credssp_ep_policy **ep,
                enum credssp_inner_cb *inner_cb)
{
    struct credssp_policy_entry *entries = NULL;
    struct credssp_policy_error err;
    size_t n = 0;
    int ret;

    *inner_cb = cfg->inner_channel_binding;
    ret = store_inner_cb(store, inner_cb);
    if (ret == 0) {
        ret = collect_entries(cfg, store, &entries, &n);
    }
    if (ret != 0) {
        return ret;
    }
    ret = credssp_ep_parse(entries, n, ep, &err);
    free(entries);
    if (ret == CREDSSP_ERR_CONFIG) {
        credssp_config_report(CREDSSP_ERR_CONFIG, err.file, err.line,
                              err.text);
        if (strcmp(err.file, STORE_FILE) == 0) {
            ret = CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
        }
    }
    return ret;
}

gss_channel_bindings_t
credssp_ep_inner_bindings(struct credssp_ctx *ctx)
{
    gss_channel_bindings_t cb = ctx->app_cb;

    if (ctx->cred == NULL) {
        return GSS_C_NO_CHANNEL_BINDINGS;
    }
    if (ctx->cred->inner_cb != CREDSSP_INNER_CB_NONE) {
        cb = ctx->own_cb_ready ? &ctx->own_cb
                               : GSS_C_NO_CHANNEL_BINDINGS;
    }
    if (ctx->role == CREDSSP_ROLE_ACCEPTOR &&
        !credssp_ep_compares_bindings(ctx->cred->ep)) {
        return GSS_C_NO_CHANNEL_BINDINGS;
    }
    return cb;
}

int
credssp_ep_bind_inner(struct credssp_ctx *ctx)
{
    enum credssp_tls_cb_type type;
    char text[160];
    int ret;

    if (ctx->cred->inner_cb != CREDSSP_INNER_CB_NONE && !ctx->own_cb_ready) {
        if (ctx->app_cb != GSS_C_NO_CHANNEL_BINDINGS) {
            return CREDSSP_ERR(CREDSSP_ERR_CB_CONFLICT);
        }
        type = ctx->cred->inner_cb == CREDSSP_INNER_CB_EXPORTER
                   ? CREDSSP_TLS_CB_EXPORTER
                   : CREDSSP_TLS_CB_SERVER_END_POINT;
        ret = credssp_tls_cb_application_data(ctx->tls, type,
                                              &ctx->own_cb_data);
        if (ret != 0) {
            return ret;
        }
        memset(&ctx->own_cb, 0, sizeof(ctx->own_cb));
        ctx->own_cb.application_data.value = ctx->own_cb_data.data;
        ctx->own_cb.application_data.length = ctx->own_cb_data.len;
        ctx->own_cb_ready = 1;
    }
    ctx->cb = credssp_ep_inner_bindings(ctx);
    snprintf(text, sizeof(text), "inner channel bindings: %s",
             ctx->cb == GSS_C_NO_CHANNEL_BINDINGS ? "none"
             : ctx->own_cb_ready
                 ? credssp_tls_cb_prefix(
                       ctx->cred->inner_cb == CREDSSP_INNER_CB_EXPORTER
                           ? CREDSSP_TLS_CB_EXPORTER
                           : CREDSSP_TLS_CB_SERVER_END_POINT)
                 : "the application's");
    TRACE_CREDSSP_POLICY(ctx, credssp_ctx_role_name(ctx), text);
    return 0;
}

int
credssp_ep_check_client(struct credssp_ctx *ctx)
{
    const struct credssp_ep_policy *p = ctx->cred->ep;
    struct credssp_ep_request req;
    struct credssp_ep_info info;
    char *spn = NULL, text[768];
    int ret;

    /* Finding the SPN costs the inner mechanism a name duplicate, a
     * display and a release: only when service_names will look at it. */
    if (credssp_ep_uses_spn(p)) {
        ret = credssp_inner_target_spn(&ctx->inner, &spn);
        if (ret != 0) {
            return ret;
        }
    }
    req.channel = ctx->cb != GSS_C_NO_CHANNEL_BINDINGS;
    req.cb_verified = (ctx->inner.flags & GSS_C_CHANNEL_BOUND_FLAG) != 0;
    req.spn = spn;
    (void)credssp_ep_evaluate(p, &req, &info);
    snprintf(text, sizeof(text),
             "extended protection (%s, %s): channel %s, bindings %s, "
             "client SPN %s: %s",
             credssp_ep_enforcement_name(
                 p != NULL ? p->enforcement : CREDSSP_EP_WHEN_SUPPORTED),
             credssp_ep_scenario_name(
                 p != NULL ? p->scenario : CREDSSP_EP_TRANSPORT_SELECTED),
             req.channel ? "yes" : "no",
             req.cb_verified ? "verified" : "not verified",
             spn != NULL                ? spn
             : credssp_ep_uses_spn(p) ? "(none)"
                                      : "(not needed)",
             info.reason);
    TRACE_CREDSSP_POLICY(ctx, "acceptor", text);
    if (info.decision == CREDSSP_EP_DENY &&
        info.minor == CREDSSP_ERR_SERVICE_NAME) {
        /* gss_display_status names the SPN. */
        credssp_err_set_detail(info.minor, spn);
    }
    free(spn);
    if (info.decision == CREDSSP_EP_DENY) {
        return CREDSSP_ERR(info.minor);
    }
    if (info.bound) {
        ctx->ret_flags |= GSS_C_CHANNEL_BOUND_FLAG;
    }
    return 0;
}
