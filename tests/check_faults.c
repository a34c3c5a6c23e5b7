/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Faults in what the mechanism depends on, through the real mechglue: an
 * unreachable KDC, a missing keytab or one with the wrong key, gss-ntlmssp
 * not configured, an unreadable certificate or key, an unreadable or
 * invalid configuration.  Each gives its own minor code, with readable
 * text, at the call where it is first visible (acquisition or the
 * context), never a crash or a hang.  Then a peer that goes away: either
 * side deleted after every leg of an exchange, and a peer that closes the
 * TLS channel (or sends a fatal handshake alert) at every state.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

#define TCASE_TIMEOUT 120

/* A file in the realm directory, written with text. */
static void
realm_file(const char *name, const char *text, char *path, size_t size)
{
    FILE *f;

    snprintf(path, size, "%s/%s", test_realm_dir(), name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(fputs(text, f), 0);
    ck_assert_int_eq(fclose(f), 0);
}

/* Set variable to value for one test; restore_env puts it back. */
struct saved_env {
    const char *name;
    char *old;
};

static void
set_env(struct saved_env *s, const char *name, const char *value)
{
    const char *old = getenv(name);

    s->name = name;
    s->old = old != NULL ? strdup(old) : NULL;
    ck_assert_int_eq(setenv(name, value, 1), 0);
}

static void
restore_env(struct saved_env *s)
{
    if (s->old != NULL) {
        ck_assert_int_eq(setenv(s->name, s->old, 1), 0);
    } else {
        ck_assert_int_eq(unsetenv(s->name), 0);
    }
    free(s->old);
    s->old = NULL;
}

/* major/minor are exactly these, and the minor's text starts with text. */
static void
assert_status(OM_uint32 major, OM_uint32 minor, OM_uint32 want_major,
              OM_uint32 want_minor, const char *text)
{
    char *got;

    ck_assert_msg(major == want_major && minor == want_minor,
                  "status %08x/%08x, expected %08x/%08x", major, minor,
                  want_major, want_minor);
    got = gsstest_status_text(minor);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(strncmp(got, text, strlen(text)) == 0, "text \"%s\"", got);
    free(got);
}

/* alice's password credential for user (Kerberos or NTLM form). */
static OM_uint32
alice_cred(const char *user, OM_uint32 *minor, gss_cred_id_t *cred)
{
    char *password = test_realm_password("alice");
    OM_uint32 major;

    ck_assert_ptr_nonnull(password);
    major = gsstest_password_cred(minor, user, password, GSS_C_NO_OID, cred);
    free(password);
    return major;
}

/* One exchange alice -> TERMSRV@localhost with acceptor credential acred. */
static void
exchange(gss_cred_id_t icred, gss_cred_id_t acred, struct gsstest_exchange *x)
{
    gss_name_t target;
    OM_uint32 minor;

    ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    ck_assert_int_eq(gsstest_exchange(x, icred, acred, target, GSS_C_NO_OID,
                                      GSS_C_MUTUAL_FLAG),
                     0);
    gss_release_name(&minor, &target);
}

/* ------------------------------------------------------------------ */
/* Dependencies                                                        */
/* ------------------------------------------------------------------ */

/* The KDC does not answer (a krb5.conf naming a closed port): a password
 * credential that must be Kerberos (inner krb5) is refused at
 * acquisition, saying why.  (With inner auto, NTLM is used instead, as
 * Windows' Negotiate does.) */
START_TEST(test_faults_kdc_unreachable)
{
    struct saved_env env;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    char conf[512], *password = test_realm_password("alice");
    const char *pairs[] = { GSS_CREDSSP_STORE_USERNAME, "alice@" TEST_REALM,
                            GSS_CREDSSP_STORE_PASSWORD, password,
                            GSS_CREDSSP_STORE_INNER, "krb5", NULL };

    realm_file("unreachable.conf",
               "[libdefaults]\n default_realm = " TEST_REALM "\n"
               "[realms]\n " TEST_REALM " = {\n  kdc = 127.0.0.1:1\n }\n",
               conf, sizeof(conf));
    set_env(&env, "KRB5_CONFIG", conf);
    major = gsstest_store_cred(&minor, pairs, &cred);
    restore_env(&env);
    free(password);
    assert_status(major, minor, GSS_S_NO_CRED, CREDSSP_ERR_KDC_UNREACHABLE,
                  "Cannot reach a KDC of the user's realm: Cannot contact "
                  "any KDC for realm '" TEST_REALM "'");
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
}
END_TEST

/* No keytab, or a keytab without the service's current key: the
 * acceptor refuses the Kerberos client in the context, not earlier (its
 * credential also holds NTLM), and the client is told nothing more.  The
 * acceptor's status text says what the inner mechanism refused: without
 * a keytab SPNEGO could only offer NTLM, which does not know the
 * Kerberos user; with the wrong key, Kerberos names the key it lacks. */
START_TEST(test_faults_keytab)
{
    struct saved_env env;
    gss_cred_id_t icred;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    char path[512], cmd[1200];

    if (_i == 0) {
        snprintf(path, sizeof(path), "FILE:%s/no-such-keytab",
                 test_realm_dir());
    } else {
        /* A keytab whose TERMSRV key has another password. */
        snprintf(path, sizeof(path), "%s/wrong.keytab", test_realm_dir());
        snprintf(cmd, sizeof(cmd),
                 "printf 'addent -password -p TERMSRV/localhost@%s -k 1 -e "
                 "aes256-cts-hmac-sha1-96\\nnot-the-key\\nwkt %s\\n' | "
                 "ktutil >/dev/null 2>&1",
                 TEST_REALM, path);
        ck_assert_int_eq(system(cmd), 0);
    }
    major = alice_cred("alice@" TEST_REALM, &minor, &icred);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    set_env(&env, "KRB5_KTNAME", path);
    exchange(icred, GSS_C_NO_CREDENTIAL, &x);
    restore_env(&env);
    assert_status(x.accept_major, x.accept_minor, GSS_S_FAILURE,
                  CREDSSP_ERR_INNER_AUTH,
                  _i == 0 ? "Inner authentication failed: NTLMSSP: "
                            "Permission denied"
                          : "Inner authentication failed: Request ticket "
                            "server TERMSRV/localhost@" TEST_REALM " kvno 2 "
                            "not found in keytab; keytab is likely out of "
                            "date");
    ck_assert_uint_ne(x.init_major, GSS_S_COMPLETE);
    ck_assert_ptr_eq(x.deleg, GSS_C_NO_CREDENTIAL);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
}
END_TEST

/*
 * A mechglue configuration without gss-ntlmssp: an NTLM-only user's
 * acquisition says the inner mechanism is not installed.  The mechglue reads GSS_MECH_CONFIG
 * once per process, so the acquisition runs in a fresh process: this
 * program again, with --acquire-ntlm (see main), printing its statuses.
 */
START_TEST(test_faults_no_ntlmssp)
{
    struct saved_env env;
    OM_uint32 major = 0, minor = 0;
    char conf[512], line[512], self[512], cmd[1200];
    const char *plugin = getenv("CREDSSP_PLUGIN");
    ssize_t n;
    FILE *p;

    ck_assert_ptr_nonnull(plugin);
    snprintf(line, sizeof(line), "credssp 2.25.7174002494213204233 %s\n",
             plugin);
    realm_file("mech-no-ntlm.conf", line, conf, sizeof(conf));
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    ck_assert_int_gt(n, 0);
    self[n] = '\0';
    snprintf(cmd, sizeof(cmd), "'%s' --acquire-ntlm", self);
    set_env(&env, "GSS_MECH_CONFIG", conf);
    p = popen(cmd, "r");
    restore_env(&env);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(fscanf(p, "%u %u", &major, &minor), 2);
    ck_assert_int_eq(pclose(p), 0);
    /* (Its text is the child's mechglue's to render; check_mech checks
     * every code's text.) */
    ck_assert_uint_eq(major, GSS_S_NO_CRED);
    ck_assert_uint_eq(minor, CREDSSP_ERR_INNER_UNAVAILABLE);
}
END_TEST

/* The child of test_faults_no_ntlmssp: alice's NTLM credential, from the
 * realm's password file; prints "major minor". */
static int
acquire_ntlm(void)
{
    const char *file = getenv("CREDSSP_ALICE_PASSWORD_FILE");
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    char password[256] = "";
    FILE *f;

    f = file != NULL ? fopen(file, "r") : NULL;
    if (f == NULL || fgets(password, sizeof(password), f) == NULL) {
        return EXIT_FAILURE;
    }
    fclose(f);
    password[strcspn(password, "\r\n")] = '\0';
    major = gsstest_password_cred(&minor, TEST_NTLM_DOMAIN "\\alice",
                                  password, GSS_C_NO_OID, &cred);
    memset(password, 0, sizeof(password));
    printf("%u %u\n", major, minor);
    gss_release_cred(&minor, &cred);
    return EXIT_SUCCESS;
}

#define CERT_MESSAGE "Cannot load the CredSSP server certificate or key"

/* A certificate or key that cannot be read: the acceptor credential is
 * refused at acquisition with the TLS certificate code. */
START_TEST(test_faults_certificate)
{
    gss_key_value_element_desc el[2];
    gss_key_value_set_desc store = { 2, el };
    gss_OID_set_desc mechs = { 1, GSS_CREDSSP_MECH_OID };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    char junk[512], want[1400], *got;

    realm_file("junk.pem", "not a certificate\n", junk, sizeof(junk));
    el[0].key = GSS_CREDSSP_STORE_CERTIFICATE;
    el[0].value = _i == 0 ? "/nonexistent/cert.pem" : junk;
    el[1].key = GSS_CREDSSP_STORE_KEY;
    el[1].value = _i == 0 ? "/nonexistent/key.pem" : junk;
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                  &mechs, GSS_C_ACCEPT, &store, &cred, NULL,
                                  NULL);
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
    assert_status(major, minor, GSS_S_NO_CRED, CREDSSP_ERR_TLS_CERT,
                  CERT_MESSAGE);
    /* Which file, and why. */
    if (_i == 0) {
        snprintf(want, sizeof(want), "%s: /nonexistent/cert.pem: cannot "
                 "read: No such file or directory", CERT_MESSAGE);
    } else {
        snprintf(want, sizeof(want), "%s: %s with %s: %s", CERT_MESSAGE,
                 junk, junk, "The requested data were not available.");
    }
    got = gsstest_status_text(minor);
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

/* The mechanism's own configuration unreadable (a directory) or invalid:
 * acquisition fails with the configuration code. */
START_TEST(test_faults_config)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    char want[4200];
    char *got;

    if (_i == 0) {
        ck_assert_int_eq(setenv("CREDSSP_CONFIG", test_realm_dir(), 1), 0);
        snprintf(want, sizeof(want),
                 "Invalid gss-credssp configuration: %s: cannot read: a "
                 "directory, not a file",
                 test_realm_dir());
    } else {
        test_realm_write_config("invalid.conf", "[credssp]\n"
                                                " max_version = seven\n");
        snprintf(want, sizeof(want),
                 "Invalid gss-credssp configuration: %s/invalid.conf:2: "
                 "invalid value \"seven\" for max_version in [credssp]",
                 test_realm_dir());
    }
    major = alice_cred("alice@" TEST_REALM, &minor, &cred);
    test_realm_reset_config();
    assert_status(major, minor, GSS_S_FAILURE, CREDSSP_ERR_CONFIG,
                  "Invalid gss-credssp configuration");
    /* The file, line and reason, without a trace. */
    got = gsstest_status_text(minor);
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A peer that goes away                                               */
/* ------------------------------------------------------------------ */

/* Run an exchange leg by leg; after leg `stop` delete one side (_i even:
 * the acceptor, odd: the initiator) and give the other side nothing more.
 * Every deletion succeeds and leaves nothing behind (the sanitizer and
 * valgrind lanes check the memory). */
START_TEST(test_faults_delete_mid_exchange)
{
    int stop = _i / 2, drop_acceptor = _i % 2 == 0, leg;
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_cred_id_t icred;
    gss_name_t target;
    OM_uint32 major, minor, tmp;

    ck_assert_uint_eq(alice_cred("alice@" TEST_REALM, &minor, &icred),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    for (leg = 0; leg <= stop; leg++) {
        major = gss_init_sec_context(&minor, icred, &ictx, target,
                                     GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG,
                                     0, GSS_C_NO_CHANNEL_BINDINGS, &atok,
                                     NULL, &itok, NULL, NULL);
        gss_release_buffer(&tmp, &atok);
        ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
        major = gss_accept_sec_context(&minor, &actx, GSS_C_NO_CREDENTIAL,
                                       &itok, GSS_C_NO_CHANNEL_BINDINGS,
                                       NULL, NULL, &atok, NULL, NULL, NULL);
        gss_release_buffer(&tmp, &itok);
        ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
    }
    ck_assert_uint_eq(gss_delete_sec_context(&minor, drop_acceptor ? &actx
                                                                   : &ictx,
                                             GSS_C_NO_BUFFER),
                      GSS_S_COMPLETE);
    ck_assert_ptr_eq(drop_acceptor ? actx : ictx, GSS_C_NO_CONTEXT);
    /* The survivor, handed nothing (an empty token, a peer that went
     * away), refuses it at once instead of waiting for more bytes. */
    if (drop_acceptor) {
        gss_buffer_desc empty = GSS_C_EMPTY_BUFFER;

        major = gss_init_sec_context(&minor, icred, &ictx, target,
                                     GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG,
                                     0, GSS_C_NO_CHANNEL_BINDINGS, &empty,
                                     NULL, &itok, NULL, NULL);
        assert_status(major, minor, GSS_S_DEFECTIVE_TOKEN,
                      CREDSSP_ERR_SHORT_INPUT, "");
        ck_assert_uint_eq(itok.length, 0);
        gss_release_buffer(&tmp, &itok);
    }
    gss_release_buffer(&tmp, &atok);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, drop_acceptor ? &ictx
                                                                   : &actx,
                                             GSS_C_NO_BUFFER),
                      GSS_S_COMPLETE);
    gss_release_name(&minor, &target);
    gss_release_cred(&minor, &icred);
}
END_TEST

