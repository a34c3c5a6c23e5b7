/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The [delegation] section -> struct credssp_policy (MS-CSSP.md 6.1
 * settings, 6.2 patterns, 6.5 AllowEncryptionOracle).  This file only
 * checks and stores; eval.c decides.  The accepted keys and values are
 * described in policy/policy.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

enum key_type {
    KEY_LIST,
    KEY_CONCATENATE,
    KEY_ORACLE,
    KEY_RESTRICTED
};

/* What a key sets; name is its spelling in messages. */
struct key_desc {
    const char *name;
    enum key_type type;
    enum credssp_policy_list list; /* KEY_LIST and KEY_CONCATENATE */
};

/* The flags, in the order of enum credssp_policy_list.  The list keys
 * themselves are credssp_policy_list_name(). */
static const char *const concatenate_names[CREDSSP_POLICY_LIST_COUNT] = {
    "ConcatenateDefaults_AllowDefault",
    "ConcatenateDefaults_AllowDefNTLMOnly",
    "ConcatenateDefaults_AllowFresh",
    "ConcatenateDefaults_AllowFreshNTLMOnly",
    "ConcatenateDefaults_AllowSaved",
    "ConcatenateDefaults_AllowSavedNTLMOnly",
    "ConcatenateDefaults_DenyDefault",
    "ConcatenateDefaults_DenyFresh",
    "ConcatenateDefaults_DenySaved",
};

static int fail(const struct credssp_policy_entry *e, int code,
                struct credssp_policy_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int same_nocase(const char *a, const char *b);
static int find_key(const char *name, struct key_desc *out);
static int parse_bool(const char *value, int *out);
static int add_rule(struct credssp_policy_list_conf *l, const char *text,
                    unsigned int line);
static int set_list(struct credssp_policy *p, const struct key_desc *k,
                    const struct credssp_policy_entry *e,
                    struct credssp_policy_error *err);
static int set_concatenate(struct credssp_policy *p, const struct key_desc *k,
                           const struct credssp_policy_entry *e,
                           struct credssp_policy_error *err);
static int set_oracle(struct credssp_policy *p,
                      const struct credssp_policy_entry *e,
                      struct credssp_policy_error *err);
static int set_restricted(struct credssp_policy *p,
                          const struct credssp_policy_entry *e,
                          struct credssp_policy_error *err);
static int apply_entry(struct credssp_policy *p,
                       const struct credssp_policy_entry *e,
                       struct credssp_policy_error *err);
static struct credssp_policy *new_policy(void);

/* Record the first error in err (when given) and return code. */
static int
fail(const struct credssp_policy_entry *e, int code,
     struct credssp_policy_error *err, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL) {
        err->code = code;
        snprintf(err->file, sizeof(err->file), "%s",
                 e != NULL && e->file != NULL ? e->file : "");
        err->line = e != NULL ? e->line : 0;
        va_start(ap, fmt);
        vsnprintf(err->text, sizeof(err->text), fmt, ap);
        va_end(ap);
    }
    return code;
}

/* ASCII case-insensitive equality, whatever the locale. */
static int
same_nocase(const char *a, const char *b)
{
    char ca, cb;

    for (;; a++, b++) {
        ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb) {
            return 0;
        }
        if (ca == '\0') {
            return 1;
        }
    }
}

/* 1 and *out filled when name is a [delegation] key, else 0. */
static int
find_key(const char *name, struct key_desc *out)
{
    size_t i;

    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        out->list = (enum credssp_policy_list)i;
        if (same_nocase(name, credssp_policy_list_name(out->list))) {
            out->name = credssp_policy_list_name(out->list);
            out->type = KEY_LIST;
            return 1;
        }
        if (same_nocase(name, concatenate_names[i])) {
            out->name = concatenate_names[i];
            out->type = KEY_CONCATENATE;
            return 1;
        }
    }
    out->list = CREDSSP_POLICY_LIST_COUNT;
    if (same_nocase(name, "AllowEncryptionOracle")) {
        out->name = "AllowEncryptionOracle";
        out->type = KEY_ORACLE;
        return 1;
    }
    if (same_nocase(name, "RestrictedRemoteAdministration")) {
        out->name = "RestrictedRemoteAdministration";
        out->type = KEY_RESTRICTED;
        return 1;
    }
    return 0;
}

