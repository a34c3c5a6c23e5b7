/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The delegation policy engine (STYLE.md 4.11): the Windows "Credentials
 * Delegation" settings of MS-CSSP.md section 6 (6.1 settings and OS
 * defaults, 6.2 SPN patterns, 6.3 evaluation, 6.5 encryption oracle),
 * read from the [delegation] section of credssp.conf.
 *
 * Three steps, no GSS, TLS or DER here:
 *   parse     credssp_policy_parse(): config entries -> struct
 *             credssp_policy, or the file, line and text of the first
 *             error (the caller refuses to operate: fail closed);
 *   request   the caller fills struct credssp_policy_request;
 *   evaluate  credssp_policy_evaluate(): rules x request -> decision and a
 *             struct credssp_policy_info naming the deciding rule; no I/O
 *             and no allocation.  A NULL policy is Windows' unconfigured
 *             state: every list has its OS default.
 *
 * Settings (keys are matched ASCII case-insensitively):
 *
 *   Lists of SPN patterns, one pattern per relation, the key repeated for
 *   several patterns (file order is kept):
 *     AllowDefaultCredentials            AllowDefCredentialsWhenNTLMOnly
 *     AllowFreshCredentials              AllowFreshCredentialsWhenNTLMOnly
 *     AllowSavedCredentials              AllowSavedCredentialsWhenNTLMOnly
 *     DenyDefaultCredentials             DenyFreshCredentials
 *     DenySavedCredentials
 *   A list has one of three states:
 *     not configured  no relation for the key: the OS default applies
 *                     (Allow{Fresh,Saved}Credentials[WhenNTLMOnly]:
 *                     "TERMSRV/" "*", this machine counting as not
 *                     domain-joined; every other list: empty);
 *     disabled        exactly one relation with an EMPTY value,
 *                     written  AllowFreshCredentials = ""  (or with
 *                     nothing after the "="): the list is empty and the
 *                     OS default does not apply (Windows "Disabled");
 *                     an empty value together with patterns is an error;
 *     enabled         one or more patterns; the OS default is appended
 *                     after them unless the list's ConcatenateDefaults_*
 *                     flag is 0 (Windows "Enabled").
 *
 *   Flags, each 0, 1, true or false (default 1), each at most once:
 *     ConcatenateDefaults_AllowDefault     ConcatenateDefaults_DenyDefault
 *     ConcatenateDefaults_AllowDefNTLMOnly ConcatenateDefaults_DenyFresh
 *     ConcatenateDefaults_AllowFresh       ConcatenateDefaults_DenySaved
 *     ConcatenateDefaults_AllowFreshNTLMOnly
 *     ConcatenateDefaults_AllowSaved
 *     ConcatenateDefaults_AllowSavedNTLMOnly
 *   A flag only matters for an enabled list.
 *
 *   Scalars, each at most once:
 *     AllowEncryptionOracle           0 Force Updated Clients, 1 Mitigated
 *                                     (default), 2 Vulnerable
 *     RestrictedRemoteAdministration  0 (default) or 1 (true/false too):
 *                                     1 = never delegate; the mechanism
 *                                     sends empty credentials
 *
 *   Any other key, a bad value, a duplicate scalar or an invalid pattern
 *   is an error naming the file and line of the relation.
 *
 * SPN pattern grammar (ABNF, RFC 5234; ALPHA and DIGIT are ASCII only).
 * Patterns in which "/" meets "*" are written here as two ABNF strings,
 * "TERMSRV/" "*", as a C comment cannot hold that pair of characters.
 *
 *   pattern      = "*"                              ; any target
 *                / service "/" host-pattern [ ":" port ]
 *   host-pattern = "*"                              ; any host
 *                / "*." suffix                      ; hosts under suffix
 *                / host                             ; exactly this host
 *   target       = service "/" host [ ":" port ]    ; what is checked
 *
 *   service      = 1*64( ALPHA / DIGIT / "-" / "_" )
 *   host         = name / ipv4 / "[" ipv6 "]"
 *   name         = label *( "." label )  ; at most 253 characters, and
 *                                        ; not all labels of only DIGITs
 *   suffix       = label *( "." label )  ; at most 253 characters
 *   label        = 1*63( ALPHA / DIGIT / "-" / "_" )
 *   ipv4         = dec-octet 3( "." dec-octet )
 *   dec-octet    = DIGIT / %x31-39 1*2DIGIT      ; 0-255, no leading 0
 *   ipv6         = an IPv6 address in the text form of RFC 4291 section
 *                  2.2 (as inet_pton(AF_INET6) accepts it; no zone)
 *   port         = %x31-39 0*4DIGIT              ; 1-65535, no leading 0
 *
 *   No other characters (no spaces, no "?"), no empty parts, at most one
 *   "*", never inside the service class or inside a label.  A host whose
 *   labels are all digits must be a valid ipv4.  Patterns and targets are
 *   at most CREDSSP_POLICY_SPN_MAX characters.
 *
 * Matching a pattern against a target:
 *   - "*" matches every target;
 *   - otherwise the service classes must be equal, ignoring ASCII case;
 *   - a pattern without a port matches the target whatever its port; a
 *     pattern with a port matches only a target with the same port;
 *   - host "*" matches every host, IP literals included;
 *   - "*." suffix matches a name ending in "." suffix (ignoring ASCII case)
 *     with at least one label before it, at any depth:
 *     "TERMSRV/" "*.example.com" matches "TERMSRV/a.b.example.com" but
 *     not "TERMSRV/example.com"; it never matches an IP literal target;
 *   - an exact name matches the same name, ignoring ASCII case; an exact
 *     ipv4 or ipv6 matches the same address (compared as addresses, so
 *     [::1] equals [0:0::1]); names never match IP literals.
 *
 * Evaluation (MS-CSSP.md 6.3) of a request {kind, target, server
 * authentication}; "strong" means the server was authenticated by
 * Kerberos or by a certificate that validated, "NTLM only" otherwise:
 *   1. RestrictedRemoteAdministration = 1: RESTRICTED (send empty
 *      credentials; not an error);
 *   2. Deny<kind> matches: DENY, CREDSSP_ERR_DELEGATION_POLICY;
 *   3. strong: ALLOW iff Allow<kind> matches, else DENY,
 *      CREDSSP_ERR_DELEGATION_POLICY;
 *   4. NTLM only: ALLOW iff Allow<kind>WhenNTLMOnly matches, else DENY,
 *      CREDSSP_ERR_POLICY_NTLM_ONLY.
 * Within a list the configured patterns are tried in file order, then the
 * OS defaults; the first match is reported.
 *
 * Encryption oracle (MS-CSSP.md 6.5): a client at level 0 or 1 refuses an
 * effective version below 5, at level 2 it accepts 2 and up; a server at
 * level 0 refuses a client version below 5, at levels 1 and 2 it accepts
 * every version.
 */
