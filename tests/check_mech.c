/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for the GSS-level error rendering of mech/: every minor code
 * has a major and a gss_display_status text; errno values and unknown
 * values render sensibly; the not-yet-built entry points fail cleanly.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "mech/conf.h"
#include "mech/mech.h"
#include "mech/name.h"
#include "mech/saved.h"
#include "mech/token.h"
#include "tests/check_main.h"

static Suite *mech_suite(void);
static char *status_text(OM_uint32 value, OM_uint32 *major_out);
static size_t unhex(const char *hex, uint8_t *out);

static char *
status_text(OM_uint32 value, OM_uint32 *major_out)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 99, ctx = 0, major;
    char *copy = NULL;

    major = credssp_display_status(&minor, value, GSS_C_MECH_CODE,
                                   GSS_CREDSSP_MECH_OID, &ctx, &text);
    *major_out = major;
    ck_assert_uint_eq(ctx, 0);
    if (major == GSS_S_COMPLETE) {
        ck_assert_uint_eq(minor, 0);
        copy = strndup(text.value, text.length);
        ck_assert_uint_eq(strlen(copy), text.length);
        free(text.value);
    }
    return copy;
}

START_TEST(test_mech_every_code_has_major_and_text)
{
    OM_uint32 code, major;
    char *text;

    for (code = CREDSSP_ERR_BASE; code < CREDSSP_ERR_LAST; code++) {
        major = credssp_err_major((int)code);
        /* A routine error; a replayed wrap token alone is the
         * supplementary GSS_S_DUPLICATE_TOKEN (the session goes on). */
        ck_assert_msg(code == CREDSSP_ERR_WRAP_REPLAY
                          ? major == GSS_S_DUPLICATE_TOKEN
                          : major != GSS_S_COMPLETE &&
                                GSS_ROUTINE_ERROR(major) == major,
                      "%s: major %x", credssp_err_name(code), major);
        text = status_text(code, &major);
        ck_assert_uint_eq(major, GSS_S_COMPLETE);
        ck_assert_str_eq(text, credssp_err_message(code));
        free(text);
    }
}
END_TEST

START_TEST(test_mech_selected_majors)
{
    ck_assert_uint_eq(credssp_err_major(0), GSS_S_COMPLETE);
    ck_assert_uint_eq(credssp_err_major(CREDSSP_ERR_ASN1_TRUNCATED),
                      GSS_S_DEFECTIVE_TOKEN);
    ck_assert_uint_eq(credssp_err_major(CREDSSP_ERR_NOT_IMPLEMENTED),
                      GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(credssp_err_major(CREDSSP_ERR_TLS_CERT),
                      GSS_S_NO_CRED);
    ck_assert_uint_eq(credssp_err_major(CREDSSP_ERR_TLS_RECORD),
                      GSS_S_BAD_SIG);
    ck_assert_uint_eq(credssp_err_major(ENOMEM), GSS_S_FAILURE);
}
END_TEST

START_TEST(test_mech_display_errno_and_unknown)
{
    OM_uint32 major;
    char *text;

    text = status_text(ENOMEM, &major);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_str_eq(text, strerror(ENOMEM));
    free(text);

    text = status_text(0x12345678, &major);
    ck_assert_str_eq(text, "Unknown error");
    free(text);
    text = status_text(CREDSSP_ERR_LAST, &major);
    ck_assert_str_eq(text, "Unknown error");
    free(text);
}
END_TEST

START_TEST(test_mech_display_refuses_gss_codes)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, ctx = 0, major;

    major = credssp_display_status(&minor, GSS_S_FAILURE, GSS_C_GSS_CODE,
                                   GSS_C_NO_OID, &ctx, &text);
    ck_assert_uint_eq(major, GSS_S_BAD_STATUS);
    ck_assert_ptr_null(text.value);
    ctx = 1;
    major = credssp_display_status(&minor, CREDSSP_ERR_INTERNAL,
                                   GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx,
                                   &text);
    ck_assert_uint_eq(major, GSS_S_BAD_STATUS);
    major = credssp_display_status(&minor, CREDSSP_ERR_INTERNAL,
                                   GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx,
                                   GSS_C_NO_BUFFER);
    ck_assert_uint_eq(major, GSS_S_CALL_INACCESSIBLE_WRITE);
}
END_TEST