/* 0, 1, true, false (case-insensitive); 0 or -1. */
static int
parse_bool(const char *value, int *out)
{
    if (strcmp(value, "1") == 0 || same_nocase(value, "true")) {
        *out = 1;
    } else if (strcmp(value, "0") == 0 || same_nocase(value, "false")) {
        *out = 0;
    } else {
        return -1;
    }
    return 0;
}

/* Append a checked pattern; 0, CREDSSP_ERR_POLICY_PATTERN or ENOMEM. */
static int
add_rule(struct credssp_policy_list_conf *l, const char *text,
         unsigned int line)
{
    struct credssp_policy_rule *grown, *r;
    char *copy = NULL;
    int ret;

    copy = strdup(text);
    if (copy == NULL) {
        ret = ENOMEM;
        goto done;
    }
    grown = realloc(l->rules, (l->count + 1) * sizeof(*l->rules));
    if (grown == NULL) {
        ret = ENOMEM;
        goto done;
    }
    l->rules = grown;
    r = &grown[l->count];
    ret = credssp_policy_spn_parse_pattern(copy, &r->spn);
    if (ret != 0) {
        goto done;
    }
    r->text = copy;
    r->line = line;
    copy = NULL;
    l->count++;

done:
    free(copy);
    return ret;
}

static int
set_list(struct credssp_policy *p, const struct key_desc *k,
         const struct credssp_policy_entry *e,
         struct credssp_policy_error *err)
{
    struct credssp_policy_list_conf *l = &p->lists[k->list];
    int ret;

    if (e->value[0] == '\0') {
        if (l->state != CREDSSP_POLICY_NOT_CONFIGURED) {
            return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                        "%s: an empty value (disabled) must be the only "
                        "entry of the list",
                        k->name);
        }
        l->state = CREDSSP_POLICY_DISABLED;
        return 0;
    }
    if (l->state == CREDSSP_POLICY_DISABLED) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "%s: pattern \"%.80s\" given for a list disabled by an "
                    "empty value",
                    k->name, e->value);
    }
    ret = add_rule(l, e->value, e->line);
    if (ret == ENOMEM) {
        return fail(e, ENOMEM, err, "out of memory");
    }
    if (ret != 0) {
        return fail(e, ret, err, "%s: invalid SPN pattern \"%.80s\"", k->name,
                    e->value);
    }
    l->state = CREDSSP_POLICY_ENABLED;
    return 0;
}

static int
set_concatenate(struct credssp_policy *p, const struct key_desc *k,
                const struct credssp_policy_entry *e,
                struct credssp_policy_error *err)
{
    struct credssp_policy_list_conf *l = &p->lists[k->list];

    if (l->concatenate_set) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "%s given twice (first on line %u)", k->name,
                    l->concatenate_line);
    }
    if (parse_bool(e->value, &l->concatenate) != 0) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "%s must be 0, 1, true or false, not \"%.80s\"", k->name,
                    e->value);
    }
    l->concatenate_set = 1;
    l->concatenate_line = e->line;
    return 0;
}

static int
set_oracle(struct credssp_policy *p, const struct credssp_policy_entry *e,
           struct credssp_policy_error *err)
{
    const char *v = e->value;