#ifndef CREDSSP_POLICY_POLICY_H
#define CREDSSP_POLICY_POLICY_H

#include <stddef.h>

#include "common/err.h"

/* Longest pattern or target, in characters. */
#define CREDSSP_POLICY_SPN_MAX 512

/* ------------------------------------------------------------------ */
/* SPN patterns (spn.c)                                                */
/* ------------------------------------------------------------------ */

enum credssp_policy_spn_form {
    CREDSSP_POLICY_SPN_ANY = 0,  /* "*": every target */
    CREDSSP_POLICY_SPN_ANY_HOST, /* "svc/" "*" */
    CREDSSP_POLICY_SPN_SUFFIX,   /* "svc/" "*.suffix" */
    CREDSSP_POLICY_SPN_NAME,     /* "svc/host.example.com" */
    CREDSSP_POLICY_SPN_IPV4,     /* "svc/192.0.2.1" */
    CREDSSP_POLICY_SPN_IPV6      /* "svc/[2001:db8::1]" */
};

/* A parsed pattern or target.  service and host point into the text that
 * was parsed (not NUL-terminated at their ends), which must outlive this
 * struct.  For SUFFIX, host is the suffix without the leading "*.". */
struct credssp_policy_spn {
    enum credssp_policy_spn_form form;
    const char *service;
    size_t service_len;
    const char *host;
    size_t host_len;
    unsigned char addr[16]; /* IPV4: first 4 bytes; IPV6: all 16 */
    unsigned int port;      /* 0: no port */
};

