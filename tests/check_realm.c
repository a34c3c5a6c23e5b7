/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for the throwaway test realm (tests/realm.sh, tests/realm.c)
 * through the real mechglue of libgssapi_krb5, with GSS_MECH_CONFIG naming
 * both the built CredSSP plugin and gss-ntlmssp: Kerberos password
 * credentials, krb5 contexts to every service principal of the keytab, an
 * NTLM context against the generated user file, and the mechanism list.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

/* Generous bound for one test (a few KDC round trips over loopback). */
#define REALM_TCASE_TIMEOUT 60
/* Every exchange here needs at most three tokens; more means a loop. */
#define MAX_LEGS 6

/* The service principals realm.sh writes to the keytab. */
static const char *const services[] = {"host", "TERMSRV", "HTTP"};

static OM_uint32
acquire_alice_krb5(gss_cred_id_t *cred, OM_uint32 *minor)
{
    char *pw = test_realm_password("alice");
    OM_uint32 maj;

    ck_assert_ptr_nonnull(pw);
    maj = gsstest_password_cred(minor, "alice@" TEST_REALM, pw, gss_mech_krb5,
                                cred);
    free(pw);
    return maj;
}

/*
 * Run init/accept in process until both sides are complete (bounded).
 * The acceptor uses GSS_C_NO_CREDENTIAL: the keytab of KRB5_KTNAME for
 * krb5, the NTLM_USER_FILE for gss-ntlmssp.
 */
static void
establish(gss_cred_id_t icred, gss_name_t target, gss_OID mech,
          gss_ctx_id_t *ictx, gss_ctx_id_t *actx, gss_name_t *src,
          gss_OID *imech, gss_OID *amech)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED;
    OM_uint32 imin = 0, amin = 0, min;
    OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    int legs = 0;

    while (imaj == GSS_S_CONTINUE_NEEDED || amaj == GSS_S_CONTINUE_NEEDED) {
        ck_assert_int_lt(legs++, MAX_LEGS);
        if (imaj == GSS_S_CONTINUE_NEEDED) {
            imaj = gss_init_sec_context(
                &imin, icred, ictx, target, mech, flags, GSS_C_INDEFINITE,
                GSS_C_NO_CHANNEL_BINDINGS, &atok, imech, &itok, NULL, NULL);
            gss_release_buffer(&min, &atok);
            ck_assert_msg(imaj == GSS_S_COMPLETE ||
                              imaj == GSS_S_CONTINUE_NEEDED,
                          "init leg %d: %08x/%d", legs, imaj, (int)imin);
        }
        if (itok.length == 0)
            break;
        ck_assert_msg(amaj == GSS_S_CONTINUE_NEEDED,
                      "initiator sent a token after the acceptor finished");
        amaj = gss_accept_sec_context(&amin, actx, GSS_C_NO_CREDENTIAL, &itok,
                                      GSS_C_NO_CHANNEL_BINDINGS, src, amech,
                                      &atok, NULL, NULL, NULL);
        gss_release_buffer(&min, &itok);
        ck_assert_msg(amaj == GSS_S_COMPLETE || amaj == GSS_S_CONTINUE_NEEDED,
                      "accept leg %d: %08x/%d", legs, amaj, (int)amin);
        if (atok.length == 0 && imaj == GSS_S_CONTINUE_NEEDED)
            ck_abort_msg("acceptor sent nothing but initiator continues");
    }
    ck_assert_int_eq(imaj, GSS_S_COMPLETE);
    ck_assert_int_eq(amaj, GSS_S_COMPLETE);
    ck_assert_uint_eq(atok.length, 0);
    ck_assert_uint_eq(itok.length, 0);
}

/* Seal MSG on FROM, unseal on TO: same bytes, confidentiality applied. */
static void
wrap_round_trip(gss_ctx_id_t from, gss_ctx_id_t to, const char *msg)
{
    gss_buffer_desc in, wrapped = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    in.value = (void *)(uintptr_t)msg;
    in.length = strlen(msg);
    maj = gss_wrap(&min, from, 1, GSS_C_QOP_DEFAULT, &in, &conf, &wrapped);
    ck_assert_int_eq(maj, GSS_S_COMPLETE);
    ck_assert_int_eq(conf, 1);
    ck_assert_uint_gt(wrapped.length, in.length);
    ck_assert(memmem(wrapped.value, wrapped.length, msg, in.length) == NULL);
    conf = 0;
    maj = gss_unwrap(&min, to, &wrapped, &out, &conf, NULL);
    ck_assert_int_eq(maj, GSS_S_COMPLETE);
    ck_assert_int_eq(conf, 1);
    ck_assert_uint_eq(out.length, in.length);
    ck_assert(memcmp(out.value, msg, in.length) == 0);
    gss_release_buffer(&min, &wrapped);
    gss_release_buffer(&min, &out);
}