/* A fatal TLS alert record (handshake_failure) where the initiator
 * expects the server's flight fails with the alert code; as an
 * acceptor's first token it is not a ClientHello (the handshake code). */
START_TEST(test_faults_alert)
{
    static unsigned char alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02,
                                     0x28 };
    gss_buffer_desc in = { sizeof(alert), alert }, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc framed = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_cred_id_t icred;
    gss_name_t target;
    OM_uint32 major, minor, tmp;

    if (_i == 0) {
        ck_assert_uint_eq(gss_credssp_frame_first_token(&minor, &in, &framed),
                          GSS_S_COMPLETE);
        major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL,
                                       &framed, GSS_C_NO_CHANNEL_BINDINGS,
                                       NULL, NULL, &out, NULL, NULL, NULL);
        gss_release_buffer(&tmp, &framed);
    } else {
        ck_assert_uint_eq(alice_cred("alice@" TEST_REALM, &minor, &icred),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                              GSS_C_NT_HOSTBASED_SERVICE,
                                              &target),
                          GSS_S_COMPLETE);
        major = gss_init_sec_context(&minor, icred, &ctx, target,
                                     GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG,
                                     0, GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &out, NULL,
                                     NULL);
        ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
        gss_release_buffer(&tmp, &out);
        major = gss_init_sec_context(&minor, icred, &ctx, target,
                                     GSS_CREDSSP_MECH_OID, GSS_C_MUTUAL_FLAG,
                                     0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL,
                                     &out, NULL, NULL);
        gss_release_name(&tmp, &target);
        gss_release_cred(&tmp, &icred);
    }
    if (_i == 0) {
        assert_status(major, minor, GSS_S_DEFECTIVE_TOKEN,
                      CREDSSP_ERR_TLS_HANDSHAKE,
                      "TLS handshake of the CredSSP channel failed");
        /* The acceptor answers with a fatal alert of its own. */
        ck_assert_uint_eq(out.length, 7);
        ck_assert_uint_eq(((const unsigned char *)out.value)[0], 0x15);
        ck_assert_uint_eq(((const unsigned char *)out.value)[5], 2);
    } else {
        assert_status(major, minor, GSS_S_FAILURE, CREDSSP_ERR_TLS_ALERT,
                      "Peer sent a fatal TLS alert on the CredSSP channel");
        ck_assert_uint_eq(out.length, 0);
    }
    gss_release_buffer(&tmp, &out);
    gss_delete_sec_context(&tmp, &ctx, GSS_C_NO_BUFFER);
}
END_TEST