/* Parse a pattern.  Returns 0 and fills out, or
 * CREDSSP_ERR_POLICY_PATTERN (out is then unspecified). */
CREDSSP_MUST_CHECK int
credssp_policy_spn_parse_pattern(const char *text,
                                 struct credssp_policy_spn *out);

/* Parse a target ("service/host[:port]", no wildcard).  Returns 0 and
 * fills out, or CREDSSP_ERR_BAD_NAME. */
CREDSSP_MUST_CHECK int
credssp_policy_spn_parse_target(const char *text,
                                struct credssp_policy_spn *out);

/* 1 when the parsed pattern matches the parsed target, else 0. */
CREDSSP_MUST_CHECK int
credssp_policy_spn_match(const struct credssp_policy_spn *pattern,
                         const struct credssp_policy_spn *target);

/* ------------------------------------------------------------------ */
/* Settings and parsing (parse.c)                                      */
/* ------------------------------------------------------------------ */

enum credssp_policy_list {
    CREDSSP_POLICY_LIST_ALLOW_DEFAULT = 0,
    CREDSSP_POLICY_LIST_ALLOW_DEFAULT_NTLM,
    CREDSSP_POLICY_LIST_ALLOW_FRESH,
    CREDSSP_POLICY_LIST_ALLOW_FRESH_NTLM,
    CREDSSP_POLICY_LIST_ALLOW_SAVED,
    CREDSSP_POLICY_LIST_ALLOW_SAVED_NTLM,
    CREDSSP_POLICY_LIST_DENY_DEFAULT,
    CREDSSP_POLICY_LIST_DENY_FRESH,
    CREDSSP_POLICY_LIST_DENY_SAVED,
    CREDSSP_POLICY_LIST_COUNT
};

enum credssp_policy_list_state {
    CREDSSP_POLICY_NOT_CONFIGURED = 0,
    CREDSSP_POLICY_DISABLED,
    CREDSSP_POLICY_ENABLED
};

/* One relation of [delegation], as the config reader hands it over.  All
 * strings are borrowed for the duration of credssp_policy_parse(). */
struct credssp_policy_entry {
    const char *key;
    const char *value;
    const char *file;  /* for messages; may be NULL */
    unsigned int line; /* 1-based; 0 when unknown */
};

/* The first parse error. */
struct credssp_policy_error {
    int code; /* CREDSSP_ERR_CONFIG, CREDSSP_ERR_POLICY_PATTERN, ENOMEM */
    char file[256];
    unsigned int line;
    char text[256];
};

/* One configured pattern. */
struct credssp_policy_rule {
    char *text;                    /* the pattern as written */
    struct credssp_policy_spn spn; /* points into text */
    unsigned int line;
};

struct credssp_policy_list_conf {
    enum credssp_policy_list_state state;
    int concatenate;     /* ConcatenateDefaults_*: 1 unless set to 0 */
    int concatenate_set; /* the flag appeared in the file */
    unsigned int concatenate_line;
    struct credssp_policy_rule *rules;
    size_t count;
};

/* The parsed settings.  Treat as read-only; build it with
 * credssp_policy_parse() and release it with credssp_policy_free(). */
struct credssp_policy {
    struct credssp_policy_list_conf lists[CREDSSP_POLICY_LIST_COUNT];
    int encryption_oracle; /* 0, 1 or 2; default 1 */
    int encryption_oracle_set;
    unsigned int encryption_oracle_line;
    int restricted_admin; /* 0 or 1; default 0 */
    int restricted_admin_set;
    unsigned int restricted_admin_line;
};

