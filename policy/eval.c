/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The delegation policy evaluator (MS-CSSP.md 6.3), the effective lists
 * with the OS defaults of 6.1, and the encryption oracle levels of 6.5.
 * Pure: no I/O, and nothing is allocated.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy.h"

/* A list's setting name and its OS default when not configured (this
 * machine counts as not domain-joined, so AllowSaved...WhenNTLMOnly has
 * TERMSRV/ too). */
struct list_desc {
    const char *name;
    const char *os_default; /* NULL: empty */
};

static const struct list_desc list_descs[CREDSSP_POLICY_LIST_COUNT] = {
    { "AllowDefaultCredentials", NULL },
    { "AllowDefCredentialsWhenNTLMOnly", NULL },
    { "AllowFreshCredentials", "TERMSRV/*" },
    { "AllowFreshCredentialsWhenNTLMOnly", "TERMSRV/*" },
    { "AllowSavedCredentials", "TERMSRV/*" },
    { "AllowSavedCredentialsWhenNTLMOnly", "TERMSRV/*" },
    { "DenyDefaultCredentials", NULL },
    { "DenyFreshCredentials", NULL },
    { "DenySavedCredentials", NULL },
};

/* Indexed by enum credssp_policy_kind. */
static const enum credssp_policy_list deny_lists[] = {
    CREDSSP_POLICY_LIST_DENY_DEFAULT, CREDSSP_POLICY_LIST_DENY_FRESH,
    CREDSSP_POLICY_LIST_DENY_SAVED
};
static const enum credssp_policy_list allow_lists[] = {
    CREDSSP_POLICY_LIST_ALLOW_DEFAULT, CREDSSP_POLICY_LIST_ALLOW_FRESH,
    CREDSSP_POLICY_LIST_ALLOW_SAVED
};
static const enum credssp_policy_list allow_ntlm_lists[] = {
    CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM,
    CREDSSP_POLICY_LIST_ALLOW_FRESH_NTLM,
    CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM
};

static const char *const kind_names[] = { "default", "fresh", "saved" };
static const char *const auth_names[] = { "Kerberos", "certificate",
                                          "NTLM" };
static const char *const decision_names[] = { "allowed", "denied",
                                              "restricted", "error" };

#define UNCONFIGURED { CREDSSP_POLICY_NOT_CONFIGURED, 1, 0, 0, NULL, 0 }

/* Windows' unconfigured state, used for a NULL policy. */
static const struct credssp_policy unconfigured = {
    { UNCONFIGURED, UNCONFIGURED, UNCONFIGURED, UNCONFIGURED, UNCONFIGURED,
      UNCONFIGURED, UNCONFIGURED, UNCONFIGURED, UNCONFIGURED },
    1, 0, 0, 0, 0, 0
};

static const struct credssp_policy *settings(const struct credssp_policy *p);
static int uses_defaults(const struct credssp_policy_list_conf *l);
static size_t configured_count(const struct credssp_policy_list_conf *l);
static size_t effective_count(const struct credssp_policy *p,
                              enum credssp_policy_list list);
static int get_item(const struct credssp_policy *p,
                    enum credssp_policy_list list, size_t index,
                    struct credssp_policy_list_item *item,
                    struct credssp_policy_spn *spn);
static int find_match(const struct credssp_policy *p,
                      enum credssp_policy_list list,
                      const struct credssp_policy_spn *target,
                      struct credssp_policy_list_item *item);
static enum credssp_policy_decision decide(struct credssp_policy_info *info,
                                           enum credssp_policy_decision d,
                                           int minor);
static enum credssp_policy_decision
decide_by_list(const struct credssp_policy *p, enum credssp_policy_list list,
               const struct credssp_policy_spn *target,
               struct credssp_policy_info *info);
