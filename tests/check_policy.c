/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for policy/: the SPN pattern grammar and matcher
 * (MS-CSSP.md 6.2), parsing [delegation] with exact error positions
 * (6.1), the decision table of the evaluator (6.3), the encryption oracle
 * levels (6.5), the effective lists and the info strings.
 *
 * Patterns in which "/" meets "*" appear in comments as "TERMSRV/" "*".
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "common/err.h"
#include "policy/policy.h"
#include "tests/check_main.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ENTRIES 4

/* A scenario: a [delegation] section (or none at all) and one request. */
struct scenario {
    struct credssp_policy_entry entries[MAX_ENTRIES];
    size_t n;
    int no_policy; /* evaluate with a NULL policy */
    int kind;      /* enum credssp_policy_kind */
    int auth;      /* enum credssp_policy_auth */
    const char *target;
    int decision; /* enum credssp_policy_decision */
    int minor;
    const char *rule;    /* NULL: expect none */
    const char *pattern; /* NULL: expect none */
    int os_default;
    const char *text; /* the info string; NULL: not checked */
};

static Suite *policy_suite(void);
static struct credssp_policy *parse_ok(const struct credssp_policy_entry *e,
                                       size_t n);
static void check_scenario(const struct scenario *s);
static size_t build_setup(int list, int setup,
                          struct credssp_policy_entry e[]);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static struct credssp_policy *