/* A wrap token that ends inside a record is refused, and the session is
 * failed for good with that reason (the next token could only be read as
 * the end of the cut one): an intact second token and a wrap in the other
 * direction repeat it.  _i: 0 Kerberos, 1 NTLM. */
START_TEST(test_faults_wrap_partial)
{
    char one[] = "first message", two[] = "second message";
    gss_buffer_desc msg = { sizeof(one), one }, tok, out;
    struct gsstest_exchange x;
    gss_cred_id_t icred;
    OM_uint32 major, minor, tmp;

    ck_assert_uint_eq(alice_cred(_i == 0 ? "alice@" TEST_REALM
                                         : TEST_NTLM_DOMAIN "\\alice",
                                 &minor, &icred),
                      GSS_S_COMPLETE);
    exchange(icred, GSS_C_NO_CREDENTIAL, &x);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &msg,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    tok.length--;
    major = gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL);
    tok.length++;
    gss_release_buffer(&tmp, &tok);
    assert_status(major, minor, GSS_S_DEFECTIVE_TOKEN,
                  CREDSSP_ERR_WRAP_PARTIAL,
                  "Wrap token does not hold whole TLS records");
    ck_assert_uint_eq(out.length, 0);
    msg.value = two;
    msg.length = sizeof(two);
    ck_assert_uint_eq(gss_wrap(&minor, x.ictx, 1, GSS_C_QOP_DEFAULT, &msg,
                               NULL, &tok),
                      GSS_S_COMPLETE);
    major = gss_unwrap(&minor, x.actx, &tok, &out, NULL, NULL);
    gss_release_buffer(&tmp, &tok);
    assert_status(major, minor, GSS_S_DEFECTIVE_TOKEN,
                  CREDSSP_ERR_WRAP_PARTIAL, "");
    ck_assert_uint_eq(out.length, 0);
    major = gss_wrap(&minor, x.actx, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &tok);
    assert_status(major, minor, GSS_S_DEFECTIVE_TOKEN,
                  CREDSSP_ERR_WRAP_PARTIAL, "");
    ck_assert_uint_eq(tok.length, 0);
    gsstest_exchange_free(&x);
    gss_release_cred(&tmp, &icred);
}
END_TEST

static Suite *
faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc;

    tc = test_realm_tcase(s, "dependencies", TCASE_TIMEOUT);
    tcase_add_test(tc, test_faults_kdc_unreachable);
    tcase_add_loop_test(tc, test_faults_keytab, 0, 2);
    tcase_add_test(tc, test_faults_no_ntlmssp);
    tcase_add_loop_test(tc, test_faults_certificate, 0, 2);
    tcase_add_loop_test(tc, test_faults_config, 0, 2);
    tc = test_realm_tcase(s, "peer", TCASE_TIMEOUT);
    tcase_add_loop_test(tc, test_faults_delete_mid_exchange, 0, 6);
    tcase_add_loop_test(tc, test_faults_alert, 0, 2);
    tcase_add_loop_test(tc, test_faults_wrap_partial, 0, 2);
    return s;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--acquire-ntlm") == 0) {
        return acquire_ntlm();
    }
    return check_main_run(faults_suite());
}
