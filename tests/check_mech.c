/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for the GSS-level error rendering of mech/: every minor code
 * has a major and a gss_display_status text; errno values and unknown
 * values render sensibly; the not-yet-built entry points fail cleanly.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mech/mech.h"

static Suite *mech_suite(void);
static char *status_text(OM_uint32 value, OM_uint32 *major_out);

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
        ck_assert_msg(major != GSS_S_COMPLETE &&
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
    gss_OID_set attrs = GSS_C_NO_OID_SET;
    gss_OID_desc nego = *GSS_C_MA_MECH_NEGO, framed = *GSS_C_MA_ITOK_FRAMED;
    OM_uint32 minor, major, tmp;
    int present = 0;

    major = credssp_inquire_attrs_for_mech(&minor, GSS_CREDSSP_MECH_OID,
                                           &attrs, NULL);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(attrs->count, 2);
    major = gss_test_oid_set_member(&minor, &nego,
                                    attrs, &present);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_int_eq(present, 1);
    major = gss_test_oid_set_member(&minor, &framed,
                                    attrs, &present);
    ck_assert_int_eq(present, 1);
    (void)gss_release_oid_set(&tmp, &attrs);
}
END_TEST

START_TEST(test_mech_unbuilt_entry_points_fail_cleanly)
{
    gss_ctx_id_t ctx = (gss_ctx_id_t)1;
    gss_buffer_desc out = { 5, (void *)1 };
    OM_uint32 minor = 0, major, flags = 7;

    major = credssp_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx,
                                     GSS_C_NO_NAME, GSS_CREDSSP_MECH_OID, 0,
                                     0, GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &out, &flags,
                                     NULL);
    ck_assert_uint_eq(major, GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(minor, CREDSSP_ERR_NOT_IMPLEMENTED);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(out.length, 0);
    ck_assert_ptr_null(out.value);
    ck_assert_uint_eq(flags, 0);
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
    tcase_add_test(tc, test_mech_unbuilt_entry_points_fail_cleanly);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(mech_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