parse_ok(const struct credssp_policy_entry *e, size_t n)
{
    struct credssp_policy *p = NULL;
    struct credssp_policy_error err;
    int ret;

    ret = credssp_policy_parse(e, n, &p, &err);
    ck_assert_msg(ret == 0, "parse failed: %s:%u: %s", err.file, err.line,
                  err.text);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void
check_scenario(const struct scenario *s)
{
    struct credssp_policy *p = NULL;
    struct credssp_policy_request req;
    struct credssp_policy_info info;
    enum credssp_policy_decision d;
    char text[512];

    req.kind = (enum credssp_policy_kind)s->kind;
    req.target = s->target;
    req.auth = (enum credssp_policy_auth)s->auth;
    if (!s->no_policy) {
        p = parse_ok(s->entries, s->n);
    }
    d = credssp_policy_evaluate(p, &req, &info);
    ck_assert_int_eq(d, s->decision);
    ck_assert_int_eq(info.decision, s->decision);
    ck_assert_int_eq(info.minor, s->minor);
    if (s->rule == NULL) {
        ck_assert_ptr_null(info.rule);
    } else {
        ck_assert_ptr_nonnull(info.rule);
        ck_assert_str_eq(info.rule, s->rule);
    }
    if (s->pattern == NULL) {
        ck_assert_ptr_null(info.pattern);
    } else {
        ck_assert_ptr_nonnull(info.pattern);
        ck_assert_str_eq(info.pattern, s->pattern);
    }
    ck_assert_int_eq(info.os_default, s->os_default);
    if (s->text != NULL) {
        ck_assert_int_eq(credssp_policy_info_string(&info, text,
                                                    sizeof(text)),
                         0);
        ck_assert_str_eq(text, s->text);
    }
    credssp_policy_free(&p);
    ck_assert_ptr_null(p);
}

/* ------------------------------------------------------------------ */
/* (1) Pattern grammar                                                 */
/* ------------------------------------------------------------------ */

#define LABEL_63                                                             \
    "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff123"
#define SERVICE_64                                                           \
    "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff1234"

static const struct {
    const char *text;
    int code;
    enum credssp_policy_spn_form form; /* when code == 0 */
    unsigned int port;                 /* when code == 0 */
} pattern_rows[] = {
    /* valid */
    { "*", 0, CREDSSP_POLICY_SPN_ANY, 0 },
    { "TERMSRV/*", 0, CREDSSP_POLICY_SPN_ANY_HOST, 0 },
    { "wsman/*", 0, CREDSSP_POLICY_SPN_ANY_HOST, 0 },
    { "TERMSRV/*.example.com", 0, CREDSSP_POLICY_SPN_SUFFIX, 0 },
    { "TERMSRV/*.com", 0, CREDSSP_POLICY_SPN_SUFFIX, 0 },
    { "TERMSRV/*.0.1", 0, CREDSSP_POLICY_SPN_SUFFIX, 0 },
    { "TERMSRV/host", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "TERMSRV/host.example.com", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "MSSQLSvc/Db-1.Lab_Net.example.com", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "a/b", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "HTTP/1host", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "HTTP/host.123", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { "TERMSRV/*:3389", 0, CREDSSP_POLICY_SPN_ANY_HOST, 3389 },
    { "WSMAN/*.example.com:5986", 0, CREDSSP_POLICY_SPN_SUFFIX, 5986 },
    { "TERMSRV/host:1", 0, CREDSSP_POLICY_SPN_NAME, 1 },
    { "TERMSRV/host:65535", 0, CREDSSP_POLICY_SPN_NAME, 65535 },
    { "TERMSRV/192.0.2.1", 0, CREDSSP_POLICY_SPN_IPV4, 0 },
    { "TERMSRV/192.0.2.1:3389", 0, CREDSSP_POLICY_SPN_IPV4, 3389 },
    { "TERMSRV/0.0.0.0", 0, CREDSSP_POLICY_SPN_IPV4, 0 },
    { "TERMSRV/255.255.255.255", 0, CREDSSP_POLICY_SPN_IPV4, 0 },
    { "TERMSRV/[2001:db8::1]", 0, CREDSSP_POLICY_SPN_IPV6, 0 },
    { "TERMSRV/[::1]:3389", 0, CREDSSP_POLICY_SPN_IPV6, 3389 },
    { "TERMSRV/[::ffff:192.0.2.1]", 0, CREDSSP_POLICY_SPN_IPV6, 0 },
    { "TERMSRV/" LABEL_63 ".example.com", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    { SERVICE_64 "/host", 0, CREDSSP_POLICY_SPN_NAME, 0 },
    /* invalid: shape */
    { "", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV//host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERM/SRV/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { " TERMSRV/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host ", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/ho st", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/h\xc3\xb6st", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    /* invalid: wildcards */
    { "**", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "*/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "*/*", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERM*/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "*:3389", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/**", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host*", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/h*st", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*example.com", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*.*.example.com", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*.*", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*.", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*.example.com.", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/*.[::1]", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/ho?t", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:*", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    /* invalid: labels */
    { "TERMSRV/host.", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/.host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/a..b", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/" LABEL_63 "4.example.com", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { SERVICE_64 "5/host", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    /* invalid: ports */
    { "TERMSRV/host:", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:0", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:03389", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:65536", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:123456", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:33a", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:1:2", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/host:-1", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    /* invalid: IP literals */
    { "TERMSRV/256.0.0.1", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/1.2.3", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/1.2.3.4.5", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/01.2.3.4", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/1234", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/::1", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[::1", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[]", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[zz::1]", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[::1]x", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[::1]:", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[fe80::1%eth0]", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
    { "TERMSRV/[192.0.2.1]", CREDSSP_ERR_POLICY_PATTERN, 0, 0 },
};

START_TEST(test_policy_pattern_grammar)
{
    struct credssp_policy_spn spn;
    int ret;

    ret = credssp_policy_spn_parse_pattern(pattern_rows[_i].text, &spn);
    ck_assert_msg(ret == pattern_rows[_i].code, "\"%s\": got %d",
                  pattern_rows[_i].text, ret);
    if (ret == 0) {
        ck_assert_int_eq(spn.form, pattern_rows[_i].form);
        ck_assert_uint_eq(spn.port, pattern_rows[_i].port);
    }
}
END_TEST

START_TEST(test_policy_pattern_too_long)
{
    struct credssp_policy_spn spn;
    char text[CREDSSP_POLICY_SPN_MAX + 2];

    /* "TERMSRV/a.a.a...": valid labels, one character too many. */
    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    memcpy(text, "TERMSRV/", 8);
    ck_assert_int_eq(credssp_policy_spn_parse_pattern(text, &spn),
                     CREDSSP_ERR_POLICY_PATTERN);
    ck_assert_int_eq(credssp_policy_spn_parse_pattern(NULL, &spn),
                     CREDSSP_ERR_POLICY_PATTERN);
}
END_TEST

static const struct {
    const char *text;
    int code;
} target_rows[] = {
    { "TERMSRV/host", 0 },
    { "TERMSRV/host.example.com:3389", 0 },
    { "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/[::1]:3389", 0 },
    { "*", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV/*", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV/*.example.com", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV", CREDSSP_ERR_BAD_NAME },
    { "host.example.com", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV/host.", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV/999.0.0.1", CREDSSP_ERR_BAD_NAME },
    { "TERMSRV/host@EXAMPLE.COM", CREDSSP_ERR_BAD_NAME },
};

START_TEST(test_policy_target_grammar)
{
    struct credssp_policy_spn spn;

    ck_assert_int_eq(credssp_policy_spn_parse_target(target_rows[_i].text,
                                                     &spn),
                     target_rows[_i].code);
}
END_TEST

/* ------------------------------------------------------------------ */
/* (2) Matcher                                                         */
/* ------------------------------------------------------------------ */

static const struct {
    const char *pattern;
    const char *target;
    int match;
} match_rows[] = {
    /* suffix wildcard: any depth, never the bare suffix */
    { "TERMSRV/*.example.com", "TERMSRV/example.com", 0 },
    { "TERMSRV/*.example.com", "TERMSRV/a.example.com", 1 },
    { "TERMSRV/*.example.com", "TERMSRV/a.b.example.com", 1 },
    { "TERMSRV/*.example.com", "TERMSRV/aexample.com", 0 },
    { "TERMSRV/*.example.com", "TERMSRV/a.example.com.evil.org", 0 },
    { "TERMSRV/*.example.com", "TERMSRV/a.example.co", 0 },
    { "TERMSRV/*.example.com", "TERMSRV/com", 0 },
    { "TERMSRV/*.123", "TERMSRV/host.123", 1 },
    /* case */
    { "TERMSRV/*.example.com", "TERMSRV/A.EXAMPLE.COM", 1 },
    { "termsrv/*.Example.Com", "TERMSRV/a.example.com", 1 },
    { "TERMSRV/Host.Example.com", "termsrv/host.example.COM", 1 },
    { "wsman/*", "WSMAN/host", 1 },
    /* exact names */
    { "TERMSRV/host", "TERMSRV/host", 1 },
    { "TERMSRV/host", "TERMSRV/host.example.com", 0 },
    { "TERMSRV/host.example.com", "TERMSRV/host", 0 },
    { "TERMSRV/host-1", "TERMSRV/host_1", 0 },
    /* service class */
    { "TERMSRV/host", "WSMAN/host", 0 },
    { "TERMSRV/*", "WSMAN/host", 0 },
    { "TERMSRV/*", "TERMSRVX/host", 0 },
    { "TERMSRV/*", "TERMSR/host", 0 },
    { "TERMSRV/*.example.com", "HTTP/a.example.com", 0 },
    /* "*" alone */
    { "*", "WSMAN/host", 1 },
    { "*", "TERMSRV/a.b.example.com:3389", 1 },
    { "*", "TERMSRV/10.0.0.1", 1 },
    { "*", "TERMSRV/[::1]:3389", 1 },
    /* ports */
    { "TERMSRV/host", "TERMSRV/host:3389", 1 },
    { "TERMSRV/host:3389", "TERMSRV/host:3389", 1 },
    { "TERMSRV/host:3389", "TERMSRV/host", 0 },
    { "TERMSRV/host:3389", "TERMSRV/host:3390", 0 },
    { "TERMSRV/*", "TERMSRV/host:3389", 1 },
    { "TERMSRV/*:3389", "TERMSRV/any:3389", 1 },
    { "TERMSRV/*:3389", "TERMSRV/any", 0 },
    { "WSMAN/*.example.com", "WSMAN/a.example.com:5986", 1 },
    { "WSMAN/*.example.com:5986", "WSMAN/a.example.com:5986", 1 },
    { "WSMAN/*.example.com:5986", "WSMAN/a.example.com:5985", 0 },
    /* IP literal targets */
    { "TERMSRV/*", "TERMSRV/10.0.0.1", 1 },
    { "TERMSRV/*", "TERMSRV/[2001:db8::1]", 1 },
    { "TERMSRV/*", "TERMSRV/10.0.0.1:3389", 1 },
    { "TERMSRV/*.0.1", "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/*.0.0.1", "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/*.1", "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/10.0.0.1", "TERMSRV/10.0.0.1", 1 },
    { "TERMSRV/10.0.0.1", "TERMSRV/10.0.0.1:3389", 1 },
    { "TERMSRV/10.0.0.1", "TERMSRV/10.0.0.2", 0 },
    { "TERMSRV/10.0.0.1:3389", "TERMSRV/10.0.0.1:3390", 0 },
    { "WSMAN/10.0.0.1", "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/[2001:db8::1]", "TERMSRV/[2001:DB8:0::1]", 1 },
    { "TERMSRV/[2001:db8::1]", "TERMSRV/[2001:db8::1]:3389", 1 },
    { "TERMSRV/[::1]", "TERMSRV/[::2]", 0 },
    { "TERMSRV/[::ffff:10.0.0.1]", "TERMSRV/10.0.0.1", 0 },
    { "TERMSRV/10.0.0.1", "TERMSRV/[::ffff:10.0.0.1]", 0 },
    { "TERMSRV/host.example.com", "TERMSRV/10.0.0.1", 0 },
};

START_TEST(test_policy_match)
{
    struct credssp_policy_spn pattern, target;

    ck_assert_int_eq(
        credssp_policy_spn_parse_pattern(match_rows[_i].pattern, &pattern),
        0);
    ck_assert_int_eq(
        credssp_policy_spn_parse_target(match_rows[_i].target, &target), 0);
    ck_assert_msg(credssp_policy_spn_match(&pattern, &target) ==
                      match_rows[_i].match,
                  "%s vs %s: expected %d", match_rows[_i].pattern,
                  match_rows[_i].target, match_rows[_i].match);
}
END_TEST

/* ------------------------------------------------------------------ */
/* (3) Parsing                                                         */
/* ------------------------------------------------------------------ */

#define CONF "/etc/gss/credssp.conf"

static const struct {
    struct credssp_policy_entry entries[MAX_ENTRIES];
    size_t n;
    int code;
    const char *file;
    unsigned int line;
    const char *text;
} parse_error_rows[] = {
    { { { "AllowFreshCredentials", "TERMSRV/*", CONF, 3 },
        { "AllowFreshCreds", "TERMSRV/*", CONF, 4 } },
      2, CREDSSP_ERR_CONFIG, CONF, 4,
      "unknown key \"AllowFreshCreds\" in [delegation]" },
    { { { "ConcatenateDefaults_AllowFresh", "yes", "t.conf", 7 } },
      1, CREDSSP_ERR_CONFIG, "t.conf", 7,
      "ConcatenateDefaults_AllowFresh must be 0, 1, true or false, not "
      "\"yes\"" },
    { { { "RestrictedRemoteAdministration", "2", CONF, 2 } },
      1, CREDSSP_ERR_CONFIG, CONF, 2,
      "RestrictedRemoteAdministration must be 0, 1, true or false, not "
      "\"2\"" },
    { { { "AllowEncryptionOracle", "3", CONF, 11 } },
      1, CREDSSP_ERR_CONFIG, CONF, 11,
      "AllowEncryptionOracle must be 0, 1 or 2, not \"3\"" },
    { { { "AllowEncryptionOracle", "01", CONF, 5 } },
      1, CREDSSP_ERR_CONFIG, CONF, 5,
      "AllowEncryptionOracle must be 0, 1 or 2, not \"01\"" },
    { { { "AllowEncryptionOracle", "", CONF, 6 } },
      1, CREDSSP_ERR_CONFIG, CONF, 6,
      "AllowEncryptionOracle must be 0, 1 or 2, not \"\"" },
    { { { "AllowFreshCredentials", "TERMSRV/*", CONF, 10 },
        { "DenyFreshCredentials", "TERMSRV/*.*", CONF, 12 } },
      2, CREDSSP_ERR_POLICY_PATTERN, CONF, 12,
      "DenyFreshCredentials: invalid SPN pattern \"TERMSRV/*.*\"" },
    { { { "allowsavedcredentials", "TERMSRV/host:0", "b.conf", 1 } },
      1, CREDSSP_ERR_POLICY_PATTERN, "b.conf", 1,
      "AllowSavedCredentials: invalid SPN pattern \"TERMSRV/host:0\"" },
    { { { "AllowEncryptionOracle", "0", CONF, 5 },
        { "AllowFreshCredentials", "TERMSRV/*", CONF, 6 },
        { "allowencryptionoracle", "2", CONF, 9 } },
      3, CREDSSP_ERR_CONFIG, CONF, 9,
      "AllowEncryptionOracle given twice (first on line 5)" },
    { { { "RestrictedRemoteAdministration", "0", CONF, 3 },
        { "RestrictedRemoteAdministration", "0", CONF, 4 } },
      2, CREDSSP_ERR_CONFIG, CONF, 4,
      "RestrictedRemoteAdministration given twice (first on line 3)" },
    { { { "ConcatenateDefaults_DenySaved", "1", CONF, 8 },
        { "CONCATENATEDEFAULTS_DENYSAVED", "1", CONF, 20 } },
      2, CREDSSP_ERR_CONFIG, CONF, 20,
      "ConcatenateDefaults_DenySaved given twice (first on line 8)" },
    { { { "AllowSavedCredentials", "", CONF, 2 },
        { "AllowSavedCredentials", "TERMSRV/*", CONF, 3 } },
      2, CREDSSP_ERR_CONFIG, CONF, 3,
      "AllowSavedCredentials: pattern \"TERMSRV/*\" given for a list "
      "disabled by an empty value" },
    { { { "AllowSavedCredentials", "TERMSRV/*", CONF, 2 },
        { "AllowSavedCredentials", "", CONF, 3 } },
      2, CREDSSP_ERR_CONFIG, CONF, 3,
      "AllowSavedCredentials: an empty value (disabled) must be the only "
      "entry of the list" },
    { { { "DenyDefaultCredentials", "", CONF, 2 },
        { "DenyDefaultCredentials", "", CONF, 3 } },
      2, CREDSSP_ERR_CONFIG, CONF, 3,
      "DenyDefaultCredentials: an empty value (disabled) must be the only "
      "entry of the list" },
    { { { NULL, "TERMSRV/*", CONF, 4 } },
      1, CREDSSP_ERR_CONFIG, CONF, 4, "relation without a key or a value" },
    { { { "AllowFreshCredentials", NULL, CONF, 4 } },
      1, CREDSSP_ERR_CONFIG, CONF, 4, "relation without a key or a value" },
    { { { "Bogus", "1", NULL, 0 } },
      1, CREDSSP_ERR_CONFIG, "", 0, "unknown key \"Bogus\" in [delegation]" },
    /* the first error is the one reported */
    { { { "AllowFreshCredentials", "TERMSRV/a b", CONF, 30 },
        { "Bogus", "1", CONF, 31 } },
      2, CREDSSP_ERR_POLICY_PATTERN, CONF, 30,
      "AllowFreshCredentials: invalid SPN pattern \"TERMSRV/a b\"" },
};

START_TEST(test_policy_parse_errors)
{
    static struct credssp_policy sentinel;
    struct credssp_policy *p = &sentinel;
    struct credssp_policy_error err;
    int ret;

    ret = credssp_policy_parse(parse_error_rows[_i].entries,
                               parse_error_rows[_i].n, &p, &err);
    ck_assert_int_eq(ret, parse_error_rows[_i].code);
    ck_assert_int_eq(err.code, parse_error_rows[_i].code);
    ck_assert_str_eq(err.file, parse_error_rows[_i].file);
    ck_assert_uint_eq(err.line, parse_error_rows[_i].line);
    ck_assert_str_eq(err.text, parse_error_rows[_i].text);
    /* *out is untouched on failure */
    ck_assert_ptr_eq(p, &sentinel);
}
END_TEST

START_TEST(test_policy_parse_accepts_any_case)
{
    static const struct credssp_policy_entry e[] = {
        { "allowfreshcredentials", "TERMSRV/a", CONF, 1 },
        { "ALLOWFRESHCREDENTIALS", "TERMSRV/b", CONF, 2 },
        { "concatenatedefaults_allowfresh", "FALSE", CONF, 3 },
        { "allowencryptionoracle", "2", CONF, 4 },
        { "RESTRICTEDREMOTEADMINISTRATION", "True", CONF, 5 },
        { "AllowDefCredentialsWhenNTLMOnly", "", CONF, 6 },
    };
    struct credssp_policy *p = parse_ok(e, ARRAY_SIZE(e));
    const struct credssp_policy_list_conf *l;

    l = &p->lists[CREDSSP_POLICY_LIST_ALLOW_FRESH];
    ck_assert_int_eq(l->state, CREDSSP_POLICY_ENABLED);
    ck_assert_uint_eq(l->count, 2);
    ck_assert_str_eq(l->rules[0].text, "TERMSRV/a");
    ck_assert_uint_eq(l->rules[0].line, 1);
    ck_assert_str_eq(l->rules[1].text, "TERMSRV/b");
    ck_assert_int_eq(l->concatenate, 0);
    ck_assert_int_eq(p->lists[CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM].state,
                     CREDSSP_POLICY_DISABLED);
    ck_assert_int_eq(p->lists[CREDSSP_POLICY_LIST_DENY_FRESH].state,
                     CREDSSP_POLICY_NOT_CONFIGURED);
    ck_assert_int_eq(credssp_policy_encryption_oracle(p), 2);
    ck_assert_int_eq(credssp_policy_restricted_admin(p), 1);
    credssp_policy_free(&p);
}
END_TEST

START_TEST(test_policy_parse_empty_section)
{
    struct credssp_policy *p = NULL;
    struct credssp_policy_error err;
    size_t i;

    ck_assert_int_eq(credssp_policy_parse(NULL, 0, &p, &err), 0);
    ck_assert_ptr_nonnull(p);
    for (i = 0; i < CREDSSP_POLICY_LIST_COUNT; i++) {
        ck_assert_int_eq(p->lists[i].state, CREDSSP_POLICY_NOT_CONFIGURED);
        ck_assert_int_eq(p->lists[i].concatenate, 1);
    }
    ck_assert_int_eq(credssp_policy_encryption_oracle(p), 1);
    ck_assert_int_eq(credssp_policy_restricted_admin(p), 0);
    credssp_policy_free(&p);
    credssp_policy_free(&p);
    credssp_policy_free(NULL);
    ck_assert_int_eq(credssp_policy_parse(NULL, 1, &p, &err),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_ptr_null(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* (4) Decisions                                                       */
/* ------------------------------------------------------------------ */

/*
 * The decision table: one list configured in one of eight ways, every
 * kind x server authentication, target TERMSRV/srv.example.com.  The
 * configured patterns are "WSMAN/" "*" (never matches the target) and,
 * for HIT, "TERMSRV/" "*.EXAMPLE.com" (matches it).  The rows were
 * generated once from a separate, non-C model of MS-CSSP.md 6.1 and 6.3
 * and spot-checked by hand: Deny<kind> first, then Allow<kind> (Kerberos,
 * certificate) or Allow<kind>WhenNTLMOnly (NTLM); OS default
 * "TERMSRV/" "*" for the Fresh and Saved Allow lists only; configured
 * patterns before the OS default.
 */
#define TARGET "TERMSRV/srv.example.com"
#define CFG_MISS "WSMAN/*"
#define CFG_HIT "TERMSRV/*.EXAMPLE.com"

enum {
    ADC = CREDSSP_POLICY_LIST_ALLOW_DEFAULT,
    ADN = CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM,
    AFC = CREDSSP_POLICY_LIST_ALLOW_FRESH,
    AFN = CREDSSP_POLICY_LIST_ALLOW_FRESH_NTLM,
    ASC = CREDSSP_POLICY_LIST_ALLOW_SAVED,
    ASN = CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM,
    DDC = CREDSSP_POLICY_LIST_DENY_DEFAULT,
    DFC = CREDSSP_POLICY_LIST_DENY_FRESH,
    DSC = CREDSSP_POLICY_LIST_DENY_SAVED
};

/* How the one list is configured; the digit is ConcatenateDefaults_*. */
enum list_setup {
    NC0,  /* not configured, flag 0 */
    NC1,  /* not configured, flag 1 */
    DIS0, /* disabled (empty value), flag 0 */
    DIS1, /* disabled, flag true */
    ON0,  /* CFG_MISS, flag false */
    ON1,  /* CFG_MISS, flag absent (default 1) */
    HIT0, /* CFG_MISS and CFG_HIT, flag 0 */
    HIT1  /* CFG_MISS and CFG_HIT, flag absent */
};

enum {
    DEF = CREDSSP_POLICY_KIND_DEFAULT,
    FRE = CREDSSP_POLICY_KIND_FRESH,
    SAV = CREDSSP_POLICY_KIND_SAVED
};
enum {
    KRB = CREDSSP_POLICY_AUTH_KERBEROS,
    CRT = CREDSSP_POLICY_AUTH_CERTIFICATE,
    NTL = CREDSSP_POLICY_AUTH_NTLM
};
enum { ALW = CREDSSP_POLICY_ALLOW, DNY = CREDSSP_POLICY_DENY };
enum {
    OK = 0,
    POL = CREDSSP_ERR_DELEGATION_POLICY,
    NTO = CREDSSP_ERR_POLICY_NTLM_ONLY
};
enum expected_pattern { NONE, OSD, CFG };

/* The names as Windows writes them, in list order. */
static const char *const list_keys[] = {
    "AllowDefaultCredentials",       "AllowDefCredentialsWhenNTLMOnly",
    "AllowFreshCredentials",         "AllowFreshCredentialsWhenNTLMOnly",
    "AllowSavedCredentials",         "AllowSavedCredentialsWhenNTLMOnly",
    "DenyDefaultCredentials",        "DenyFreshCredentials",
    "DenySavedCredentials",
};
static const char *const concatenate_keys[] = {
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

static const struct {
    int list;
    enum list_setup setup;
    int kind;
    int auth;
    int decision;
    int minor;
    int rule;
    enum expected_pattern pattern;
} decision_rows[] = {
    /* ADC configured */
    { ADC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, HIT0, DEF, KRB, ALW, OK, ADC, CFG },
    { ADC, HIT0, DEF, CRT, ALW, OK, ADC, CFG },
    { ADC, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADC, HIT1, DEF, KRB, ALW, OK, ADC, CFG },
    { ADC, HIT1, DEF, CRT, ALW, OK, ADC, CFG },
    { ADC, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADC, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADC, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADC, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADC, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADC, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADC, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* ADN configured */
    { ADN, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ADN, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, HIT0, DEF, NTL, ALW, OK, ADN, CFG },
    { ADN, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { ADN, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { ADN, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { ADN, HIT1, DEF, NTL, ALW, OK, ADN, CFG },
    { ADN, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { ADN, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { ADN, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { ADN, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { ADN, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { ADN, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* AFC configured */
    { AFC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { AFC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { AFC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, DIS0, FRE, KRB, DNY, POL, AFC, NONE },
    { AFC, DIS0, FRE, CRT, DNY, POL, AFC, NONE },
    { AFC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, DIS1, FRE, KRB, DNY, POL, AFC, NONE },
    { AFC, DIS1, FRE, CRT, DNY, POL, AFC, NONE },
    { AFC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, ON0, FRE, KRB, DNY, POL, AFC, NONE },
    { AFC, ON0, FRE, CRT, DNY, POL, AFC, NONE },
    { AFC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, HIT0, FRE, KRB, ALW, OK, AFC, CFG },
    { AFC, HIT0, FRE, CRT, ALW, OK, AFC, CFG },
    { AFC, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFC, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFC, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFC, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFC, HIT1, FRE, KRB, ALW, OK, AFC, CFG },
    { AFC, HIT1, FRE, CRT, ALW, OK, AFC, CFG },
    { AFC, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFC, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFC, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFC, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* AFN configured */
    { AFN, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { AFN, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFN, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, DIS0, FRE, NTL, DNY, NTO, AFN, NONE },
    { AFN, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, DIS1, FRE, NTL, DNY, NTO, AFN, NONE },
    { AFN, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, ON0, FRE, NTL, DNY, NTO, AFN, NONE },
    { AFN, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { AFN, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, HIT0, FRE, NTL, ALW, OK, AFN, CFG },
    { AFN, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { AFN, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { AFN, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { AFN, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { AFN, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { AFN, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { AFN, HIT1, FRE, NTL, ALW, OK, AFN, CFG },
    { AFN, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { AFN, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { AFN, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* ASC configured */
    { ASC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { ASC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { ASC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, DIS0, SAV, KRB, DNY, POL, ASC, NONE },
    { ASC, DIS0, SAV, CRT, DNY, POL, ASC, NONE },
    { ASC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, DIS1, SAV, KRB, DNY, POL, ASC, NONE },
    { ASC, DIS1, SAV, CRT, DNY, POL, ASC, NONE },
    { ASC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, ON0, SAV, KRB, DNY, POL, ASC, NONE },
    { ASC, ON0, SAV, CRT, DNY, POL, ASC, NONE },
    { ASC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, HIT0, SAV, KRB, ALW, OK, ASC, CFG },
    { ASC, HIT0, SAV, CRT, ALW, OK, ASC, CFG },
    { ASC, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { ASC, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASC, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASC, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASC, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASC, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASC, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASC, HIT1, SAV, KRB, ALW, OK, ASC, CFG },
    { ASC, HIT1, SAV, CRT, ALW, OK, ASC, CFG },
    { ASC, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* ASN configured */
    { ASN, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { ASN, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { ASN, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, DIS0, SAV, NTL, DNY, NTO, ASN, NONE },
    { ASN, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, DIS1, SAV, NTL, DNY, NTO, ASN, NONE },
    { ASN, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, ON0, SAV, NTL, DNY, NTO, ASN, NONE },
    { ASN, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { ASN, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, HIT0, SAV, NTL, ALW, OK, ASN, CFG },
    { ASN, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { ASN, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { ASN, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { ASN, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { ASN, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { ASN, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { ASN, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { ASN, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { ASN, HIT1, SAV, NTL, ALW, OK, ASN, CFG },
    /* DDC configured */
    { DDC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { DDC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { DDC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DDC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, HIT0, DEF, KRB, DNY, POL, DDC, CFG },
    { DDC, HIT0, DEF, CRT, DNY, POL, DDC, CFG },
    { DDC, HIT0, DEF, NTL, DNY, POL, DDC, CFG },
    { DDC, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { DDC, HIT1, DEF, KRB, DNY, POL, DDC, CFG },
    { DDC, HIT1, DEF, CRT, DNY, POL, DDC, CFG },
    { DDC, HIT1, DEF, NTL, DNY, POL, DDC, CFG },
    { DDC, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { DDC, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { DDC, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { DDC, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { DDC, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { DDC, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* DFC configured */
    { DFC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { DFC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { DFC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { DFC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, HIT0, FRE, KRB, DNY, POL, DFC, CFG },
    { DFC, HIT0, FRE, CRT, DNY, POL, DFC, CFG },
    { DFC, HIT0, FRE, NTL, DNY, POL, DFC, CFG },
    { DFC, HIT0, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, HIT0, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, HIT0, SAV, NTL, ALW, OK, ASN, OSD },
    { DFC, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { DFC, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { DFC, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DFC, HIT1, FRE, KRB, DNY, POL, DFC, CFG },
    { DFC, HIT1, FRE, CRT, DNY, POL, DFC, CFG },
    { DFC, HIT1, FRE, NTL, DNY, POL, DFC, CFG },
    { DFC, HIT1, SAV, KRB, ALW, OK, ASC, OSD },
    { DFC, HIT1, SAV, CRT, ALW, OK, ASC, OSD },
    { DFC, HIT1, SAV, NTL, ALW, OK, ASN, OSD },
    /* DSC configured */
    { DSC, NC0, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, NC0, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, NC0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, NC0, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, NC0, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, NC0, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, NC0, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, NC0, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, NC0, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, NC1, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, NC1, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, NC1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, NC1, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, NC1, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, NC1, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, NC1, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, NC1, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, NC1, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, DIS0, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, DIS0, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, DIS0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, DIS0, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, DIS0, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, DIS0, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, DIS0, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, DIS0, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, DIS0, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, DIS1, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, DIS1, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, DIS1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, DIS1, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, DIS1, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, DIS1, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, DIS1, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, DIS1, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, DIS1, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, ON0, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, ON0, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, ON0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, ON0, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, ON0, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, ON0, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, ON0, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, ON0, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, ON0, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, ON1, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, ON1, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, ON1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, ON1, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, ON1, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, ON1, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, ON1, SAV, KRB, ALW, OK, ASC, OSD },
    { DSC, ON1, SAV, CRT, ALW, OK, ASC, OSD },
    { DSC, ON1, SAV, NTL, ALW, OK, ASN, OSD },
    { DSC, HIT0, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, HIT0, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, HIT0, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, HIT0, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, HIT0, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, HIT0, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, HIT0, SAV, KRB, DNY, POL, DSC, CFG },
    { DSC, HIT0, SAV, CRT, DNY, POL, DSC, CFG },
    { DSC, HIT0, SAV, NTL, DNY, POL, DSC, CFG },
    { DSC, HIT1, DEF, KRB, DNY, POL, ADC, NONE },
    { DSC, HIT1, DEF, CRT, DNY, POL, ADC, NONE },
    { DSC, HIT1, DEF, NTL, DNY, NTO, ADN, NONE },
    { DSC, HIT1, FRE, KRB, ALW, OK, AFC, OSD },
    { DSC, HIT1, FRE, CRT, ALW, OK, AFC, OSD },
    { DSC, HIT1, FRE, NTL, ALW, OK, AFN, OSD },
    { DSC, HIT1, SAV, KRB, DNY, POL, DSC, CFG },
    { DSC, HIT1, SAV, CRT, DNY, POL, DSC, CFG },
    { DSC, HIT1, SAV, NTL, DNY, POL, DSC, CFG },
};

/* Build the entries of one decision row into e; returns their number. */
static size_t
build_setup(int list, int setup, struct credssp_policy_entry e[])
{
    static const char *const flags[] = { "0", "1", "0", "true",
                                         "false", NULL, "0", NULL };
    size_t n = 0;
    unsigned int line = 1;

    if (setup == DIS0 || setup == DIS1) {
        e[n++] = (struct credssp_policy_entry){ list_keys[list], "", CONF,
                                                line++ };
    }
    if (setup >= ON0) {
        e[n++] = (struct credssp_policy_entry){ list_keys[list], CFG_MISS,
                                                CONF, line++ };
    }
    if (setup >= HIT0) {
        e[n++] = (struct credssp_policy_entry){ list_keys[list], CFG_HIT,
                                                CONF, line++ };
    }
    if (flags[setup] != NULL) {
        e[n++] = (struct credssp_policy_entry){ concatenate_keys[list],
                                                flags[setup], CONF, line };
    }
    return n;
}

START_TEST(test_policy_decision_table)
{
    static const char *const patterns[] = { NULL, "TERMSRV/*", CFG_HIT };
    struct scenario s;

    memset(&s, 0, sizeof(s));
    s.n = build_setup(decision_rows[_i].list, decision_rows[_i].setup,
                      s.entries);
    s.kind = decision_rows[_i].kind;
    s.auth = decision_rows[_i].auth;
    s.target = TARGET;
    s.decision = decision_rows[_i].decision;
    s.minor = decision_rows[_i].minor;
    s.rule = list_keys[decision_rows[_i].rule];
    s.pattern = patterns[decision_rows[_i].pattern];
    s.os_default = decision_rows[_i].pattern == OSD;
    check_scenario(&s);
}
END_TEST

static const struct scenario deny_rows[] = {
    /* Deny beats a wildcard Allow */
    { { { "AllowFreshCredentials", "TERMSRV/*", CONF, 1 },
        { "DenyFreshCredentials", "TERMSRV/kiosk.example.com", CONF, 2 } },
      2, 0, FRE, KRB, "TERMSRV/kiosk.example.com", DNY, POL,
      "DenyFreshCredentials", "TERMSRV/kiosk.example.com", 0, NULL },
    { { { "AllowFreshCredentials", "TERMSRV/*", CONF, 1 },
        { "DenyFreshCredentials", "TERMSRV/kiosk.example.com", CONF, 2 } },
      2, 0, FRE, KRB, "TERMSRV/other.example.com", ALW, OK,
      "AllowFreshCredentials", "TERMSRV/*", 0, NULL },
    /* Deny beats an exact Allow, and wins with POL even for NTLM */
    { { { "AllowSavedCredentialsWhenNTLMOnly", "TERMSRV/a.example.com",
          CONF, 1 },
        { "DenySavedCredentials", "TERMSRV/*.example.com", CONF, 2 } },
      2, 0, SAV, NTL, "TERMSRV/a.example.com", DNY, POL,
      "DenySavedCredentials", "TERMSRV/*.example.com", 0, NULL },
    /* Deny beats the OS default */
    { { { "DenyFreshCredentials", "*", CONF, 1 } },
      1, 0, FRE, CRT, "TERMSRV/a.example.com", DNY, POL,
      "DenyFreshCredentials", "*", 0, NULL },
    /* Deny of another kind does not apply */
    { { { "DenySavedCredentials", "*", CONF, 1 } },
      1, 0, FRE, CRT, "TERMSRV/a.example.com", ALW, OK,
      "AllowFreshCredentials", "TERMSRV/*", 1, NULL },
    /* An Allow list is only read for its server class */
    { { { "AllowDefaultCredentials", "TERMSRV/*", CONF, 1 } },
      1, 0, DEF, NTL, "TERMSRV/a.example.com", DNY, NTO,
      "AllowDefCredentialsWhenNTLMOnly", NULL, 0, NULL },
    { { { "AllowDefCredentialsWhenNTLMOnly", "TERMSRV/*", CONF, 1 } },
      1, 0, DEF, KRB, "TERMSRV/a.example.com", DNY, POL,
      "AllowDefaultCredentials", NULL, 0, NULL },
    /* first matching configured pattern is reported */
    { { { "AllowDefaultCredentials", "WSMAN/*", CONF, 1 },
        { "AllowDefaultCredentials", "TERMSRV/a.example.com", CONF, 2 },
        { "AllowDefaultCredentials", "*", CONF, 3 } },
      3, 0, DEF, CRT, "TERMSRV/a.example.com:3389", ALW, OK,
      "AllowDefaultCredentials", "TERMSRV/a.example.com", 0, NULL },
};

START_TEST(test_policy_deny_beats_allow)
{
    check_scenario(&deny_rows[_i]);
}
END_TEST

static const struct scenario restricted_rows[] = {
    { { { "RestrictedRemoteAdministration", "1", CONF, 1 },
        { "AllowFreshCredentials", "*", CONF, 2 } },
      2, 0, FRE, KRB, "TERMSRV/a.example.com", CREDSSP_POLICY_RESTRICTED,
      OK, "RestrictedRemoteAdministration", NULL, 0, NULL },
    { { { "RestrictedRemoteAdministration", "true", CONF, 1 },
        { "DenyDefaultCredentials", "*", CONF, 2 } },
      2, 0, DEF, NTL, "TERMSRV/a.example.com", CREDSSP_POLICY_RESTRICTED,
      OK, "RestrictedRemoteAdministration", NULL, 0, NULL },
    { { { "RestrictedRemoteAdministration", "0", CONF, 1 } },
      1, 0, SAV, CRT, "TERMSRV/a.example.com", ALW, OK,
      "AllowSavedCredentials", "TERMSRV/*", 1, NULL },
};

START_TEST(test_policy_restricted)
{
    check_scenario(&restricted_rows[_i]);
}
END_TEST

/* No configuration at all: the OS defaults of MS-CSSP.md 6.1. */
static const struct scenario null_rows[] = {
    { { { 0 } }, 0, 1, DEF, KRB, TARGET, DNY, POL,
      "AllowDefaultCredentials", NULL, 0, NULL },
    { { { 0 } }, 0, 1, DEF, CRT, TARGET, DNY, POL,
      "AllowDefaultCredentials", NULL, 0, NULL },
    { { { 0 } }, 0, 1, DEF, NTL, TARGET, DNY, NTO,
      "AllowDefCredentialsWhenNTLMOnly", NULL, 0, NULL },
    { { { 0 } }, 0, 1, FRE, KRB, TARGET, ALW, OK,
      "AllowFreshCredentials", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, FRE, CRT, TARGET, ALW, OK,
      "AllowFreshCredentials", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, FRE, NTL, TARGET, ALW, OK,
      "AllowFreshCredentialsWhenNTLMOnly", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, SAV, KRB, TARGET, ALW, OK,
      "AllowSavedCredentials", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, SAV, CRT, TARGET, ALW, OK,
      "AllowSavedCredentials", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, SAV, NTL, TARGET, ALW, OK,
      "AllowSavedCredentialsWhenNTLMOnly", "TERMSRV/*", 1, NULL },
    { { { 0 } }, 0, 1, FRE, KRB, "WSMAN/srv.example.com", DNY, POL,
      "AllowFreshCredentials", NULL, 0, NULL },
    { { { 0 } }, 0, 1, FRE, NTL, "WSMAN/srv.example.com", DNY, NTO,
      "AllowFreshCredentialsWhenNTLMOnly", NULL, 0, NULL },
    /* an empty section is the same as none */
    { { { 0 } }, 0, 0, SAV, NTL, "TERMSRV/10.0.0.1", ALW, OK,
      "AllowSavedCredentialsWhenNTLMOnly", "TERMSRV/*", 1, NULL },
};

START_TEST(test_policy_null_policy)
{
    check_scenario(&null_rows[_i]);
}
END_TEST

/* Requests that cannot be evaluated fail closed. */
static const struct scenario error_rows[] = {
    { { { 0 } }, 0, 1, FRE, KRB, NULL, CREDSSP_POLICY_ERROR,
      CREDSSP_ERR_BAD_ARGUMENT, NULL, NULL, 0, NULL },
    { { { 0 } }, 0, 1, FRE, KRB, "TERMSRV/", CREDSSP_POLICY_ERROR,
      CREDSSP_ERR_BAD_NAME, NULL, NULL, 0, NULL },
    { { { 0 } }, 0, 1, FRE, KRB, "TERMSRV/*", CREDSSP_POLICY_ERROR,
      CREDSSP_ERR_BAD_NAME, NULL, NULL, 0, NULL },
    { { { "AllowFreshCredentials", "*", CONF, 1 } }, 1, 0, FRE, KRB,
      "srv.example.com", CREDSSP_POLICY_ERROR, CREDSSP_ERR_BAD_NAME, NULL,
      NULL, 0, NULL },
    { { { 0 } }, 0, 1, 3, KRB, TARGET,
      CREDSSP_POLICY_ERROR, CREDSSP_ERR_BAD_ARGUMENT, NULL, NULL, 0, NULL },
    { { { 0 } }, 0, 1, FRE, 3, TARGET,
      CREDSSP_POLICY_ERROR, CREDSSP_ERR_BAD_ARGUMENT, NULL, NULL, 0, NULL },
};

START_TEST(test_policy_bad_request)
{
    check_scenario(&error_rows[_i]);
}
END_TEST

START_TEST(test_policy_null_request)
{
    struct credssp_policy_info info;

    ck_assert_int_eq(credssp_policy_evaluate(NULL, NULL, &info),
                     CREDSSP_POLICY_ERROR);
    ck_assert_int_eq(info.minor, CREDSSP_ERR_BAD_ARGUMENT);
}
END_TEST

/* ------------------------------------------------------------------ */
/* (5) Encryption oracle                                               */
/* ------------------------------------------------------------------ */

/* client level x server level x the other side's version: does the
 * client accept it as the effective version, does the server accept it
 * as the client's version (MS-CSSP.md 6.5). */
static const struct {
    int client;
    int server;
    int version;
    int client_accepts;
    int server_accepts;
} oracle_rows[] = {
    { 0, 0, 2, 0, 0 },
    { 0, 0, 3, 0, 0 },
    { 0, 0, 4, 0, 0 },
    { 0, 0, 5, 1, 1 },
    { 0, 0, 6, 1, 1 },
    { 0, 1, 2, 0, 1 },
    { 0, 1, 3, 0, 1 },
    { 0, 1, 4, 0, 1 },
    { 0, 1, 5, 1, 1 },
    { 0, 1, 6, 1, 1 },
    { 0, 2, 2, 0, 1 },
    { 0, 2, 3, 0, 1 },
    { 0, 2, 4, 0, 1 },
    { 0, 2, 5, 1, 1 },
    { 0, 2, 6, 1, 1 },
    { 1, 0, 2, 0, 0 },
    { 1, 0, 3, 0, 0 },
    { 1, 0, 4, 0, 0 },
    { 1, 0, 5, 1, 1 },
    { 1, 0, 6, 1, 1 },
    { 1, 1, 2, 0, 1 },
    { 1, 1, 3, 0, 1 },
    { 1, 1, 4, 0, 1 },
    { 1, 1, 5, 1, 1 },
    { 1, 1, 6, 1, 1 },
    { 1, 2, 2, 0, 1 },
    { 1, 2, 3, 0, 1 },
    { 1, 2, 4, 0, 1 },
    { 1, 2, 5, 1, 1 },
    { 1, 2, 6, 1, 1 },
    { 2, 0, 2, 1, 0 },
    { 2, 0, 3, 1, 0 },
    { 2, 0, 4, 1, 0 },
    { 2, 0, 5, 1, 1 },
    { 2, 0, 6, 1, 1 },
    { 2, 1, 2, 1, 1 },
    { 2, 1, 3, 1, 1 },
    { 2, 1, 4, 1, 1 },
    { 2, 1, 5, 1, 1 },
    { 2, 1, 6, 1, 1 },
    { 2, 2, 2, 1, 1 },
    { 2, 2, 3, 1, 1 },
    { 2, 2, 4, 1, 1 },
    { 2, 2, 5, 1, 1 },
    { 2, 2, 6, 1, 1 },
};

START_TEST(test_policy_oracle_matrix)
{
    static const char *const levels[] = { "0", "1", "2" };
    struct credssp_policy_entry e = { "AllowEncryptionOracle", NULL, CONF,
                                      1 };
    struct credssp_policy *client, *server;
    int v = oracle_rows[_i].version;

    e.value = levels[oracle_rows[_i].client];
    client = parse_ok(&e, 1);
    e.value = levels[oracle_rows[_i].server];
    server = parse_ok(&e, 1);
    ck_assert_int_eq(credssp_policy_client_accepts_version(client, v),
                     oracle_rows[_i].client_accepts);
    ck_assert_int_eq(v >= credssp_policy_client_min_version(client),
                     oracle_rows[_i].client_accepts);
    ck_assert_int_eq(credssp_policy_server_accepts_version(server, v),
                     oracle_rows[_i].server_accepts);
    credssp_policy_free(&client);
    credssp_policy_free(&server);
}
END_TEST

START_TEST(test_policy_oracle_default)
{
    /* Mitigated: the client needs 5, the server accepts anything. */
    ck_assert_int_eq(credssp_policy_encryption_oracle(NULL), 1);
    ck_assert_int_eq(credssp_policy_client_min_version(NULL), 5);
    ck_assert_int_eq(credssp_policy_client_accepts_version(NULL, 4), 0);
    ck_assert_int_eq(credssp_policy_server_accepts_version(NULL, 2), 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Effective lists                                                     */
/* ------------------------------------------------------------------ */

START_TEST(test_policy_effective_lists)
{
    static const struct credssp_policy_entry e[] = {
        { "AllowFreshCredentials", "WSMAN/*", CONF, 4 },
        { "AllowSavedCredentials", "WSMAN/*", CONF, 5 },
        { "ConcatenateDefaults_AllowSaved", "0", CONF, 6 },
        { "AllowFreshCredentialsWhenNTLMOnly", "", CONF, 7 },
    };
    struct credssp_policy *p = parse_ok(e, ARRAY_SIZE(e));
    struct credssp_policy_list_info li;
    struct credssp_policy_list_item it;

    /* enabled + OS defaults */
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_ALLOW_FRESH, &li),
                     0);
    ck_assert_str_eq(li.name, "AllowFreshCredentials");
    ck_assert_int_eq(li.state, CREDSSP_POLICY_ENABLED);
    ck_assert_int_eq(li.concatenate, 1);
    ck_assert_int_eq(li.concatenate_set, 0);
    ck_assert_uint_eq(li.count, 2);
    ck_assert_int_eq(credssp_policy_list_item(
                         p, CREDSSP_POLICY_LIST_ALLOW_FRESH, 0, &it),
                     0);
    ck_assert_str_eq(it.pattern, "WSMAN/*");
    ck_assert_int_eq(it.os_default, 0);
    ck_assert_uint_eq(it.line, 4);
    ck_assert_int_eq(credssp_policy_list_item(
                         p, CREDSSP_POLICY_LIST_ALLOW_FRESH, 1, &it),
                     0);
    ck_assert_str_eq(it.pattern, "TERMSRV/*");
    ck_assert_int_eq(it.os_default, 1);
    ck_assert_uint_eq(it.line, 0);
    ck_assert_int_eq(credssp_policy_list_item(
                         p, CREDSSP_POLICY_LIST_ALLOW_FRESH, 2, &it),
                     CREDSSP_ERR_BAD_ARGUMENT);

    /* enabled without OS defaults */
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_ALLOW_SAVED, &li),
                     0);
    ck_assert_int_eq(li.concatenate, 0);
    ck_assert_int_eq(li.concatenate_set, 1);
    ck_assert_uint_eq(li.count, 1);

    /* disabled */
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_ALLOW_FRESH_NTLM, &li),
                     0);
    ck_assert_int_eq(li.state, CREDSSP_POLICY_DISABLED);
    ck_assert_uint_eq(li.count, 0);

    /* not configured */
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM, &li),
                     0);
    ck_assert_int_eq(li.state, CREDSSP_POLICY_NOT_CONFIGURED);
    ck_assert_uint_eq(li.count, 1);
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_DENY_FRESH, &li),
                     0);
    ck_assert_uint_eq(li.count, 0);

    /* bad arguments */
    ck_assert_int_eq(credssp_policy_list_describe(
                         p, CREDSSP_POLICY_LIST_COUNT, &li),
                     CREDSSP_ERR_BAD_ARGUMENT);
    credssp_policy_free(&p);

    /* no configuration */
    ck_assert_int_eq(credssp_policy_list_describe(
                         NULL, CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM, &li),
                     0);
    ck_assert_uint_eq(li.count, 1);
    ck_assert_int_eq(credssp_policy_list_item(
                         NULL, CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM, 0, &it),
                     0);
    ck_assert_str_eq(it.pattern, "TERMSRV/*");
    ck_assert_int_eq(it.os_default, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* (6) Info strings                                                    */
/* ------------------------------------------------------------------ */

static const struct scenario info_rows[] = {
    { { { "DenyFreshCredentials", "TERMSRV/db1.example.com", CONF, 3 } },
      1, 0, FRE, KRB, "TERMSRV/db1.example.com", DNY, POL,
      "DenyFreshCredentials", "TERMSRV/db1.example.com", 0,
      "delegation of fresh credentials to TERMSRV/db1.example.com denied: "
      "DenyFreshCredentials entry TERMSRV/db1.example.com" },
    { { { 0 } }, 0, 1, FRE, CRT, "TERMSRV/db1.example.com", ALW, OK,
      "AllowFreshCredentials", "TERMSRV/*", 1,
      "delegation of fresh credentials to TERMSRV/db1.example.com allowed: "
      "AllowFreshCredentials entry TERMSRV/* (OS default)" },
    { { { "AllowFreshCredentialsWhenNTLMOnly", "WSMAN/*", CONF, 1 },
        { "ConcatenateDefaults_AllowFreshNTLMOnly", "0", CONF, 2 } },
      2, 0, FRE, NTL, "TERMSRV/db1.example.com", DNY, NTO,
      "AllowFreshCredentialsWhenNTLMOnly", NULL, 0,
      "delegation of fresh credentials to TERMSRV/db1.example.com denied: "
      "no AllowFreshCredentialsWhenNTLMOnly entry matches (the server was "
      "authenticated by NTLM only)" },
    { { { "AllowSavedCredentials", "", CONF, 1 } },
      1, 0, SAV, KRB, "TERMSRV/db1", DNY, POL, "AllowSavedCredentials",
      NULL, 0,
      "delegation of saved credentials to TERMSRV/db1 denied: "
      "AllowSavedCredentials is disabled" },
    { { { 0 } }, 0, 1, DEF, KRB, "HTTP/web.example.com:8443", DNY, POL,
      "AllowDefaultCredentials", NULL, 0,
      "delegation of default credentials to HTTP/web.example.com:8443 "
      "denied: no AllowDefaultCredentials entry matches" },
    { { { "AllowDefaultCredentials", "wsman/*.example.com", CONF, 1 } },
      1, 0, DEF, KRB, "WSMAN/web.example.com", ALW, OK,
      "AllowDefaultCredentials", "wsman/*.example.com", 0,
      "delegation of default credentials to WSMAN/web.example.com "
      "allowed: AllowDefaultCredentials entry wsman/*.example.com" },
    { { { "RestrictedRemoteAdministration", "1", CONF, 1 } },
      1, 0, FRE, KRB, "TERMSRV/db1", CREDSSP_POLICY_RESTRICTED, OK,
      "RestrictedRemoteAdministration", NULL, 0,
      "delegation of fresh credentials to TERMSRV/db1 restricted: "
      "RestrictedRemoteAdministration is set, empty credentials are sent" },
    { { { 0 } }, 0, 1, FRE, KRB, "TERMSRV/", CREDSSP_POLICY_ERROR,
      CREDSSP_ERR_BAD_NAME, NULL, NULL, 0,
      "delegation of fresh credentials to TERMSRV/ not evaluated: "
      "Cannot parse the user or target name" },
};

START_TEST(test_policy_info_string)
{
    check_scenario(&info_rows[_i]);
}
END_TEST

START_TEST(test_policy_info_string_truncates)
{
    struct credssp_policy_request req = { CREDSSP_POLICY_KIND_FRESH,
                                          TARGET,
                                          CREDSSP_POLICY_AUTH_KERBEROS };
    struct credssp_policy_info info;
    char buf[16];

    ck_assert_int_eq(credssp_policy_evaluate(NULL, &req, &info),
                     CREDSSP_POLICY_ALLOW);
    ck_assert_int_eq(credssp_policy_info_string(&info, buf, sizeof(buf)),
                     CREDSSP_ERR_TOO_LARGE);
    ck_assert_str_eq(buf, "delegation of f");
    ck_assert_int_eq(credssp_policy_info_string(&info, buf, 0),
                     CREDSSP_ERR_TOO_LARGE);
    ck_assert_int_eq(credssp_policy_info_string(NULL, buf, sizeof(buf)),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_policy_names)
{
    ck_assert_str_eq(
        credssp_policy_list_name(CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM),
        "AllowDefCredentialsWhenNTLMOnly");
    ck_assert_str_eq(credssp_policy_list_name(CREDSSP_POLICY_LIST_COUNT),
                     "?");
    /* The Windows spellings of the concatenation flags are irregular. */
    ck_assert_str_eq(credssp_policy_concatenate_name(
                         CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM),
                     "ConcatenateDefaults_AllowDefNTLMOnly");
    ck_assert_str_eq(
        credssp_policy_concatenate_name(CREDSSP_POLICY_LIST_ALLOW_FRESH),
        "ConcatenateDefaults_AllowFresh");
    ck_assert_str_eq(
        credssp_policy_concatenate_name(CREDSSP_POLICY_LIST_DENY_SAVED),
        "ConcatenateDefaults_DenySaved");
    ck_assert_str_eq(
        credssp_policy_concatenate_name(CREDSSP_POLICY_LIST_COUNT), "?");
    ck_assert_str_eq(credssp_policy_kind_name(CREDSSP_POLICY_KIND_SAVED),
                     "saved");
    ck_assert_str_eq(credssp_policy_auth_name(CREDSSP_POLICY_AUTH_NTLM),
                     "NTLM");
    ck_assert_str_eq(credssp_policy_decision_name(CREDSSP_POLICY_DENY),
                     "denied");
}
END_TEST

/* ------------------------------------------------------------------ */
/* Suite                                                               */
/* ------------------------------------------------------------------ */

static Suite *
policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc;

    tc = tcase_create("pattern_grammar");
    tcase_add_loop_test(tc, test_policy_pattern_grammar, 0,
                        ARRAY_SIZE(pattern_rows));
    tcase_add_test(tc, test_policy_pattern_too_long);
    tcase_add_loop_test(tc, test_policy_target_grammar, 0,
                        ARRAY_SIZE(target_rows));
    suite_add_tcase(s, tc);

    tc = tcase_create("match");
    tcase_add_loop_test(tc, test_policy_match, 0, ARRAY_SIZE(match_rows));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_policy_parse_errors, 0,
                        ARRAY_SIZE(parse_error_rows));
    tcase_add_test(tc, test_policy_parse_accepts_any_case);
    tcase_add_test(tc, test_policy_parse_empty_section);
    suite_add_tcase(s, tc);

    tc = tcase_create("decision");
    tcase_add_loop_test(tc, test_policy_decision_table, 0,
                        ARRAY_SIZE(decision_rows));
    tcase_add_loop_test(tc, test_policy_deny_beats_allow, 0,
                        ARRAY_SIZE(deny_rows));
    tcase_add_loop_test(tc, test_policy_restricted, 0,
                        ARRAY_SIZE(restricted_rows));
    tcase_add_loop_test(tc, test_policy_null_policy, 0,
                        ARRAY_SIZE(null_rows));
    tcase_add_loop_test(tc, test_policy_bad_request, 0,
                        ARRAY_SIZE(error_rows));
    tcase_add_test(tc, test_policy_null_request);
    suite_add_tcase(s, tc);

    tc = tcase_create("oracle");
    tcase_add_loop_test(tc, test_policy_oracle_matrix, 0,
                        ARRAY_SIZE(oracle_rows));
    tcase_add_test(tc, test_policy_oracle_default);
    suite_add_tcase(s, tc);

    tc = tcase_create("effective_lists");
    tcase_add_test(tc, test_policy_effective_lists);
    suite_add_tcase(s, tc);

    tc = tcase_create("info_string");
    tcase_add_loop_test(tc, test_policy_info_string, 0,
                        ARRAY_SIZE(info_rows));
    tcase_add_test(tc, test_policy_info_string_truncates);
    tcase_add_test(tc, test_policy_names);
    suite_add_tcase(s, tc);

    return s;
}

int
main(void)
{
    return check_main_run(policy_suite());
}