static int append(char *buf, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int append_reason(const struct credssp_policy_info *info, char *buf,
                         size_t size, size_t *used);

static const struct credssp_policy *
settings(const struct credssp_policy *p)
{
    return p != NULL ? p : &unconfigured;
}

/* The OS default applies when not configured, or enabled with the
 * ConcatenateDefaults_* flag on; never when disabled. */
static int
uses_defaults(const struct credssp_policy_list_conf *l)
{
    return l->state == CREDSSP_POLICY_NOT_CONFIGURED ||
           (l->state == CREDSSP_POLICY_ENABLED && l->concatenate);
}

static size_t
configured_count(const struct credssp_policy_list_conf *l)
{
    return l->state == CREDSSP_POLICY_ENABLED ? l->count : 0;
}

static size_t
effective_count(const struct credssp_policy *p, enum credssp_policy_list list)
{
    const struct credssp_policy_list_conf *l = &p->lists[list];

    return configured_count(l) +
           (uses_defaults(l) && list_descs[list].os_default != NULL ? 1 : 0);
}

/* The index-th effective pattern, as text and parsed; 1 or 0 (out of
 * range). */
static int
get_item(const struct credssp_policy *p, enum credssp_policy_list list,
         size_t index, struct credssp_policy_list_item *item,
         struct credssp_policy_spn *spn)
{
    const struct credssp_policy_list_conf *l = &p->lists[list];
    size_t n = configured_count(l);

    if (index < n) {
        item->pattern = l->rules[index].text;
        item->os_default = 0;
        item->line = l->rules[index].line;
        *spn = l->rules[index].spn;
        return 1;
    }
    if (index >= effective_count(p, list)) {
        return 0;
    }
    item->pattern = list_descs[list].os_default;
    item->os_default = 1;
    item->line = 0;
    /* The OS defaults are valid patterns; a failure would leave no match
     * possible, which fails closed for Allow lists. */
    return credssp_policy_spn_parse_pattern(item->pattern, spn) == 0;
}

/* 1 and *item filled with the first effective pattern matching target. */
static int
find_match(const struct credssp_policy *p, enum credssp_policy_list list,
           const struct credssp_policy_spn *target,
           struct credssp_policy_list_item *item)
{
    struct credssp_policy_spn spn;
    size_t i, n = effective_count(p, list);

    for (i = 0; i < n; i++) {
        if (get_item(p, list, i, item, &spn) &&
            credssp_policy_spn_match(&spn, target)) {
            return 1;
        }
    }
    return 0;
}

static enum credssp_policy_decision
decide(struct credssp_policy_info *info, enum credssp_policy_decision d,
       int minor)
{
    info->decision = d;
    info->minor = minor;
    return d;
}

/* Steps 3 and 4 of the evaluation: an Allow list decides; a match
 * allows, no match denies with the code for its server class.  A denial
 * is a decision, not a fault, so it is not passed through CREDSSP_ERR(). */
static enum credssp_policy_decision
decide_by_list(const struct credssp_policy *p, enum credssp_policy_list list,
               const struct credssp_policy_spn *target,
               struct credssp_policy_info *info)
{
    struct credssp_policy_list_item item;

    info->rule = list_descs[list].name;
    info->rule_state = p->lists[list].state;
    if (find_match(p, list, target, &item)) {
        info->pattern = item.pattern;
        info->os_default = item.os_default;
        info->line = item.line;
        return decide(info, CREDSSP_POLICY_ALLOW, 0);
    }
    if (info->auth == CREDSSP_POLICY_AUTH_NTLM) {
        return decide(info, CREDSSP_POLICY_DENY, CREDSSP_ERR_POLICY_NTLM_ONLY);
    }
    return decide(info, CREDSSP_POLICY_DENY, CREDSSP_ERR_DELEGATION_POLICY);
}

/* snprintf at buf + *used; 0, or -1 once the text no longer fits. */
static int
append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*used >= size) {
        return -1;
    }
    va_start(ap, fmt);
    n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *used) {
        *used = size;
        return -1;
    }
    *used += (size_t)n;
    return 0;
}