START_TEST(test_mech_attrs_include_mech_nego)
{
    /* Exactly these (RFC 5587); MECH_NEGO keeps CredSSP out of SPNEGO. */
    const gss_const_OID want[] = {
        GSS_C_MA_MECH_COMPOSITE, GSS_C_MA_MECH_NEGO, GSS_C_MA_ITOK_FRAMED,
        GSS_C_MA_AUTH_INIT,      GSS_C_MA_AUTH_TARG, GSS_C_MA_DELEG_CRED,
        GSS_C_MA_INTEG_PROT,     GSS_C_MA_CONF_PROT, GSS_C_MA_MIC,
        GSS_C_MA_WRAP,           GSS_C_MA_REPLAY_DET, GSS_C_MA_OOS_DET,
        GSS_C_MA_CBINDINGS
    };
    const gss_const_OID not_claimed[] = { GSS_C_MA_PROT_READY,
                                          GSS_C_MA_CTX_TRANS,
                                          GSS_C_MA_MECH_CONCRETE,
                                          GSS_C_MA_NOT_DFLT_MECH };
    gss_OID_set attrs = GSS_C_NO_OID_SET;
    gss_OID_desc one;
    OM_uint32 minor, major, tmp;
    size_t i;
    int present = 0;

    major = credssp_inquire_attrs_for_mech(&minor, GSS_CREDSSP_MECH_OID,
                                           &attrs, NULL);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(attrs->count, sizeof(want) / sizeof(*want));
    for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
        one = *want[i];
        ck_assert_uint_eq(gss_test_oid_set_member(&minor, &one, attrs,
                                                  &present),
                          GSS_S_COMPLETE);
        ck_assert_msg(present == 1, "attribute %zu missing", i);
    }
    for (i = 0; i < sizeof(not_claimed) / sizeof(*not_claimed); i++) {
        one = *not_claimed[i];
        ck_assert_uint_eq(gss_test_oid_set_member(&minor, &one, attrs,
                                                  &present),
                          GSS_S_COMPLETE);
        ck_assert_msg(present == 0, "attribute %zu claimed", i);
    }
    (void)gss_release_oid_set(&tmp, &attrs);
}
END_TEST

START_TEST(test_mech_entry_points_check_arguments)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = { 5, (void *)1 }, empty = { 0, NULL };
    OM_uint32 minor = 0, major, flags = 7;

    /* No target: refused before anything is built. */
    major = credssp_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx,
                                     GSS_C_NO_NAME, GSS_CREDSSP_MECH_OID, 0,
                                     0, GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &out, &flags,
                                     NULL);
    ck_assert_uint_eq(major, GSS_S_BAD_NAME);
    ck_assert_uint_eq(minor, CREDSSP_ERR_BAD_NAME);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(out.length, 0);
    ck_assert_ptr_null(out.value);
    ck_assert_uint_eq(flags, 0);

    /* An empty first token for the acceptor. */
    major = credssp_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL,
                                       &empty, GSS_C_NO_CHANNEL_BINDINGS,
                                       NULL, NULL, &out, &flags, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_DEFECTIVE_TOKEN);
    ck_assert_uint_eq(minor, CREDSSP_ERR_SHORT_INPUT);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);

    /* Per-message calls need an established context. */
    major = credssp_wrap(&minor, GSS_C_NO_CONTEXT, 1, GSS_C_QOP_DEFAULT,
                         &empty, NULL, &out);
    ck_assert_uint_eq(major, GSS_S_NO_CONTEXT);
}
END_TEST

/* ---- token framing ---- */

