/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Check suite for common/: the bounded reader and growable writer, the
 * secret holder, wiping, UTF-8 <-> UTF-16LE, and the error table.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/secret.h"
#include "common/utf16.h"
#include "common/zap.h"
#include "tests/check_main.h"

static Suite *common_suite(void);

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

START_TEST(test_buf_in_reads_in_order)
{
    static const uint8_t data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
                                    0x0d };
    struct credssp_in in;

    credssp_in_init(&in, data, sizeof(data));
    ck_assert_uint_eq(credssp_in_u8(&in), 0x01);
    ck_assert_uint_eq(credssp_in_u16le(&in), 0x0302);
    ck_assert_uint_eq(credssp_in_u16be(&in), 0x0405);
    ck_assert_uint_eq(credssp_in_u32le(&in), 0x09080706);
    ck_assert_uint_eq(credssp_in_u32be(&in), 0x0a0b0c0d);
    ck_assert_int_eq(in.status, 0);
    ck_assert_uint_eq(in.len, 0);
}
END_TEST

START_TEST(test_buf_in_overrun_is_sticky)
{
    static const uint8_t data[] = { 0xaa, 0xbb, 0xcc };
    struct credssp_in in;

    credssp_in_init(&in, data, sizeof(data));
    ck_assert_uint_eq(credssp_in_u16le(&in), 0xbbaa);
    /* Two bytes wanted, one left: nothing is consumed, status is set. */
    ck_assert_uint_eq(credssp_in_u16le(&in), 0);
    ck_assert_int_eq(in.status, CREDSSP_ERR_SHORT_INPUT);
    ck_assert_uint_eq(in.len, 1);
    /* Once set, even a read that would fit returns nothing. */
    ck_assert_uint_eq(credssp_in_u8(&in), 0);
    ck_assert_ptr_null(credssp_in_bytes(&in, 0));
    ck_assert_int_eq(in.status, CREDSSP_ERR_SHORT_INPUT);
}
END_TEST

