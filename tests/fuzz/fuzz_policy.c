/* Target functions: credssp_policy_parse, credssp_policy_evaluate,
 * credssp_policy_info_string, credssp_policy_list_describe,
 * credssp_policy_list_item, credssp_policy_spn_parse_pattern,
 * credssp_policy_spn_parse_target, credssp_policy_spn_match */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The delegation policy engine (policy/policy.h) from hostile text.
 *
 * The input is read as lines "Key=Value" (no "=": the whole line is the
 * key and the value is empty), handed to the parser as the relations of a
 * [delegation] section.  A parsed policy (or, when parsing fails, the OS
 * defaults) then decides fixed requests and requests for the first lines
 * as targets; its effective lists are walked.  The SPN matcher gets the
 * two halves of the input as pattern and target, and every early line as
 * both.
 *
 * Properties checked: a parse error names itself in err; decisions match
 * info; rendered info is NUL-terminated; every effective pattern parses;
 * a text that parses as a target also parses as a pattern that matches
 * that target, and "*" matches every target.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi_credssp_err.h>

#include "policy/policy.h"
#include "tests/fuzz/fuzz.h"

/* Beyond this the parser only sees more of the same. */
#define MAX_POLICY_INPUT (64 * 1024)
#define MAX_ENTRIES 1024
/* Lines also tried as targets and SPNs. */
#define MAX_TARGET_LINES 16

static char *copy_text(const uint8_t *data, size_t size);
static size_t split_entries(char *text, struct credssp_policy_entry *entries,
                            size_t max);
static void decide(const struct credssp_policy *policy, const char *target);
static void walk_lists(const struct credssp_policy *policy);
static void match_spns(const char *pattern_text, const char *target_text);

/* A NUL-terminated copy; NUL bytes inside end a string early. */
static char *
copy_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (text != NULL) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

/* Cut text into lines in place and point the entries at them. */
static size_t
split_entries(char *text, struct credssp_policy_entry *entries, size_t max)
{
    char *line = text, *end, *eq;
    size_t n = 0;

    while (line != NULL && n < max) {
        end = strchr(line, '\n');
        if (end != NULL) {
            *end = '\0';
        }
        eq = strchr(line, '=');
        if (eq != NULL) {
            *eq = '\0';
        }
        entries[n].key = line;
        entries[n].value = eq != NULL ? eq + 1 : "";
        entries[n].file = "fuzz";
        entries[n].line = (unsigned int)(n + 1);
        n++;
        line = end != NULL ? end + 1 : NULL;
    }
    return n;
}

/* Every kind under every authentication, for one target. */
static void
decide(const struct credssp_policy *policy, const char *target)
{
    struct credssp_policy_request req;
    struct credssp_policy_info info;
    enum credssp_policy_decision d;
    char text[256];
    int kind, auth, ret;

    for (kind = CREDSSP_POLICY_KIND_DEFAULT; kind <= CREDSSP_POLICY_KIND_SAVED;
         kind++) {
        for (auth = CREDSSP_POLICY_AUTH_KERBEROS;
             auth <= CREDSSP_POLICY_AUTH_NTLM; auth++) {
            req.kind = (enum credssp_policy_kind)kind;
            req.target = target;
            req.auth = (enum credssp_policy_auth)auth;
            d = credssp_policy_evaluate(policy, &req, &info);
            FUZZ_CHECK(d == info.decision);
            FUZZ_CHECK(d <= CREDSSP_POLICY_ERROR);
            FUZZ_CHECK((d == CREDSSP_POLICY_ALLOW ||
                        d == CREDSSP_POLICY_RESTRICTED) == (info.minor == 0));
            ret = credssp_policy_info_string(&info, text, sizeof(text));
            FUZZ_CHECK(ret == 0 || ret == CREDSSP_ERR_TOO_LARGE);
            FUZZ_CHECK(memchr(text, '\0', sizeof(text)) != NULL);
        }
    }
}