START_TEST(test_mech_token_header_round_trip)
{
    static const uint8_t records[] = { 0x16, 0x03, 0x01, 0x00, 0x02,
                                       0xaa, 0xbb };
    struct credssp_buf in = { (uint8_t *)(uintptr_t)records,
                              sizeof(records) };
    struct credssp_buf framed = { NULL, 0 };
    const uint8_t *body = NULL;
    size_t body_len = 0;
    int is_framed = -1;

    ck_assert_int_eq(credssp_token_add_header(&in, &framed), 0);
    /* 60 len 06 0a <10 OID bytes> <records> */
    ck_assert_uint_eq(framed.len, 2 + 2 + 10 + sizeof(records));
    ck_assert_uint_eq(framed.data[0], 0x60);
    ck_assert_uint_eq(framed.data[1], 2 + 10 + sizeof(records));
    ck_assert_uint_eq(framed.data[2], 0x06);
    ck_assert_uint_eq(framed.data[3], 10);
    ck_assert_mem_eq(framed.data + 4, GSS_CREDSSP_MECH_OID_BYTES, 10);
    ck_assert_int_eq(credssp_token_strip_header(framed.data, framed.len,
                                                &body, &body_len,
                                                &is_framed),
                     0);
    ck_assert_int_eq(is_framed, 1);
    ck_assert_uint_eq(body_len, sizeof(records));
    ck_assert_mem_eq(body, records, sizeof(records));
    /* Raw TLS passes as it is. */
    ck_assert_int_eq(credssp_token_strip_header(records, sizeof(records),
                                                &body, &body_len,
                                                &is_framed),
                     0);
    ck_assert_int_eq(is_framed, 0);
    ck_assert_ptr_eq(body, records);
    credssp_buf_free(&framed);
}
END_TEST

struct header_case {
    const char *hex;
    int code;
};

static const struct header_case bad_headers[] = {
    { "", CREDSSP_ERR_TOKEN_HEADER },
    { "30020101", CREDSSP_ERR_TOKEN_HEADER },
    /* length says 14, 13 follow */
    { "600e060a69e3c7cba8a4eae0d20916", CREDSSP_ERR_TOKEN_HEADER },
    /* a header and nothing inside it */
    { "600c060a69e3c7cba8a4eae0d209", CREDSSP_ERR_TOKEN_HEADER },
    /* krb5's OID */
    { "600c06092a864886f712010202aa", CREDSSP_ERR_WRONG_MECH },
    /* our OID cut short */
    { "6005060a69e3c7", CREDSSP_ERR_TOKEN_HEADER },
    /* long-form length where the short form fits */
    { "60810d060a69e3c7cba8a4eae0d20916", CREDSSP_ERR_TOKEN_HEADER },
};

static size_t
unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    unsigned int b;

    while (hex[0] != '\0' && sscanf(hex, "%2x", &b) == 1) {
        out[n++] = (uint8_t)b;
        hex += 2;
    }
    return n;
}

START_TEST(test_mech_token_header_rejects)
{
    uint8_t buf[64];
    const uint8_t *body;
    size_t len = unhex(bad_headers[_i].hex, buf), body_len;
    int framed;

    ck_assert_int_eq(credssp_token_strip_header(buf, len, &body, &body_len,
                                                &framed),
                     bad_headers[_i].code);
}
END_TEST