/* Does CRED's krb5 ccache hold the realm's TGT? */
static int
cred_has_tgt(gss_cred_id_t cred)
{
    krb5_context kctx;
    krb5_ccache cc;
    krb5_cc_cursor cur;
    krb5_creds creds;
    OM_uint32 maj, min;
    char *server;
    int found = 0;

    ck_assert_int_eq(krb5_init_context(&kctx), 0);
    ck_assert_int_eq(krb5_cc_new_unique(kctx, "MEMORY", NULL, &cc), 0);
    maj = gss_krb5_copy_ccache(&min, cred, cc);
    ck_assert_msg(maj == GSS_S_COMPLETE, "copy_ccache: %08x/%d", maj,
                  (int)min);
    ck_assert_int_eq(krb5_cc_start_seq_get(kctx, cc, &cur), 0);
    while (krb5_cc_next_cred(kctx, cc, &cur, &creds) == 0) {
        ck_assert_int_eq(krb5_unparse_name(kctx, creds.server, &server), 0);
        if (strcmp(server, "krbtgt/" TEST_REALM "@" TEST_REALM) == 0)
            found = 1;
        krb5_free_unparsed_name(kctx, server);
        krb5_free_cred_contents(kctx, &creds);
    }
    krb5_cc_end_seq_get(kctx, cc, &cur);
    krb5_cc_destroy(kctx, cc);
    krb5_free_context(kctx);
    return found;
}

START_TEST(test_realm_krb5_password_gets_tgt)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_usage_t usage;
    OM_uint32 maj, min, lifetime;
    char *shown;

    maj = acquire_alice_krb5(&cred, &min);
    ck_assert_msg(maj == GSS_S_COMPLETE, "acquire: %08x/%d", maj, (int)min);
    maj = gss_inquire_cred(&min, cred, &name, &lifetime, &usage, NULL);
    ck_assert_int_eq(maj, GSS_S_COMPLETE);
    shown = gsstest_display_name(name);
    ck_assert_str_eq(shown, "alice@" TEST_REALM);
    ck_assert_int_eq(usage, GSS_C_INITIATE);
    /* The TGT's lifetime (max_life = 1h), not "indefinite". */
    ck_assert_uint_gt(lifetime, 0);
    ck_assert_uint_le(lifetime, 3600);
    ck_assert_msg(cred_has_tgt(cred), "no krbtgt/" TEST_REALM " in the cred");
    free(shown);
    gss_release_name(&min, &name);
    gss_release_cred(&min, &cred);
}
END_TEST

/*
 * A wrong password.  The users are created with +requires_preauth
 * (kdc.conf default_principal_flags), so the KDC itself rejects the
 * encrypted timestamp and answers KDC_ERR_PREAUTH_FAILED (its log says
 * "PREAUTH_FAILED").  MIT's krb5 mechanism gets the TGT inside
 * gss_acquire_cred_with_password (acquire_init_cred ->
 * maybe_get_initial_cred), so the failure shows there, not at the first
 * gss_init_sec_context.  acquire_init_cred reports any failure to get
 * initial credentials as "credential unavailable": with MIT krb5 1.20.1
 * the major status observed is GSS_S_NO_CRED (0x00070000), not
 * GSS_S_FAILURE, and the minor status is the krb5 error code itself.
 * The mechglue passes the krb5 mechanism's com_err codes through
 * unchanged, so the caller sees KRB5KDC_ERR_PREAUTH_FAILED (-1765328360).
 */
START_TEST(test_realm_krb5_wrong_password_fails)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min = 0;

    maj = gsstest_password_cred(&min, "alice@" TEST_REALM, "not-her-password",
                                gss_mech_krb5, &cred);
    ck_assert_int_eq(maj, GSS_S_NO_CRED);
    ck_assert_int_eq((krb5_error_code)min, KRB5KDC_ERR_PREAUTH_FAILED);
    ck_assert(cred == GSS_C_NO_CREDENTIAL);
}
END_TEST

/*
 * cred's context with mech to target (a host-based service), which cred
 * is released after: established, both ends on mech, the acceptor sees
 * who, and a message sealed each way.
 */