/* The effective lists, as an admin tool shows them. */
static void
walk_lists(const struct credssp_policy *policy)
{
    struct credssp_policy_list_info li;
    struct credssp_policy_list_item item;
    struct credssp_policy_spn spn;
    size_t i;
    int list;

    for (list = 0; list < CREDSSP_POLICY_LIST_COUNT; list++) {
        FUZZ_CHECK(credssp_policy_list_describe(
                       policy, (enum credssp_policy_list)list, &li) == 0);
        for (i = 0; i < li.count; i++) {
            FUZZ_CHECK(credssp_policy_list_item(
                           policy, (enum credssp_policy_list)list, i,
                           &item) == 0);
            FUZZ_CHECK(credssp_policy_spn_parse_pattern(item.pattern,
                                                        &spn) == 0);
        }
        FUZZ_CHECK(credssp_policy_list_item(policy,
                                            (enum credssp_policy_list)list,
                                            li.count, &item) ==
                   CREDSSP_ERR_BAD_ARGUMENT);
    }
    FUZZ_CHECK(credssp_policy_encryption_oracle(policy) >= 0 &&
               credssp_policy_encryption_oracle(policy) <= 2);
    FUZZ_CHECK(credssp_policy_restricted_admin(policy) == 0 ||
               credssp_policy_restricted_admin(policy) == 1);
    FUZZ_CHECK(credssp_policy_client_min_version(policy) ==
               (credssp_policy_encryption_oracle(policy) == 2 ? 2 : 5));
    FUZZ_CHECK(credssp_policy_client_accepts_version(policy, 6) == 1);
    FUZZ_CHECK(credssp_policy_server_accepts_version(policy, 2) ==
               (credssp_policy_encryption_oracle(policy) != 0));
}

static void
match_spns(const char *pattern_text, const char *target_text)
{
    struct credssp_policy_spn pattern, target, self, any;
    int have_pattern, ret;

    ret = credssp_policy_spn_parse_pattern(pattern_text, &pattern);
    FUZZ_CHECK(ret == 0 || ret == CREDSSP_ERR_POLICY_PATTERN);
    have_pattern = ret == 0;
    ret = credssp_policy_spn_parse_target(target_text, &target);
    FUZZ_CHECK(ret == 0 || ret == CREDSSP_ERR_BAD_NAME);
    if (ret != 0) {
        return;
    }
    FUZZ_CHECK(credssp_policy_spn_parse_pattern("*", &any) == 0);
    FUZZ_CHECK(credssp_policy_spn_match(&any, &target) == 1);
    FUZZ_CHECK(credssp_policy_spn_parse_pattern(target_text, &self) == 0);
    FUZZ_CHECK(credssp_policy_spn_match(&self, &target) == 1);
    if (have_pattern) {
        ret = credssp_policy_spn_match(&pattern, &target);
        FUZZ_CHECK(ret == 0 || ret == 1);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const targets[] = {
        "TERMSRV/host.example.com", "TERMSRV/192.0.2.1",
        "HTTP/[2001:db8::1]:8443", "termsrv/a.b.example.com:3389",
    };
    struct credssp_policy_entry *entries = NULL;
    struct credssp_policy_error err;
    struct credssp_policy *policy = NULL;
    char *text = NULL, *halves = NULL;
    size_t n, i;
    int ret;

    if (size > MAX_POLICY_INPUT) {
        return 0;
    }
    text = copy_text(data, size);
    halves = malloc(size + 2);
    entries = calloc(MAX_ENTRIES, sizeof(*entries));
    if (text == NULL || halves == NULL || entries == NULL) {
        goto done;
    }

    /* Parse. */
    n = split_entries(text, entries, MAX_ENTRIES);
    ret = credssp_policy_parse(entries, n, &policy, &err);
    if (ret != 0) {
        FUZZ_CHECK(policy == NULL);
        FUZZ_CHECK(err.code == ret);
        FUZZ_CHECK(ret == CREDSSP_ERR_CONFIG ||
                   ret == CREDSSP_ERR_POLICY_PATTERN || ret == ENOMEM);
        FUZZ_CHECK(memchr(err.text, '\0', sizeof(err.text)) != NULL);
    }

    /* Decide. */
    walk_lists(policy);
    for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        decide(policy, targets[i]);
    }
    for (i = 0; i < n && i < MAX_TARGET_LINES; i++) {
        decide(policy, entries[i].value);
        match_spns(entries[i].value, entries[i].value);
        match_spns(entries[i].key, entries[i].value);
    }

    /* The matcher on the two halves of the input. */
    memcpy(halves, data, size / 2);
    halves[size / 2] = '\0';
    memcpy(halves + size / 2 + 1, data + size / 2, size - size / 2);
    halves[size + 1] = '\0';
    match_spns(halves, halves + size / 2 + 1);

done:
    credssp_policy_free(&policy);
    free(entries);
    free(halves);
    free(text);
    return 0;
}