START_TEST(test_mech_token_der_length)
{
    static const uint8_t short_form[] = { 0x30, 0x03, 1, 2, 3 };
    static const uint8_t long_form[] = { 0x30, 0x81, 0x80 };
    static const uint8_t not_der[] = { 0x30, 0x81, 0x05 };
    static const uint8_t zeros[] = { 0x30, 0x82, 0x00, 0x85 };
    static const uint8_t not_seq[] = { 0x31, 0x00 };
    static const uint8_t huge[] = { 0x30, 0x83, 0x01, 0x00, 0x00 };
    size_t total = 0;

    ck_assert_int_eq(credssp_token_der_length(short_form, 1, 100, &total),
                     CREDSSP_TOKEN_AGAIN);
    ck_assert_int_eq(credssp_token_der_length(short_form, 2, 100, &total),
                     0);
    ck_assert_uint_eq(total, 5);
    ck_assert_int_eq(credssp_token_der_length(long_form, 2, 1000, &total),
                     CREDSSP_TOKEN_AGAIN);
    ck_assert_int_eq(credssp_token_der_length(long_form, 3, 1000, &total),
                     0);
    ck_assert_uint_eq(total, 3 + 0x80);
    ck_assert_int_eq(credssp_token_der_length(not_der, 3, 100, &total),
                     CREDSSP_ERR_ASN1_NOT_DER);
    ck_assert_int_eq(credssp_token_der_length(zeros, 4, 1000, &total),
                     CREDSSP_ERR_ASN1_NOT_DER);
    ck_assert_int_eq(credssp_token_der_length(not_seq, 2, 100, &total),
                     CREDSSP_ERR_ASN1_TAG);
    ck_assert_int_eq(credssp_token_der_length(huge, 5, 65536, &total),
                     CREDSSP_ERR_TOO_LARGE);
}
END_TEST

/* ---- configuration ---- */

struct config_case {
    const char *text;
    unsigned int line; /* of the error; 0 = valid */
    const char *message;
};

static const struct config_case config_cases[] = {
    { "[credssp]\n max_version = 5\n wire = raw\n"
      " inner = ntlmssp\n[tls]\n key_type = rsa\n",
      0, NULL },
    { "[credssp]\n\n bogus = 1\n", 3, "unknown key bogus in [credssp]" },
    { "[tls]\n priority = NORMAL\n[credssp]\n max_version = 7\n", 4,
      "invalid value \"7\" for max_version in [credssp]" },
    { "[credssp]\n wire = raw\n wire = framed\n", 3,
      "wire is set twice in [credssp]" },
    { "[credssp]\n inner = smtp\n", 2,
      "invalid value \"smtp\" for inner in [credssp]" },
    { "# comment\n[realms]\n x = y\n", 2, "unknown section [realms]" },
    { "[tls]\n certificate = /c.pem\n", 2,
      "[tls] needs both certificate and key" },
    { "[credssp]\n max_version = 1\n", 2,
      "invalid value \"1\" for max_version in [credssp]" },
    { "[credssp]\n strict_mutual_auth = maybe\n", 2,
      "invalid value \"maybe\" for strict_mutual_auth in [credssp]" },
};

START_TEST(test_mech_config_file)
{
    const struct config_case *c = &config_cases[_i];
    struct credssp_config *cfg = NULL;
    struct credssp_config_error err;
    char path[] = "/tmp/credssp-conf.XXXXXX";
    int fd = mkstemp(path), ret;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, c->text, strlen(c->text)),
                     (int)strlen(c->text));
    close(fd);
    ret = credssp_config_load_file(path, &cfg, &err);
    unlink(path);
    if (c->line == 0) {
        ck_assert_int_eq(ret, 0);
        ck_assert_int_eq(cfg->max_version, 5);
        ck_assert_int_eq(cfg->wire, CREDSSP_WIRE_RAW);
        ck_assert_int_eq(cfg->inner, CREDSSP_INNER_NTLMSSP);
        ck_assert_int_eq(cfg->key_type, CREDSSP_KEY_RSA);
        ck_assert_int_eq(cfg->present, 1);
        credssp_config_free(&cfg);
        return;
    }
    ck_assert_int_eq(ret, CREDSSP_ERR_CONFIG);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, c->line);
    ck_assert_str_eq(err.text, c->message);
}
END_TEST

/*
 * A configuration (or saved-credentials) path that is no regular file
 * fails at once with its reason: a FIFO nobody writes to must not block
 * the acquisition, and a directory must not read as an empty (default)
 * configuration.
 */