/*
 * Build a policy from the n relations of [delegation] (entries may be NULL
 * when n is 0).  On success returns 0 and stores a new policy in *out,
 * which the caller releases with credssp_policy_free().  On failure
 * returns CREDSSP_ERR_CONFIG (unknown key, bad value, duplicate scalar,
 * empty value mixed with patterns), CREDSSP_ERR_POLICY_PATTERN (invalid
 * pattern), ENOMEM, or CREDSSP_ERR_BAD_ARGUMENT (out NULL, or entries
 * NULL with n > 0), fills *err (when err is not NULL) with the code and
 * the file, line and text of the first error, and leaves *out untouched.
 */
CREDSSP_MUST_CHECK int
credssp_policy_parse(const struct credssp_policy_entry *entries, size_t n,
                     struct credssp_policy **out,
                     struct credssp_policy_error *err);

/* Release a policy; accepts NULL and *policy == NULL, leaves NULL. */
void credssp_policy_free(struct credssp_policy **policy);

/* The ConcatenateDefaults_* flag of a list
 * ("ConcatenateDefaults_AllowDefNTLMOnly"); "?" when out of range. */
const char *credssp_policy_concatenate_name(enum credssp_policy_list list);

/* ------------------------------------------------------------------ */
/* Evaluation (eval.c)                                                 */
/* ------------------------------------------------------------------ */

enum credssp_policy_kind {
    CREDSSP_POLICY_KIND_DEFAULT = 0, /* credentials of the logon session */
    CREDSSP_POLICY_KIND_FRESH,       /* supplied for this connection */
    CREDSSP_POLICY_KIND_SAVED        /* from a persistent store */
};

enum credssp_policy_auth {
    CREDSSP_POLICY_AUTH_KERBEROS = 0, /* mutual Kerberos */
    CREDSSP_POLICY_AUTH_CERTIFICATE,  /* TLS certificate validated */
    CREDSSP_POLICY_AUTH_NTLM          /* anything else: NTLM only */
};

enum credssp_policy_decision {
    CREDSSP_POLICY_ALLOW = 0,  /* delegate the credentials */
    CREDSSP_POLICY_DENY,       /* refuse; info.minor says why */
    CREDSSP_POLICY_RESTRICTED, /* send empty credentials */
    CREDSSP_POLICY_ERROR       /* bad request; info.minor says why */
};

struct credssp_policy_request {
    enum credssp_policy_kind kind;
    const char *target; /* "service/host[:port]" */
    enum credssp_policy_auth auth;
};

/* Why a decision was taken.  target and pattern are borrowed: from the
 * request and from the policy (or static storage for OS defaults). */
struct credssp_policy_info {
    enum credssp_policy_decision decision;
    enum credssp_policy_kind kind;
    enum credssp_policy_auth auth;
    const char *target;
    const char *rule; /* deciding setting ("DenyFreshCredentials",
                       * "RestrictedRemoteAdministration"), NULL on
                       * ERROR */
    enum credssp_policy_list_state rule_state; /* of the deciding list */
    const char *pattern; /* the matching pattern, NULL when none */
    int os_default;      /* pattern came from the OS defaults */
    unsigned int line;   /* line of the pattern; 0 for OS defaults */
    int minor; /* 0 (ALLOW, RESTRICTED), CREDSSP_ERR_DELEGATION_POLICY,
                * CREDSSP_ERR_POLICY_NTLM_ONLY, CREDSSP_ERR_BAD_NAME or
                * CREDSSP_ERR_BAD_ARGUMENT */
};

/*
 * Decide whether the credentials of request->kind may be delegated to
 * request->target.  policy NULL means no configuration (OS defaults).
 * Always fills *info (when info is not NULL) and returns the decision
 * also stored in info->decision: CREDSSP_POLICY_ERROR for a NULL request
 * or target, an out-of-range kind or auth (CREDSSP_ERR_BAD_ARGUMENT) or a
 * target outside the grammar (CREDSSP_ERR_BAD_NAME).  Pure: no I/O, no
 * allocation; info borrows from policy and request.
 */
