/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The extended-protection policy of the acceptor (MS-CSSP.md 7.3): parse
 * [extended_protection] and decide; the settings and the decision table
 * are described in policy/ep.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/ep.h"

/* Longest service name accepted, as for delegation patterns. */
#define EP_NAME_MAX CREDSSP_POLICY_SPN_MAX

struct ep_parse {
    struct credssp_ep_policy *p;
    int enforcement_set;
    int scenario_set;
    int empty_names; /* service_names = "" seen */
};

static int fail(const struct credssp_policy_entry *e,
                struct credssp_policy_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int valid_name(const char *text);
static int add_name(struct credssp_ep_policy *p, const char *text);
static int set_enforcement(struct ep_parse *st,
                           const struct credssp_policy_entry *e,
                           struct credssp_policy_error *err);
static int set_scenario(struct ep_parse *st,
                        const struct credssp_policy_entry *e,
                        struct credssp_policy_error *err);
static int set_name(struct ep_parse *st, const struct credssp_policy_entry *e,
                    struct credssp_policy_error *err);
static enum credssp_ep_decision decide(struct credssp_ep_info *info,
                                       enum credssp_ep_decision decision,
                                       int minor, const char *reason);
static enum credssp_ep_decision
check_service_name(const struct credssp_ep_policy *p,
                   const struct credssp_ep_request *r,
                   struct credssp_ep_info *info);

static const char *const enforcement_names[] = { "never", "when_supported",
                                                 "always" };
static const char *const scenario_names[] = { "transport_selected",
                                              "trusted_proxy" };

static int
fail(const struct credssp_policy_entry *e, struct credssp_policy_error *err,
     const char *fmt, ...)
{
    va_list ap;

    if (err != NULL) {
        err->code = CREDSSP_ERR_CONFIG;
        snprintf(err->file, sizeof(err->file), "%s",
                 e->file != NULL ? e->file : "");
        err->line = e->line;
        va_start(ap, fmt);
        vsnprintf(err->text, sizeof(err->text), fmt, ap);
        va_end(ap);
    }
    return CREDSSP_ERR(CREDSSP_ERR_CONFIG);
}

/* service "/" rest, printable ASCII without spaces, both parts non-empty;
 * ports and distinguishers are kept as written (MS-CSSP.md 7.3). */
static int
valid_name(const char *text)
{
    const char *slash = strchr(text, '/');
    size_t i, len = strnlen(text, EP_NAME_MAX + 1);

    if (len == 0 || len > EP_NAME_MAX || slash == NULL || slash == text ||
        slash[1] == '\0' || slash[1] == '/') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (text[i] <= ' ' || text[i] > '~' || text[i] == '*') {
            return 0;
        }
    }
    return 1;
}

static int
add_name(struct credssp_ep_policy *p, const char *text)
{
    char **grown, *copy;

    copy = strdup(text);
    if (copy == NULL) {
        return ENOMEM;
    }
    grown = realloc(p->service_names,
                    (p->count + 1) * sizeof(*p->service_names));
    if (grown == NULL) {
        free(copy);
        return ENOMEM;
    }
    p->service_names = grown;
    p->service_names[p->count++] = copy;
    return 0;
}

static int
set_enforcement(struct ep_parse *st, const struct credssp_policy_entry *e,
                struct credssp_policy_error *err)
{
    size_t i;

    if (st->enforcement_set++ > 0) {
        return fail(e, err, "enforcement is set twice in "
                            "[extended_protection]");
    }
    for (i = 0; i < sizeof(enforcement_names) / sizeof(*enforcement_names);
         i++) {
        if (strcasecmp(e->value, enforcement_names[i]) == 0) {
            st->p->enforcement = (enum credssp_ep_enforcement)i;
            return 0;
        }
    }
    return fail(e, err, "invalid value \"%s\" for enforcement (never, "
                        "when_supported or always)", e->value);
}

static int
set_scenario(struct ep_parse *st, const struct credssp_policy_entry *e,
             struct credssp_policy_error *err)
{
    size_t i;

    if (st->scenario_set++ > 0) {
        return fail(e, err, "scenario is set twice in "
                            "[extended_protection]");
    }
    for (i = 0; i < sizeof(scenario_names) / sizeof(*scenario_names); i++) {
        if (strcasecmp(e->value, scenario_names[i]) == 0) {
            st->p->scenario = (enum credssp_ep_scenario)i;
            return 0;
        }
    }
    return fail(e, err, "invalid value \"%s\" for scenario "
                        "(transport_selected or trusted_proxy)", e->value);
}

static int
set_name(struct ep_parse *st, const struct credssp_policy_entry *e,
         struct credssp_policy_error *err)
{
    if (e->value[0] == '\0') {
        if (st->p->count > 0 || st->empty_names++ > 0) {
            return fail(e, err, "an empty service_names cannot be mixed "
                                "with other service_names");
        }
        return 0;
    }
    if (st->empty_names > 0) {
        return fail(e, err, "an empty service_names cannot be mixed with "
                            "other service_names");
    }
    if (!valid_name(e->value)) {
        return fail(e, err, "invalid service name \"%s\" (service/host, "
                            "no wildcards)", e->value);
    }
    return add_name(st->p, e->value);
}

int
credssp_ep_new_default(struct credssp_ep_policy **out)
{
    struct credssp_ep_policy *p = calloc(1, sizeof(*p));

    if (p == NULL) {
        return ENOMEM;
    }
    p->enforcement = CREDSSP_EP_WHEN_SUPPORTED;
    p->scenario = CREDSSP_EP_TRANSPORT_SELECTED;
    *out = p;
    return 0;
}