START_TEST(test_mech_files_not_regular)
{
    struct credssp_config *cfg = NULL;
    struct credssp_config_error err;
    char dir[] = "/tmp/credssp-conf.XXXXXX";
    char fifo[64], *user = NULL;
    struct credssp_secret *password = NULL;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(credssp_config_load_file(fifo, &cfg, &err),
                     CREDSSP_ERR_CONFIG);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(err.file, fifo);
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.text, "cannot read: not a regular file");
    ck_assert_int_eq(credssp_config_load_file(dir, &cfg, &err),
                     CREDSSP_ERR_CONFIG);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(err.text, "cannot read: a directory, not a file");
    /* The same for a saved-credentials file. */
    ck_assert_int_eq(credssp_saved_lookup(fifo, "TERMSRV/host", &user,
                                          &password),
                     CREDSSP_ERR_SAVED_CREDS_FILE);
    ck_assert_ptr_null(user);
    ck_assert_ptr_null(password);
    unlink(fifo);
    rmdir(dir);
}
END_TEST

START_TEST(test_mech_config_defaults_and_lists)
{
    static const char text[] = "[delegation]\n"
                               " AllowFreshCredentials = TERMSRV/*\n"
                               " AllowFreshCredentials = HTTP/web\n"
                               "\n DenyFreshCredentials = TERMSRV/x\n";
    struct credssp_config *cfg = NULL;
    struct credssp_config_error err;
    char path[] = "/tmp/credssp-conf.XXXXXX";
    int fd = mkstemp(path);

    ck_assert_int_eq(credssp_config_load_file("/nonexistent/credssp.conf",
                                              &cfg, &err),
                     0);
    ck_assert_int_eq(cfg->present, 0);
    ck_assert_int_eq(cfg->max_version, 6);
    ck_assert_int_eq(cfg->wire, CREDSSP_WIRE_FRAMED);
    ck_assert_int_eq(cfg->inner, CREDSSP_INNER_AUTO);
    ck_assert_int_eq(cfg->require_matching_identity, 1);
    ck_assert_str_eq(cfg->priority, CREDSSP_DEFAULT_PRIORITY);
    credssp_config_free(&cfg);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    ck_assert_int_eq(credssp_config_load_file(path, &cfg, &err), 0);
    unlink(path);
    ck_assert_uint_eq(cfg->delegation_count, 3);
    ck_assert_str_eq(cfg->delegation[1].value, "HTTP/web");
    ck_assert_uint_eq(cfg->delegation[0].line, 2);
    ck_assert_uint_eq(cfg->delegation[1].line, 3);
    ck_assert_uint_eq(cfg->delegation[2].line, 5);
    ck_assert_str_eq(cfg->delegation[2].key, "DenyFreshCredentials");
    credssp_config_free(&cfg);
}
END_TEST

/* A list section is bounded: 1024 entries load, the 1025th is refused
 * with its line. */
START_TEST(test_mech_config_list_limit)
{
    struct credssp_config *cfg = NULL;
    struct credssp_config_error err;
    char path[] = "/tmp/credssp-conf.XXXXXX";
    int fd = mkstemp(path), i, n = _i == 0 ? 1024 : 1025;
    FILE *f;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[delegation]\n", f);
    for (i = 0; i < n; i++) {
        fprintf(f, " AllowFreshCredentials = TERMSRV/h%d\n", i);
    }
    ck_assert_int_eq(fclose(f), 0);
    if (_i == 0) {
        ck_assert_int_eq(credssp_config_load_file(path, &cfg, &err), 0);
        ck_assert_uint_eq(cfg->delegation_count, 1024);
        ck_assert_uint_eq(cfg->delegation[1023].line, 1025);
        credssp_config_free(&cfg);
    } else {
        ck_assert_int_eq(credssp_config_load_file(path, &cfg, &err),
                         CREDSSP_ERR_CONFIG);
        ck_assert_ptr_null(cfg);
        ck_assert_uint_eq(err.line, 1026);
        ck_assert_str_eq(err.text, "more than 1024 entries in [delegation]");
    }
    unlink(path);
}
END_TEST

/* ---- names ---- */