/* The part after "delegation of ... to ... ". */
static int
append_reason(const struct credssp_policy_info *info, char *buf, size_t size,
              size_t *used)
{
    const char *msg;

    switch (info->decision) {
    case CREDSSP_POLICY_ALLOW:
    case CREDSSP_POLICY_DENY:
        break;
    case CREDSSP_POLICY_RESTRICTED:
        return append(buf, size, used,
                      "restricted: RestrictedRemoteAdministration is set, "
                      "empty credentials are sent");
    case CREDSSP_POLICY_ERROR:
    default:
        msg = credssp_err_message(info->minor);
        return append(buf, size, used, "not evaluated: %s",
                      msg != NULL ? msg : "unknown error");
    }
    if (append(buf, size, used, "%s: ",
               credssp_policy_decision_name(info->decision)) != 0) {
        return -1;
    }
    if (info->pattern != NULL) {
        return append(buf, size, used, "%s entry %s%s", info->rule,
                      info->pattern, info->os_default ? " (OS default)" : "");
    }
    if (info->rule_state == CREDSSP_POLICY_DISABLED) {
        if (append(buf, size, used, "%s is disabled", info->rule) != 0) {
            return -1;
        }
    } else if (append(buf, size, used, "no %s entry matches", info->rule) !=
               0) {
        return -1;
    }
    if (info->minor == CREDSSP_ERR_POLICY_NTLM_ONLY) {
        return append(buf, size, used,
                      " (the server was authenticated by NTLM only)");
    }
    return 0;
}

/*
 * policy may be NULL (OS defaults).  request and its target are only read
 * and must outlive *info, as must policy.  See policy.h for the steps.
 */
enum credssp_policy_decision
credssp_policy_evaluate(const struct credssp_policy *policy,
                        const struct credssp_policy_request *request,
                        struct credssp_policy_info *info)
{
    const struct credssp_policy *p = settings(policy);
    struct credssp_policy_info local;
    struct credssp_policy_spn target;
    struct credssp_policy_list_item item;
    enum credssp_policy_list list;

    if (info == NULL) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    info->decision = CREDSSP_POLICY_ERROR;

    /* 0. The request itself. */
    if (request == NULL) {
        return decide(info, CREDSSP_POLICY_ERROR,
                      CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT));
    }
    info->kind = request->kind;
    info->auth = request->auth;
    info->target = request->target;
    if ((unsigned int)request->kind > CREDSSP_POLICY_KIND_SAVED ||
        (unsigned int)request->auth > CREDSSP_POLICY_AUTH_NTLM ||
        request->target == NULL) {
        return decide(info, CREDSSP_POLICY_ERROR,
                      CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT));
    }

    /* 1. RestrictedRemoteAdministration: never delegate. */
    if (p->restricted_admin) {
        info->rule = "RestrictedRemoteAdministration";
        info->rule_state = CREDSSP_POLICY_ENABLED;
        info->line = p->restricted_admin_line;
        return decide(info, CREDSSP_POLICY_RESTRICTED, 0);
    }

    if (credssp_policy_spn_parse_target(request->target, &target) != 0) {
        return decide(info, CREDSSP_POLICY_ERROR,
                      CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
    }

    /* 2. Deny<kind> beats every Allow list. */
    list = deny_lists[request->kind];
    if (find_match(p, list, &target, &item)) {
        info->rule = list_descs[list].name;
        info->rule_state = p->lists[list].state;
        info->pattern = item.pattern;
        info->os_default = item.os_default;
        info->line = item.line;
        return decide(info, CREDSSP_POLICY_DENY,
                      CREDSSP_ERR_DELEGATION_POLICY);
    }

    /* 3. and 4. Allow<kind>, or Allow<kind>WhenNTLMOnly. */
    if (request->auth == CREDSSP_POLICY_AUTH_NTLM) {
        list = allow_ntlm_lists[request->kind];
    } else {
        list = allow_lists[request->kind];
    }
    return decide_by_list(p, list, &target, info);
}

