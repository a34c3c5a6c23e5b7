/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The acceptor's extended-protection policy (DESIGN.md 4.7; MS-CSSP.md
 * 7.3, the .NET ExtendedProtectionPolicy model), read from the
 * [extended_protection] section of credssp.conf or from cred-store keys of
 * the same names.  Pure, like the delegation engine (STYLE.md 4.11): no
 * GSS, TLS or DER here.
 *
 *   parse     credssp_ep_parse(): relations -> struct credssp_ep_policy,
 *             or the file, line and text of the first error;
 *   request   the mechanism gathers struct credssp_ep_request once the
 *             inner acceptor context is complete;
 *   evaluate  credssp_ep_evaluate(): policy x request -> decision, minor
 *             code and a static reason.  No I/O, no allocation.
 *
 * Settings (keys ASCII case-insensitive):
 *   enforcement    never | when_supported | always  (default when_supported;
 *                  at most once)
 *   scenario       transport_selected | trusted_proxy  (default
 *                  transport_selected; at most once)
 *   service_names  one SPN per relation, repeatable: "service/host",
 *                  optionally ":port" and "/distinguisher", kept verbatim
 *                  (no wildcards); compared exactly, ignoring ASCII case.
 *                  An empty value means "no list" (the default), and
 *                  cannot be mixed with SPNs.
 *
 * Evaluation, case by case (MS-CSSP.md 7.3).  "channel" = the acceptor
 * handed channel bindings to the inner context (the application's outer
 * channel, or the CredSSP TLS channel with inner_channel_binding);
 * "verified" = the inner context reported GSS_C_CHANNEL_BOUND_FLAG.  A
 * mismatch never reaches the evaluator: the inner context itself fails
 * (mapped to CREDSSP_ERR_CB_MISMATCH).
 *   1. enforcement never: ALLOW, nothing checked (the mechanism then hands
 *      no bindings to the inner context at all);
 *   2. transport_selected with a channel: verified -> ALLOW (bound);
 *      not verified (the client sent none) -> ALLOW under when_supported
 *      (a legacy client), DENY CREDSSP_ERR_CB_REQUIRED under always.  No
 *      SPN check over a secure channel;
 *   3. otherwise (trusted_proxy -- the CBT is not compared, the mechanism
 *      hands no bindings to the inner context -- or transport_selected
 *      without a channel): the service-name check:
 *      no service_names -> ALLOW;
 *      the client sent no SPN -> ALLOW under when_supported, DENY
 *      CREDSSP_ERR_SERVICE_NAME_REQUIRED under always;
 *      the SPN is in service_names -> ALLOW, else DENY
 *      CREDSSP_ERR_SERVICE_NAME.
 */
#ifndef CREDSSP_POLICY_EP_H
#define CREDSSP_POLICY_EP_H

#include <stddef.h>

#include "common/err.h"
#include "policy/policy.h"

enum credssp_ep_enforcement {
    CREDSSP_EP_NEVER = 0,
    CREDSSP_EP_WHEN_SUPPORTED,
    CREDSSP_EP_ALWAYS
};

enum credssp_ep_scenario {
    CREDSSP_EP_TRANSPORT_SELECTED = 0,
    CREDSSP_EP_TRUSTED_PROXY
};

struct credssp_ep_policy {
    enum credssp_ep_enforcement enforcement;
    enum credssp_ep_scenario scenario;
    char **service_names; /* count entries, as written */
    size_t count;
};

/* What the acceptor knows once the inner context is complete. */
struct credssp_ep_request {
    int channel;     /* bindings were handed to the inner context */
    int cb_verified; /* ... and the inner context verified the client's */
    const char *spn; /* the SPN the client authenticated to ("HTTP/host"),
                      * NULL when the client sent none (NTLM) */
};

enum credssp_ep_decision {
    CREDSSP_EP_ALLOW = 0,
    CREDSSP_EP_DENY
};

struct credssp_ep_info {
    enum credssp_ep_decision decision;
    int bound;          /* report GSS_C_CHANNEL_BOUND_FLAG */
    int minor;          /* 0 or the refusal's CREDSSP_ERR_* code */
    const char *reason; /* static text for the trace */
};

/* The policy of no configuration: when_supported, transport_selected, no
 * service names.  Returns 0 or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_ep_new_default(struct credssp_ep_policy **out);

/*
 * Build a policy from the n relations of [extended_protection] (entries may
 * be NULL when n is 0).  Returns 0 with a new policy in *out, or
 * CREDSSP_ERR_CONFIG (unknown key, bad value, a setting given twice, an
 * invalid SPN) with *err filled (when not NULL), or ENOMEM; *out is then
 * untouched.
 */
CREDSSP_MUST_CHECK int
credssp_ep_parse(const struct credssp_policy_entry *entries, size_t n,
                 struct credssp_ep_policy **out,
                 struct credssp_policy_error *err);

/* Release; accepts NULL and *policy == NULL, leaves NULL. */
void credssp_ep_free(struct credssp_ep_policy **policy);

/* Decide; policy NULL means the defaults.  Always fills *info. */
enum credssp_ep_decision
credssp_ep_evaluate(const struct credssp_ep_policy *policy,
                    const struct credssp_ep_request *request,
                    struct credssp_ep_info *info);

/* 1 when the acceptor hands the channel bindings it has to the inner
 * context (enforcement not never, scenario transport_selected). */
int credssp_ep_compares_bindings(const struct credssp_ep_policy *policy);

/* 1 when credssp_ep_evaluate() can look at request->spn under policy
 * (NULL: the defaults): an acceptor need not find the SPN otherwise. */
int credssp_ep_uses_spn(const struct credssp_ep_policy *policy);

/* 1 when name is in the policy's service_names (exact, ASCII
 * case-insensitive). */
int credssp_ep_name_listed(const struct credssp_ep_policy *policy,
                           const char *name);

/* "never", "when_supported", "always"; "transport_selected",
 * "trusted_proxy"; "?" when out of range. */
const char *credssp_ep_enforcement_name(enum credssp_ep_enforcement e);
const char *credssp_ep_scenario_name(enum credssp_ep_scenario s);

#endif /* CREDSSP_POLICY_EP_H */