START_TEST(test_mech_name_helpers)
{
    struct credssp_name *n = NULL;
    char *spn = NULL, *user = NULL, *domain = NULL;
    OM_uint32 minor;

    ck_assert_uint_eq(credssp_name_new(&minor, "TERMSRV@db1.example.com",
                                       23, GSS_C_NT_HOSTBASED_SERVICE, &n),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(credssp_name_spn(n, &spn), 0);
    ck_assert_str_eq(spn, "TERMSRV/db1.example.com");
    free(spn);
    credssp_name_free(&n);
    /* gss-server counts the NUL in its name. */
    ck_assert_uint_eq(credssp_name_new(&minor, "host\0", 5,
                                       GSS_C_NT_HOSTBASED_SERVICE, &n),
                      GSS_S_COMPLETE);
    ck_assert_str_eq(n->text, "host");
    ck_assert_int_eq(credssp_name_spn(n, &spn), CREDSSP_ERR_BAD_NAME);
    credssp_name_free(&n);
    ck_assert_uint_eq(credssp_name_new(&minor, "a\0b", 3,
                                       GSS_C_NT_USER_NAME, &n),
                      GSS_S_BAD_NAME);
    ck_assert_uint_eq(minor, CREDSSP_ERR_BAD_NAME);

    ck_assert_int_eq(credssp_name_split_user("CREDSSP\\alice", &user,
                                             &domain),
                     0);
    ck_assert_str_eq(user, "alice");
    ck_assert_str_eq(domain, "CREDSSP");
    free(user);
    free(domain);
    ck_assert_int_eq(credssp_name_split_user("alice@CREDSSP.TEST", &user,
                                             &domain),
                     0);
    ck_assert_str_eq(user, "alice");
    ck_assert_str_eq(domain, "CREDSSP.TEST");
    free(user);
    free(domain);
    ck_assert_int_eq(credssp_name_split_user("\\alice", &user, &domain),
                     CREDSSP_ERR_BAD_NAME);
    ck_assert_int_eq(credssp_name_split_user("alice@", &user, &domain),
                     CREDSSP_ERR_BAD_NAME);

    ck_assert_int_eq(credssp_name_same_user("alice@CREDSSP.TEST", "",
                                            "alice", "CREDSSP.TEST"),
                     1);
    ck_assert_int_eq(credssp_name_same_user("ALICE", "credssp", "alice",
                                            "CREDSSP.TEST"),
                     1);
    ck_assert_int_eq(credssp_name_same_user("bob", "CREDSSP", "alice",
                                            "CREDSSP"),
                     0);
    ck_assert_int_eq(credssp_name_same_user("alice", "OTHER", "alice",
                                            "CREDSSP.TEST"),
                     0);
    ck_assert_int_eq(credssp_name_same_user("alice", "CREDSSP.OTHER",
                                            "alice", "CREDSSP.TEST"),
                     0);
}
END_TEST

static Suite *
mech_suite(void)
{
    Suite *s = suite_create("mech");
    TCase *tc;

    tc = tcase_create("errors");
    tcase_add_test(tc, test_mech_every_code_has_major_and_text);
    tcase_add_test(tc, test_mech_selected_majors);
    tcase_add_test(tc, test_mech_display_errno_and_unknown);
    tcase_add_test(tc, test_mech_display_refuses_gss_codes);
    suite_add_tcase(s, tc);

    tc = tcase_create("surface");
    tcase_add_test(tc, test_mech_attrs_include_mech_nego);
    tcase_add_test(tc, test_mech_entry_points_check_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("token");
    tcase_add_test(tc, test_mech_token_header_round_trip);
    tcase_add_loop_test(tc, test_mech_token_header_rejects, 0,
                        sizeof(bad_headers) / sizeof(*bad_headers));
    tcase_add_test(tc, test_mech_token_der_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_loop_test(tc, test_mech_config_file, 0,
                        sizeof(config_cases) / sizeof(*config_cases));
    tcase_add_test(tc, test_mech_files_not_regular);
    tcase_add_test(tc, test_mech_config_defaults_and_lists);
    tcase_add_loop_test(tc, test_mech_config_list_limit, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_mech_name_helpers);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_main_run(mech_suite());
}
