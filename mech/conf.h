/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * /etc/gss/credssp.conf (or the file named by CREDSSP_CONFIG, read with
 * secure_getenv), in MIT profile syntax, read with the krb5 profile
 * library (DESIGN.md 6).  A missing file means the defaults; an unreadable
 * or invalid one is an error that stops the mechanism (fail closed), with
 * the file, line and key in the error.
 */
#ifndef CREDSSP_MECH_CONF_H
#define CREDSSP_MECH_CONF_H

#include <stddef.h>

#include "common/err.h"
#include "policy/policy.h"

#define CREDSSP_CONFIG_DEFAULT_FILE "/etc/gss/credssp.conf"
#define CREDSSP_DEFAULT_PRIORITY                                             \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%NO_TICKETS"

enum credssp_wire {
    CREDSSP_WIRE_FRAMED = 0, /* RFC 2743 header on the first token */
    CREDSSP_WIRE_RAW = 1     /* MS-CSSP bytes only (Windows, FreeRDP) */
};

enum credssp_inner_mode {
    CREDSSP_INNER_AUTO = 0, /* SPNEGO; bare NTLMSSP when NTLM only */
    CREDSSP_INNER_SPNEGO,
    CREDSSP_INNER_KRB5,
    CREDSSP_INNER_NTLMSSP
};

/* [credssp] inner_channel_binding: bind the inner authentication to the
 * CredSSP TLS channel itself (both peers this mechanism). */
enum credssp_inner_cb {
    CREDSSP_INNER_CB_NONE = 0,          /* default: as MS-CSSP peers */
    CREDSSP_INNER_CB_SERVER_END_POINT,  /* tls-server-end-point */
    CREDSSP_INNER_CB_EXPORTER           /* tls-exporter */
};

enum credssp_key_type {
    CREDSSP_KEY_ECDSA = 0, /* generated certificate: ECDSA P-256 */
    CREDSSP_KEY_RSA = 1    /* generated certificate: RSA-2048 */
};

/* One relation of a list section ([delegation], [extended_protection]),
 * in file order. */
struct credssp_config_entry {
    char *key;
    char *value;
    unsigned int line;
};

struct credssp_config {
    unsigned int refs; /* credentials settled from one share it */
    char *file;  /* the path that was read (or would have been) */
    int present; /* 0: no such file, defaults apply */

    /* [tls] */
    char *certificate;
    char *key;
    char *priority;
    enum credssp_key_type key_type;

    /* [credssp] */
    int max_version; /* 2..6, default 6 */
    enum credssp_wire wire;
    enum credssp_inner_mode inner;
    int strict_mutual_auth;       /* default 0 */
    int require_matching_identity; /* default 1 */
    enum credssp_inner_cb inner_channel_binding; /* default none */
    char *saved_credentials;       /* initiator: saved-credentials file */

    /* [delegation] and [extended_protection], for policy/ */
    struct credssp_config_entry *delegation;
    size_t delegation_count;
    struct credssp_config_entry *extended_protection;
    size_t extended_protection_count;
};

/* What went wrong, for messages and traces. */
struct credssp_config_error {
    char file[256];
    unsigned int line; /* 0 when unknown */
    char text[256];
};

/* Read the configuration (CREDSSP_CONFIG or the default file).  Returns 0,
 * CREDSSP_ERR_CONFIG (err filled) or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_config_load(struct credssp_config **out,
                                           struct credssp_config_error *err);

/* Read a given file; NULL means the defaults without any file. */
CREDSSP_MUST_CHECK int
credssp_config_load_file(const char *path, struct credssp_config **out,
                         struct credssp_config_error *err);

/* Another reference to cfg. */
struct credssp_config *credssp_config_ref(struct credssp_config *cfg);

/* Drop a reference; the last one frees.  Accepts NULL; leaves NULL. */
void credssp_config_free(struct credssp_config **cfg);

/* The [delegation] relations of cfg as policy entries, in file order,
 * naming cfg->file; the strings are borrowed from cfg.  Returns 0 with a
 * new array in *out (NULL when there are none; release it with free()),
 * or ENOMEM. */
CREDSSP_MUST_CHECK int
credssp_config_policy_entries(const struct credssp_config *cfg,
                              struct credssp_policy_entry **out);

/* The delegation policy of cfg's [delegation] section, as the mechanism
 * uses it.  Returns 0 with a new policy in *out (release it with
 * credssp_policy_free()), or a code of credssp_policy_parse() with err
 * filled (err->text is empty for ENOMEM). */
CREDSSP_MUST_CHECK int
credssp_config_policy(const struct credssp_config *cfg,
                      struct credssp_policy **out,
                      struct credssp_policy_error *err);

/* A configuration error found at file:line (line 0: the whole file) with
 * code: traced, and made the detail gss_display_status shows after the
 * code's message on this thread ("FILE:LINE: TEXT"). */
void credssp_config_report(int code, const char *file, unsigned int line,
                           const char *text);

/* Parsers shared with the cred-store keys; 0 or CREDSSP_ERR_CONFIG. */
CREDSSP_MUST_CHECK int credssp_config_parse_wire(const char *value,
                                                 enum credssp_wire *out);
CREDSSP_MUST_CHECK int
credssp_config_parse_inner(const char *value, enum credssp_inner_mode *out);
CREDSSP_MUST_CHECK int
credssp_config_parse_inner_cb(const char *value, enum credssp_inner_cb *out);

#endif /* CREDSSP_MECH_CONF_H */