/*
 * Writes at most size bytes into buf, NUL-terminated when size > 0; the
 * text is cut when it does not fit.  Returns 0 or CREDSSP_ERR_TOO_LARGE.
 */
int
credssp_policy_info_string(const struct credssp_policy_info *info, char *buf,
                           size_t size)
{
    size_t used = 0;

    if (size > 0) {
        buf[0] = '\0';
    }
    if (info == NULL || buf == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    if (append(buf, size, &used, "delegation of %s credentials to %s ",
               credssp_policy_kind_name(info->kind),
               info->target != NULL ? info->target : "(no target)") != 0 ||
        append_reason(info, buf, size, &used) != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    return 0;
}

/* The name helpers return static strings, "?" when out of range. */
const char *
credssp_policy_list_name(enum credssp_policy_list list)
{
    if ((unsigned int)list >= CREDSSP_POLICY_LIST_COUNT) {
        return "?";
    }
    return list_descs[list].name;
}

const char *
credssp_policy_kind_name(enum credssp_policy_kind kind)
{
    if ((unsigned int)kind > CREDSSP_POLICY_KIND_SAVED) {
        return "?";
    }
    return kind_names[kind];
}

const char *
credssp_policy_auth_name(enum credssp_policy_auth auth)
{
    if ((unsigned int)auth > CREDSSP_POLICY_AUTH_NTLM) {
        return "?";
    }
    return auth_names[auth];
}

const char *
credssp_policy_decision_name(enum credssp_policy_decision decision)
{
    if ((unsigned int)decision > CREDSSP_POLICY_ERROR) {
        return "?";
    }
    return decision_names[decision];
}

/* policy may be NULL (OS defaults).  *out borrows static strings. */
int
credssp_policy_list_describe(const struct credssp_policy *policy,
                             enum credssp_policy_list list,
                             struct credssp_policy_list_info *out)
{
    const struct credssp_policy *p = settings(policy);

    if ((unsigned int)list >= CREDSSP_POLICY_LIST_COUNT || out == NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    out->name = list_descs[list].name;
    out->state = p->lists[list].state;
    out->concatenate = p->lists[list].concatenate;
    out->concatenate_set = p->lists[list].concatenate_set;
    out->count = effective_count(p, list);
    return 0;
}

/* policy may be NULL (OS defaults).  *out borrows from policy. */
int
credssp_policy_list_item(const struct credssp_policy *policy,
                         enum credssp_policy_list list, size_t index,
                         struct credssp_policy_list_item *out)
{
    const struct credssp_policy *p = settings(policy);
    struct credssp_policy_spn spn;

    if ((unsigned int)list >= CREDSSP_POLICY_LIST_COUNT || out == NULL ||
        !get_item(p, list, index, out, &spn)) {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT);
    }
    return 0;
}

/* The oracle helpers read policy (NULL: Mitigated) and nothing else. */
int
credssp_policy_encryption_oracle(const struct credssp_policy *policy)
{
    return settings(policy)->encryption_oracle;
}

int
credssp_policy_restricted_admin(const struct credssp_policy *policy)
{
    return settings(policy)->restricted_admin;
}

int
credssp_policy_client_min_version(const struct credssp_policy *policy)
{
    return credssp_policy_encryption_oracle(policy) == 2 ? 2 : 5;
}

/* version: the effective (negotiated) version of the exchange. */
int
credssp_policy_client_accepts_version(const struct credssp_policy *policy,
                                      int version)
{
    return version >= credssp_policy_client_min_version(policy);
}

/* peer_version: the version the client announced. */
int
credssp_policy_server_accepts_version(const struct credssp_policy *policy,
                                      int peer_version)
{
    if (credssp_policy_encryption_oracle(policy) == 0) {
        return peer_version >= 5;
    }
    return 1;
}