int
credssp_ep_parse(const struct credssp_policy_entry *entries, size_t n,
                 struct credssp_ep_policy **out,
                 struct credssp_policy_error *err)
{
    struct ep_parse st;
    const struct credssp_policy_entry *e;
    size_t i;
    int ret;

    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
    memset(&st, 0, sizeof(st));
    ret = credssp_ep_new_default(&st.p);
    if (ret != 0) {
        if (err != NULL) {
            err->code = ret;
        }
        return ret;
    }
    for (i = 0; i < n && ret == 0; i++) {
        e = &entries[i];
        if (e->key == NULL || e->value == NULL) {
            ret = fail(e, err, "incomplete relation");
        } else if (strcasecmp(e->key, "enforcement") == 0) {
            ret = set_enforcement(&st, e, err);
        } else if (strcasecmp(e->key, "scenario") == 0) {
            ret = set_scenario(&st, e, err);
        } else if (strcasecmp(e->key, "service_names") == 0) {
            ret = set_name(&st, e, err);
        } else {
            ret = fail(e, err, "unknown key %s in [extended_protection]",
                       e->key);
        }
    }
    if (ret != 0) {
        if (ret == ENOMEM && err != NULL) {
            err->code = ENOMEM;
        }
        credssp_ep_free(&st.p);
        return ret;
    }
    *out = st.p;
    return 0;
}

void
credssp_ep_free(struct credssp_ep_policy **policy)
{
    size_t i;

    if (policy == NULL || *policy == NULL) {
        return;
    }
    for (i = 0; i < (*policy)->count; i++) {
        free((*policy)->service_names[i]);
    }
    free((*policy)->service_names);
    free(*policy);
    *policy = NULL;
}

int
credssp_ep_compares_bindings(const struct credssp_ep_policy *policy)
{
    if (policy == NULL) {
        return 1;
    }
    return policy->enforcement != CREDSSP_EP_NEVER &&
           policy->scenario == CREDSSP_EP_TRANSPORT_SELECTED;
}

int
credssp_ep_name_listed(const struct credssp_ep_policy *policy,
                       const char *name)
{
    size_t i;

    if (policy == NULL || name == NULL) {
        return 0;
    }
    for (i = 0; i < policy->count; i++) {
        if (strcasecmp(policy->service_names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

static enum credssp_ep_decision
decide(struct credssp_ep_info *info, enum credssp_ep_decision decision,
       int minor, const char *reason)
{
    info->decision = decision;
    info->minor = minor;
    info->reason = reason;
    return decision;
}

/* Case 3 of policy/ep.h. */
static enum credssp_ep_decision
check_service_name(const struct credssp_ep_policy *p,
                   const struct credssp_ep_request *r,
                   struct credssp_ep_info *info)
{
    if (p->count == 0) {
        return decide(info, CREDSSP_EP_ALLOW, 0,
                      "no service_names: service name not checked");
    }
    if (r->spn == NULL) {
        if (p->enforcement == CREDSSP_EP_ALWAYS) {
            return decide(info, CREDSSP_EP_DENY,
                          CREDSSP_ERR_SERVICE_NAME_REQUIRED,
                          "client sent no service name (always: refused)");
        }
        return decide(info, CREDSSP_EP_ALLOW, 0,
                      "client sent no service name (when_supported: "
                      "allowed)");
    }
    if (credssp_ep_name_listed(p, r->spn)) {
        return decide(info, CREDSSP_EP_ALLOW, 0,
                      "service name in service_names");
    }
    return decide(info, CREDSSP_EP_DENY, CREDSSP_ERR_SERVICE_NAME,
                  "service name not in service_names");
}

enum credssp_ep_decision
credssp_ep_evaluate(const struct credssp_ep_policy *policy,
                    const struct credssp_ep_request *request,
                    struct credssp_ep_info *info)
{
    static const struct credssp_ep_policy defaults = {
        CREDSSP_EP_WHEN_SUPPORTED, CREDSSP_EP_TRANSPORT_SELECTED, NULL, 0
    };
    const struct credssp_ep_policy *p = policy != NULL ? policy : &defaults;

    info->bound = 0;
    if (p->enforcement == CREDSSP_EP_NEVER) {
        return decide(info, CREDSSP_EP_ALLOW, 0,
                      "enforcement never: nothing checked");
    }
    if (p->scenario == CREDSSP_EP_TRANSPORT_SELECTED && request->channel) {
        if (request->cb_verified) {
            info->bound = 1;
            return decide(info, CREDSSP_EP_ALLOW, 0,
                          "channel binding verified");
        }
        if (p->enforcement == CREDSSP_EP_ALWAYS) {
            return decide(info, CREDSSP_EP_DENY, CREDSSP_ERR_CB_REQUIRED,
                          "client sent no channel binding (always: "
                          "refused)");
        }
        return decide(info, CREDSSP_EP_ALLOW, 0,
                      "client sent no channel binding (when_supported: "
                      "allowed)");
    }
    return check_service_name(p, request, info);
}

int
credssp_ep_uses_spn(const struct credssp_ep_policy *policy)
{
    return policy != NULL && policy->enforcement != CREDSSP_EP_NEVER &&
           policy->count > 0;
}

const char *
credssp_ep_enforcement_name(enum credssp_ep_enforcement e)
{
    if ((size_t)e >= sizeof(enforcement_names) / sizeof(*enforcement_names)) {
        return "?";
    }
    return enforcement_names[e];
}

const char *
credssp_ep_scenario_name(enum credssp_ep_scenario s)
{
    if ((size_t)s >= sizeof(scenario_names) / sizeof(*scenario_names)) {
        return "?";
    }
    return scenario_names[s];
}