    if (p->encryption_oracle_set) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "AllowEncryptionOracle given twice (first on line %u)",
                    p->encryption_oracle_line);
    }
    if (v[0] < '0' || v[0] > '2' || v[1] != '\0') {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "AllowEncryptionOracle must be 0, 1 or 2, not "
                    "\"%.80s\"",
                    v);
    }
    p->encryption_oracle = v[0] - '0';
    p->encryption_oracle_set = 1;
    p->encryption_oracle_line = e->line;
    return 0;
}

static int
set_restricted(struct credssp_policy *p, const struct credssp_policy_entry *e,
               struct credssp_policy_error *err)
{
    if (p->restricted_admin_set) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "RestrictedRemoteAdministration given twice (first on "
                    "line %u)",
                    p->restricted_admin_line);
    }
    if (parse_bool(e->value, &p->restricted_admin) != 0) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "RestrictedRemoteAdministration must be 0, 1, true or "
                    "false, not \"%.80s\"",
                    e->value);
    }
    p->restricted_admin_set = 1;
    p->restricted_admin_line = e->line;
    return 0;
}

static int
apply_entry(struct credssp_policy *p, const struct credssp_policy_entry *e,
            struct credssp_policy_error *err)
{
    struct key_desc k;

    if (e->key == NULL || e->value == NULL) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "relation without a key or a value");
    }
    if (!find_key(e->key, &k)) {
        return fail(e, CREDSSP_ERR(CREDSSP_ERR_CONFIG), err,
                    "unknown key \"%.80s\" in [delegation]", e->key);
    }
    switch (k.type) {
    case KEY_LIST:
        return set_list(p, &k, e, err);
    case KEY_CONCATENATE:
        return set_concatenate(p, &k, e, err);
    case KEY_ORACLE:
        return set_oracle(p, e, err);
    case KEY_RESTRICTED:
        return set_restricted(p, e, err);
    }
    return CREDSSP_ERR(CREDSSP_ERR_INTERNAL);
}

static struct credssp_policy *
new_policy(void)
{
    struct credssp_policy *p = calloc(1, sizeof(*p));
    size_t i;

    if (p == NULL) {
        return NULL;
    }
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        p->lists[i].state = CREDSSP_POLICY_NOT_CONFIGURED;
        p->lists[i].concatenate = 1;
    }
    p->encryption_oracle = 1;
    p->restricted_admin = 0;
    return p;
}

/*
 * entries: n relations in file order, borrowed.  On success *out owns a
 * new policy (the patterns are copied).  On failure nothing is stored in
 * *out and err (when not NULL) describes the first bad relation; see
 * policy.h for the codes.
 */
int
credssp_policy_parse(const struct credssp_policy_entry *entries, size_t n,
                     struct credssp_policy **out,
                     struct credssp_policy_error *err)
{
    struct credssp_policy *p = NULL;
    size_t i;
    int ret = 0;

    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
    if (out == NULL || (entries == NULL && n != 0)) {
        return fail(NULL, CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT), err,
                    "invalid arguments");
    }
    p = new_policy();
    if (p == NULL) {
        ret = fail(NULL, ENOMEM, err, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        ret = apply_entry(p, &entries[i], err);
        if (ret != 0) {
            goto done;
        }
    }
    *out = p;
    p = NULL;

done:
    credssp_policy_free(&p);
    return ret;
}

/* A static string; "?" when out of range. */
const char *
credssp_policy_concatenate_name(enum credssp_policy_list list)
{
    if ((unsigned int)list >= CREDSSP_POLICY_LIST_COUNT) {
        return "?";
    }
    return concatenate_names[list];
}

/* Accepts NULL and *policy == NULL; leaves *policy NULL. */
void
credssp_policy_free(struct credssp_policy **policy)
{
    struct credssp_policy *p;
    size_t i, j;

    if (policy == NULL || *policy == NULL) {
        return;
    }
    p = *policy;
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        for (j = 0; j < p->lists[i].count; j++) {
            free(p->lists[i].rules[j].text);
        }
        free(p->lists[i].rules);
    }
    free(p);
    *policy = NULL;
}