static void
context_to(gss_cred_id_t cred, const char *target, gss_OID mech,
           const char *who, const char *there, const char *back)
{
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_name_t name, src = GSS_C_NO_NAME;
    gss_OID imech = GSS_C_NO_OID, amech = GSS_C_NO_OID;
    OM_uint32 maj, min;
    char *shown;

    maj = gsstest_import_name(&min, target, GSS_C_NT_HOSTBASED_SERVICE,
                              &name);
    ck_assert_msg(maj == GSS_S_COMPLETE, "import %s: %08x/%d", target, maj,
                  (int)min);

    establish(cred, name, mech, &ictx, &actx, &src, &imech, &amech);
    ck_assert(gss_oid_equal(imech, mech));
    ck_assert(gss_oid_equal(amech, mech));
    shown = gsstest_display_name(src);
    ck_assert_str_eq(shown, who);
    wrap_round_trip(ictx, actx, there);
    wrap_round_trip(actx, ictx, back);

    free(shown);
    gss_release_name(&min, &src);
    gss_release_name(&min, &name);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
}

START_TEST(test_realm_krb5_context_to_service)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;
    char service[64];

    maj = acquire_alice_krb5(&cred, &min);
    ck_assert_msg(maj == GSS_S_COMPLETE, "acquire: %08x/%d", maj, (int)min);
    snprintf(service, sizeof(service), "%s@localhost", services[_i]);
    context_to(cred, service, gss_mech_krb5, "alice@" TEST_REALM,
               "from alice to the service", "from the service to alice");
}
END_TEST

/*
 * gss-ntlmssp parses a GSS_C_NT_USER_NAME as "DOMAIN\user" (also
 * "user@DOMAIN"); the acceptor with GSS_C_NO_CREDENTIAL looks the user's
 * password up in NTLM_USER_FILE ("DOMAIN:user:password" lines).
 */
START_TEST(test_realm_ntlm_context)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;
    char *pw;

    pw = test_realm_password("alice");
    ck_assert_ptr_nonnull(pw);
    maj = gsstest_password_cred(&min, TEST_NTLM_DOMAIN "\\alice", pw,
                                &gsstest_ntlmssp_oid, &cred);
    free(pw);
    ck_assert_msg(maj == GSS_S_COMPLETE, "acquire: %08x/%d", maj, (int)min);
    context_to(cred, "host@localhost", &gsstest_ntlmssp_oid,
               TEST_NTLM_DOMAIN "\\alice", "from alice over NTLM",
               "back over NTLM");
}
END_TEST

START_TEST(test_realm_indicate_mechs_lists_all)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    OM_uint32 maj, min;
    int present;

    maj = gss_indicate_mechs(&min, &mechs);
    ck_assert_int_eq(maj, GSS_S_COMPLETE);
    present = 0;
    gss_test_oid_set_member(&min, GSS_CREDSSP_MECH_OID, mechs, &present);
    ck_assert_msg(present, "CredSSP " GSS_CREDSSP_MECH_OID_STRING " missing");
    present = 0;
    gss_test_oid_set_member(&min, gss_mech_krb5, mechs, &present);
    ck_assert_msg(present, "krb5 missing");
    present = 0;
    gss_test_oid_set_member(&min, &gsstest_ntlmssp_oid, mechs, &present);
    ck_assert_msg(present, "NTLMSSP missing");
    gss_release_oid_set(&min, &mechs);
}
END_TEST

static Suite *
realm_suite(void)
{
    Suite *s = suite_create("realm");
    TCase *tc;

    tc = test_realm_tcase(s, "krb5_password", REALM_TCASE_TIMEOUT);
    tcase_add_test(tc, test_realm_krb5_password_gets_tgt);
    tcase_add_test(tc, test_realm_krb5_wrong_password_fails);

    tc = test_realm_tcase(s, "krb5_context", REALM_TCASE_TIMEOUT);
    tcase_add_loop_test(tc, test_realm_krb5_context_to_service, 0,
                        sizeof(services) / sizeof(*services));

    tc = test_realm_tcase(s, "ntlm_context", REALM_TCASE_TIMEOUT);
    tcase_add_test(tc, test_realm_ntlm_context);

    tc = test_realm_tcase(s, "mechs", REALM_TCASE_TIMEOUT);
    tcase_add_test(tc, test_realm_indicate_mechs_lists_all);
    return s;
}

int
main(void)
{
    return check_main_run(realm_suite());
}