START_TEST(test_buf_in_huge_count_does_not_wrap)
{
    static const uint8_t data[4] = { 0 };
    struct credssp_in in;

    credssp_in_init(&in, data, sizeof(data));
    ck_assert_ptr_nonnull(credssp_in_bytes(&in, 2));
    ck_assert_ptr_null(credssp_in_bytes(&in, SIZE_MAX));
    ck_assert_int_eq(in.status, CREDSSP_ERR_SHORT_INPUT);
    ck_assert_uint_eq(in.len, 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

START_TEST(test_buf_out_builds_bytes)
{
    static const uint8_t expect[] = { 0x7f, 0x34, 0x12, 0x12, 0x34, 0x78,
                                      0x56, 0x34, 0x12, 0x12, 0x34, 0x56,
                                      0x78, 'a',  'b' };
    struct credssp_out out;
    struct credssp_buf buf = { NULL, 0 };

    credssp_out_init(&out, _i, 0);
    credssp_out_u8(&out, 0x7f);
    credssp_out_u16le(&out, 0x1234);
    credssp_out_u16be(&out, 0x1234);
    credssp_out_u32le(&out, 0x12345678);
    credssp_out_u32be(&out, 0x12345678);
    credssp_out_add(&out, "ab", 2);
    ck_assert_int_eq(credssp_out_finish(&out, &buf), 0);
    ck_assert_uint_eq(buf.len, sizeof(expect));
    ck_assert_mem_eq(buf.data, expect, sizeof(expect));
    ck_assert_ptr_null(out.data);
    credssp_buf_wipe_free(&buf);
    ck_assert_ptr_null(buf.data);
    ck_assert_uint_eq(buf.len, 0);
}
END_TEST

START_TEST(test_buf_out_grows_past_many_reallocations)
{
    struct credssp_out out;
    struct credssp_buf buf = { NULL, 0 };
    size_t i;

    credssp_out_init(&out, _i, 0);
    for (i = 0; i < 100000; i++) {
        credssp_out_u8(&out, (uint8_t)i);
    }
    ck_assert_int_eq(credssp_out_finish(&out, &buf), 0);
    ck_assert_uint_eq(buf.len, 100000);
    for (i = 0; i < buf.len; i++) {
        ck_assert_uint_eq(buf.data[i], (uint8_t)i);
    }
    credssp_buf_free(&buf);
}
END_TEST

START_TEST(test_buf_out_limit_is_sticky)
{
    struct credssp_out out;
    struct credssp_buf buf = { NULL, 0 };

    credssp_out_init(&out, 1, 8);
    credssp_out_add(&out, "12345678", 8);
    ck_assert_int_eq(out.status, 0);
    credssp_out_u8(&out, '9');
    ck_assert_int_eq(out.status, CREDSSP_ERR_TOO_LARGE);
    credssp_out_u8(&out, 'x');
    ck_assert_uint_eq(out.len, 8);
    ck_assert_int_eq(credssp_out_finish(&out, &buf), CREDSSP_ERR_TOO_LARGE);
    ck_assert_ptr_null(buf.data);
    ck_assert_ptr_null(out.data);
}
END_TEST

START_TEST(test_buf_out_empty_finish)
{
    struct credssp_out out;
    struct credssp_buf buf = { NULL, 0 };

    credssp_out_init(&out, 0, 0);
    credssp_out_add(&out, NULL, 0);
    ck_assert_int_eq(credssp_out_finish(&out, &buf), 0);
    ck_assert_ptr_null(buf.data);
    ck_assert_uint_eq(buf.len, 0);
}
END_TEST

START_TEST(test_buf_dup_and_move)
{
    struct credssp_buf a = { NULL, 0 }, b = { NULL, 0 };

    ck_assert_int_eq(credssp_buf_dup(&a, "secret", 6), 0);
    ck_assert_uint_eq(a.len, 6);
    ck_assert_mem_eq(a.data, "secret", 6);
    credssp_buf_move(&b, &a);
    ck_assert_ptr_null(a.data);
    ck_assert_uint_eq(a.len, 0);
    ck_assert_mem_eq(b.data, "secret", 6);
    credssp_buf_wipe_free(&b);
    ck_assert_int_eq(credssp_buf_dup(&a, NULL, 0), 0);
    ck_assert_ptr_null(a.data);
    credssp_buf_free(NULL);
    credssp_buf_wipe_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Wiping and secrets                                                  */
/* ------------------------------------------------------------------ */

START_TEST(test_zap_leaves_zeros)
{
    uint8_t block[64];
    size_t i;

    memset(block, 0xa5, sizeof(block));
    credssp_zap(block + 8, 48);
    for (i = 0; i < sizeof(block); i++) {
        ck_assert_uint_eq(block[i], (i < 8 || i >= 56) ? 0xa5 : 0);
    }
    credssp_zap(NULL, 10);
    credssp_zapfree(NULL, 10);
}
END_TEST

START_TEST(test_ct_equal)
{
    ck_assert_int_eq(credssp_ct_equal("abcd", "abcd", 4), 1);
    ck_assert_int_eq(credssp_ct_equal("abcd", "abce", 4), 0);
    ck_assert_int_eq(credssp_ct_equal("xbcd", "abcd", 4), 0);
    ck_assert_int_eq(credssp_ct_equal("x", "y", 0), 1);
}
END_TEST

START_TEST(test_secret_holds_a_copy)
{
    char password[] = "Pa55w0rd!";
    struct credssp_secret *s = NULL, *c = NULL;
    const uint8_t *data;
    size_t len = 0;

    ck_assert_int_eq(credssp_secret_new(CREDSSP_SECRET_PASSWORD, password,
                                        strlen(password), &s),
                     0);
    memset(password, 'x', strlen(password));
    data = credssp_secret_data(s, &len);
    ck_assert_uint_eq(len, 9);
    ck_assert_mem_eq(data, "Pa55w0rd!", 9);
    ck_assert_uint_eq(data[len], 0);
    ck_assert_int_eq(credssp_secret_type(s), CREDSSP_SECRET_PASSWORD);

    ck_assert_int_eq(credssp_secret_copy(s, &c), 0);
    ck_assert_ptr_ne(c, s);
    credssp_secret_free(&s);
    ck_assert_ptr_null(s);
    data = credssp_secret_data(c, &len);
    ck_assert_mem_eq(data, "Pa55w0rd!", 9);
    credssp_secret_free(&c);
    credssp_secret_free(&c);
    credssp_secret_free(NULL);
}
END_TEST

START_TEST(test_secret_rejects_bad_arguments)
{
    struct credssp_secret *s = NULL;
    static uint8_t big[64 * 1024 + 1];

    ck_assert_int_eq(credssp_secret_new(CREDSSP_SECRET_BLOB, NULL, 3, &s),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(credssp_secret_new((enum credssp_secret_type)9, "a", 1,
                                        &s),
                     CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_int_eq(
        credssp_secret_new(CREDSSP_SECRET_BLOB, big, sizeof(big), &s),
        CREDSSP_ERR_BAD_ARGUMENT);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(credssp_secret_new(CREDSSP_SECRET_PIN, NULL, 0, &s), 0);
    ck_assert_uint_eq(credssp_secret_data(s, NULL)[0], 0);
    credssp_secret_free(&s);
}
END_TEST

/* ------------------------------------------------------------------ */
/* UTF-8 <-> UTF-16LE                                                   */
/* ------------------------------------------------------------------ */

struct utf_case {
    const char *utf8;
    size_t utf8_len;
    const char *utf16;
    size_t utf16_len;
};

#define S(x) x, sizeof(x) - 1
static const struct utf_case utf_valid[] = {
    { S(""), S("") },
    { S("alice"), S("a\0l\0i\0c\0e\0") },
    /* U+00F6 U+00E4: Latin-1 range. */
    { S("\xc3\xb6\xc3\xa4"), S("\xf6\x00\xe4\x00") },
    /* U+7528 U+6237 ("user"): three-byte UTF-8. */
    { S("\xe7\x94\xa8\xe6\x88\xb7"), S("\x28\x75\x37\x62") },
    /* U+1F511: astral plane, a surrogate pair. */
    { S("\xf0\x9f\x94\x91"), S("\x3d\xd8\x11\xdd") },
    /* U+10FFFF, the last scalar value. */
    { S("\xf4\x8f\xbf\xbf"), S("\xff\xdb\xff\xdf") },
    /* U+FFFF and U+E000 around the surrogate range. */
    { S("\xef\xbf\xbf\xee\x80\x80"), S("\xff\xff\x00\xe0") },
};

static const struct utf_case utf8_invalid[] = {
    { S("\x80"), NULL, 0 },             /* lone continuation */
    { S("\xc3"), NULL, 0 },             /* truncated sequence */
    { S("\xc0\xaf"), NULL, 0 },         /* overlong '/' */
    { S("\xe0\x80\xaf"), NULL, 0 },     /* overlong, three bytes */
    { S("\xed\xa0\x80"), NULL, 0 },     /* encoded surrogate U+D800 */
    { S("\xf4\x90\x80\x80"), NULL, 0 }, /* U+110000 */
    { S("\xf8\x88\x80\x80\x80"), NULL, 0 },
    { S("\xff"), NULL, 0 },
    { "a\0b", 3, NULL, 0 },             /* U+0000 would truncate */
    { S("ok\xc3\x28"), NULL, 0 },       /* bad continuation */
};

static const struct utf_case utf16_invalid[] = {
    { NULL, 0, S("a") },                /* odd length */
    { NULL, 0, S("\x00\xd8") },         /* lone high surrogate at end */
    { NULL, 0, S("\x00\xd8\x41\x00") }, /* high surrogate, then 'A' */
    { NULL, 0, S("\x00\xdc\x00\xd8") }, /* low before high */
    { NULL, 0, S("a\0\0\0") },          /* U+0000 */
};
#undef S

START_TEST(test_utf16_valid_both_ways)
{
    const struct utf_case *c = &utf_valid[_i];
    struct credssp_buf out = { NULL, 0 };

    ck_assert_int_eq(credssp_utf8_to_utf16le(c->utf8, c->utf8_len, 0, &out),
                     0);
    ck_assert_uint_eq(out.len, c->utf16_len);
    if (out.len > 0) {
        ck_assert_mem_eq(out.data, c->utf16, out.len);
    }
    credssp_buf_free(&out);

    ck_assert_int_eq(credssp_utf16le_to_utf8((const uint8_t *)c->utf16,
                                             c->utf16_len, 1, &out),
                     0);
    ck_assert_uint_eq(out.len, c->utf8_len);
    ck_assert_mem_eq(out.data, c->utf8, out.len);
    ck_assert_uint_eq(out.data[out.len], 0);
    credssp_buf_wipe_free(&out);
}
END_TEST

START_TEST(test_utf16_rejects_invalid_utf8)
{
    const struct utf_case *c = &utf8_invalid[_i];
    struct credssp_buf out = { NULL, 0 };

    ck_assert_int_eq(credssp_utf8_to_utf16le(c->utf8, c->utf8_len, 1, &out),
                     CREDSSP_ERR_UTF8);
    ck_assert_ptr_null(out.data);
}
END_TEST

START_TEST(test_utf16_rejects_invalid_utf16)
{
    const struct utf_case *c = &utf16_invalid[_i];
    struct credssp_buf out = { NULL, 0 };

    ck_assert_int_eq(credssp_utf16le_to_utf8((const uint8_t *)c->utf16,
                                             c->utf16_len, 0, &out),
                     CREDSSP_ERR_UTF16);
    ck_assert_ptr_null(out.data);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The error table                                                     */
/* ------------------------------------------------------------------ */

START_TEST(test_err_table_is_complete)
{
    long code;
    const char *msg, *name;
    size_t len;

    ck_assert_int_eq(CREDSSP_ERR_INTERNAL, CREDSSP_ERR_BASE);
    ck_assert_int_gt(CREDSSP_ERR_LAST, CREDSSP_ERR_BASE);
    for (code = CREDSSP_ERR_BASE; code < CREDSSP_ERR_LAST; code++) {
        msg = credssp_err_message(code);
        name = credssp_err_name(code);
        ck_assert_msg(msg != NULL && name != NULL, "code %lx", code);
        len = strlen(msg);
        /* Short sentences, capital first, no trailing period. */
        ck_assert_msg(len > 10 && len < 120, "%s: bad length", name);
        ck_assert_msg(isupper((unsigned char)msg[0]), "%s: lower case", name);
        ck_assert_msg(msg[len - 1] != '.', "%s: trailing period", name);
        ck_assert_msg(strncmp(name, "CREDSSP_ERR_", 12) == 0, "%s", name);
    }
    ck_assert_ptr_null(credssp_err_message(CREDSSP_ERR_BASE - 1));
    ck_assert_ptr_null(credssp_err_message(CREDSSP_ERR_LAST));
    ck_assert_ptr_null(credssp_err_message(ENOMEM));
    ck_assert_ptr_null(credssp_err_name(0));
    ck_assert_str_eq(credssp_err_name(CREDSSP_ERR_ASN1_TAG),
                     "CREDSSP_ERR_ASN1_TAG");
    ck_assert_str_eq(credssp_err_message(CREDSSP_ERR_BAD_NONCE),
                     "CredSSP clientNonce is not 32 bytes long");
}
END_TEST

static int hook_code;
static int hook_line;

static void
record_origin(int code, const char *file, int line, const char *func)
{
    (void)file;
    (void)func;
    hook_code = code;
    hook_line = line;
}

START_TEST(test_err_origin_hook_sees_errors)
{
    int line, ret;

    credssp_err_set_hook(record_origin);
    line = __LINE__ + 1;
    ret = CREDSSP_ERR(CREDSSP_ERR_ASN1_TRAILING);
    ck_assert_int_eq(ret, CREDSSP_ERR_ASN1_TRAILING);
    ck_assert_int_eq(hook_code, CREDSSP_ERR_ASN1_TRAILING);
    ck_assert_int_eq(hook_line, line);
    credssp_err_set_hook(NULL);
    hook_code = 0;
    ret = CREDSSP_ERR(CREDSSP_ERR_UTF8);
    ck_assert_int_eq(ret, CREDSSP_ERR_UTF8);
    ck_assert_int_eq(hook_code, 0);
}
END_TEST

static Suite *
common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc;

    tc = tcase_create("reader");
    tcase_add_test(tc, test_buf_in_reads_in_order);
    tcase_add_test(tc, test_buf_in_overrun_is_sticky);
    tcase_add_test(tc, test_buf_in_huge_count_does_not_wrap);
    suite_add_tcase(s, tc);

    tc = tcase_create("writer");
    tcase_add_loop_test(tc, test_buf_out_builds_bytes, 0, 2);
    tcase_add_loop_test(tc, test_buf_out_grows_past_many_reallocations, 0, 2);
    tcase_add_test(tc, test_buf_out_limit_is_sticky);
    tcase_add_test(tc, test_buf_out_empty_finish);
    tcase_add_test(tc, test_buf_dup_and_move);
    suite_add_tcase(s, tc);

    tc = tcase_create("secrets");
    tcase_add_test(tc, test_zap_leaves_zeros);
    tcase_add_test(tc, test_ct_equal);
    tcase_add_test(tc, test_secret_holds_a_copy);
    tcase_add_test(tc, test_secret_rejects_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("utf16");
    tcase_add_loop_test(tc, test_utf16_valid_both_ways, 0,
                        sizeof(utf_valid) / sizeof(*utf_valid));
    tcase_add_loop_test(tc, test_utf16_rejects_invalid_utf8, 0,
                        sizeof(utf8_invalid) / sizeof(*utf8_invalid));
    tcase_add_loop_test(tc, test_utf16_rejects_invalid_utf16, 0,
                        sizeof(utf16_invalid) / sizeof(*utf16_invalid));
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_err_table_is_complete);
    tcase_add_test(tc, test_err_origin_hook_sees_errors);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_main_run(common_suite());
}