enum credssp_policy_decision
credssp_policy_evaluate(const struct credssp_policy *policy,
                        const struct credssp_policy_request *request,
                        struct credssp_policy_info *info);

/*
 * Render info as one line of text into buf (size bytes, always
 * NUL-terminated when size > 0), e.g.
 *   delegation of fresh credentials to TERMSRV/db1.example.com denied:
 *   DenyFreshCredentials entry TERMSRV/db1.example.com
 * Returns 0, or CREDSSP_ERR_TOO_LARGE when the text was truncated.
 */
CREDSSP_MUST_CHECK int
credssp_policy_info_string(const struct credssp_policy_info *info, char *buf,
                           size_t size);

/* Names for traces and tools: "AllowFreshCredentials", "fresh",
 * "Kerberos", "allowed"; "?" when out of range. */
const char *credssp_policy_list_name(enum credssp_policy_list list);
const char *credssp_policy_kind_name(enum credssp_policy_kind kind);
const char *credssp_policy_auth_name(enum credssp_policy_auth auth);
const char *
credssp_policy_decision_name(enum credssp_policy_decision decision);

/* ------------------------------------------------------------------ */
/* Effective lists, for an admin tool's "show" (eval.c)                */
/* ------------------------------------------------------------------ */

struct credssp_policy_list_info {
    const char *name; /* "AllowFreshCredentials" */
    enum credssp_policy_list_state state;
    int concatenate;     /* flag in effect (1 unless set to 0) */
    int concatenate_set; /* the flag was written in the file */
    size_t count;        /* effective patterns, OS defaults included */
};

struct credssp_policy_list_item {
    const char *pattern; /* borrowed from the policy or static */
    int os_default;
    unsigned int line; /* 0 for OS defaults */
};

/* Describe one list as evaluation sees it (NULL policy: OS defaults).
 * Returns 0, or CREDSSP_ERR_BAD_ARGUMENT for a bad list or NULL out. */
CREDSSP_MUST_CHECK int
credssp_policy_list_describe(const struct credssp_policy *policy,
                             enum credssp_policy_list list,
                             struct credssp_policy_list_info *out);

/* The index-th effective pattern of a list (0 <= index < count):
 * configured patterns in file order, then the OS defaults.  Returns 0,
 * or CREDSSP_ERR_BAD_ARGUMENT when out of range. */
CREDSSP_MUST_CHECK int
credssp_policy_list_item(const struct credssp_policy *policy,
                         enum credssp_policy_list list, size_t index,
                         struct credssp_policy_list_item *out);

/* ------------------------------------------------------------------ */
/* Encryption oracle (eval.c)                                          */
/* ------------------------------------------------------------------ */

/* AllowEncryptionOracle in effect: 0, 1 or 2 (NULL policy: 1). */
CREDSSP_MUST_CHECK int
credssp_policy_encryption_oracle(const struct credssp_policy *policy);

/* RestrictedRemoteAdministration in effect: 0 or 1 (NULL policy: 0). */
CREDSSP_MUST_CHECK int
credssp_policy_restricted_admin(const struct credssp_policy *policy);

/* Lowest effective CredSSP version a client accepts: 5 at levels 0 and
 * 1, 2 at level 2. */
CREDSSP_MUST_CHECK int
credssp_policy_client_min_version(const struct credssp_policy *policy);

/* 1 when a client accepts the effective version, else 0 (the caller
 * fails with CREDSSP_ERR_ENCRYPTION_ORACLE). */
CREDSSP_MUST_CHECK int
credssp_policy_client_accepts_version(const struct credssp_policy *policy,
                                      int version);

/* 1 when a server accepts a client announcing peer_version, else 0 (the
 * caller fails with CREDSSP_ERR_ENCRYPTION_ORACLE). */
CREDSSP_MUST_CHECK int
credssp_policy_server_accepts_version(const struct credssp_policy *policy,
                                      int peer_version);

#endif /* CREDSSP_POLICY_POLICY_H */
