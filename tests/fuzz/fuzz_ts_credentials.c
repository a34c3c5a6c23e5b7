/* Target functions: credssp_asn1_decode_ts_credentials,
 * credssp_asn1_decode_password_creds, credssp_asn1_decode_smart_card_creds,
 * credssp_asn1_decode_remote_guard_creds, their encoders,
 * credssp_asn1_password_creds_to_utf8, credssp_asn1_password_creds_from_utf8
 */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * TSCredentials (MS-CSSP 2.2.1.2) and the three credential structures it
 * carries, from hostile bytes: the outer structure, then its credentials
 * with the decoder its credType names; and, so the fuzzer need not build
 * the wrapper first, the whole input with each inner decoder too.
 *
 * Every successful decode must re-encode to exactly its input (strict
 * DER).  The one documented exception (asn1/codec.h): keySpec is accepted
 * signed or unsigned and written signed, so a keySpec of 0x80000000 or
 * more may arrive in a longer form; then the re-encoding must decode to
 * the same value and re-encode to itself.  Decoded password credentials
 * must convert to UTF-8 and back to the same UTF-16LE, or be refused as
 * invalid UTF-16.
 */
#include "config.h"

#include <string.h>

#include <gssapi/gssapi_credssp_err.h>

#include "asn1/codec.h"
#include "tests/fuzz/fuzz.h"

static int same_buf(const struct credssp_buf *a, const struct credssp_buf *b);
static int same_opt(const struct credssp_asn1_opt *a,
                    const struct credssp_asn1_opt *b);
static int same_bytes(const struct credssp_buf *der, const uint8_t *data,
                      size_t size);
static void check_ts_credentials(const uint8_t *data, size_t size,
                                 const struct credssp_ts_credentials *ts);
static void check_utf8(const struct credssp_password_creds *pw);
static void fuzz_password(const uint8_t *data, size_t size);
static int same_smart_card(const struct credssp_smart_card_creds *a,
                           const struct credssp_smart_card_creds *b);
static void fuzz_smart_card(const uint8_t *data, size_t size);
static void fuzz_remote_guard(const uint8_t *data, size_t size);
static void fuzz_inner(uint32_t cred_type, const uint8_t *data, size_t size);

static int
same_buf(const struct credssp_buf *a, const struct credssp_buf *b)
{
    return a->len == b->len &&
           (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int
same_opt(const struct credssp_asn1_opt *a, const struct credssp_asn1_opt *b)
{
    return a->present == b->present && same_buf(&a->value, &b->value);
}

static int
same_bytes(const struct credssp_buf *der, const uint8_t *data, size_t size)
{
    return der->len == size && memcmp(der->data, data, size) == 0;
}

/* The outer structure re-encodes (its encoder refuses unknown types). */
static void
check_ts_credentials(const uint8_t *data, size_t size,
                     const struct credssp_ts_credentials *ts)
{
    struct credssp_buf der = { NULL, 0 };

    if (credssp_asn1_check_cred_type(ts->cred_type) != 0) {
        FUZZ_CHECK(credssp_asn1_encode_ts_credentials(ts, &der) ==
                   CREDSSP_ERR_BAD_CRED_TYPE);
        return;
    }
    FUZZ_CHECK(credssp_asn1_encode_ts_credentials(ts, &der) == 0);
    FUZZ_CHECK(same_bytes(&der, data, size));
    credssp_buf_wipe_free(&der);
}

/* UTF-16LE -> UTF-8 -> UTF-16LE is the identity, or the first step
 * refuses the text. */
static void
check_utf8(const struct credssp_password_creds *pw)
{
    struct credssp_buf domain = { NULL, 0 }, user = { NULL, 0 };
    struct credssp_buf password = { NULL, 0 };
    struct credssp_password_creds back;
    int ret;

    memset(&back, 0, sizeof(back));
    ret = credssp_asn1_password_creds_to_utf8(pw, &domain, &user, &password);
    if (ret != 0) {
        FUZZ_CHECK(ret == CREDSSP_ERR_UTF16);
        FUZZ_CHECK(domain.len == 0 && user.len == 0 && password.len == 0);
        return;
    }
    /* NUL-terminated and free of U+0000 (which would truncate). */
    FUZZ_CHECK(strlen((const char *)domain.data) == domain.len);
    FUZZ_CHECK(strlen((const char *)user.data) == user.len);
    FUZZ_CHECK(strlen((const char *)password.data) == password.len);
    FUZZ_CHECK(credssp_asn1_password_creds_from_utf8(
                   (const char *)domain.data, (const char *)user.data,
                   (const char *)password.data, &back) == 0);
    FUZZ_CHECK(same_buf(&back.domain_name, &pw->domain_name));
    FUZZ_CHECK(same_buf(&back.user_name, &pw->user_name));
    FUZZ_CHECK(same_buf(&back.password, &pw->password));
    credssp_asn1_password_creds_free(&back);
    credssp_buf_wipe_free(&password);
    credssp_buf_wipe_free(&user);
    credssp_buf_wipe_free(&domain);
}

static void
fuzz_password(const uint8_t *data, size_t size)
{
    struct credssp_password_creds pw;
    struct credssp_buf der = { NULL, 0 };

    memset(&pw, 0, sizeof(pw));
    if (credssp_asn1_decode_password_creds(data, size, &pw) != 0) {
        return;
    }
    FUZZ_CHECK(credssp_asn1_encode_password_creds(&pw, &der) == 0);
    FUZZ_CHECK(same_bytes(&der, data, size));
    check_utf8(&pw);
    credssp_buf_wipe_free(&der);
    credssp_asn1_password_creds_free(&pw);
}

static int
same_smart_card(const struct credssp_smart_card_creds *a,
                const struct credssp_smart_card_creds *b)
{
    return same_buf(&a->pin, &b->pin) &&
           a->csp_data.key_spec == b->csp_data.key_spec &&
           same_opt(&a->csp_data.card_name, &b->csp_data.card_name) &&
           same_opt(&a->csp_data.reader_name, &b->csp_data.reader_name) &&
           same_opt(&a->csp_data.container_name,
                    &b->csp_data.container_name) &&
           same_opt(&a->csp_data.csp_name, &b->csp_data.csp_name) &&
           same_opt(&a->user_hint, &b->user_hint) &&
           same_opt(&a->domain_hint, &b->domain_hint);
}

static void
fuzz_smart_card(const uint8_t *data, size_t size)
{
    struct credssp_smart_card_creds sc, again;
    struct credssp_buf der = { NULL, 0 }, der2 = { NULL, 0 };

    memset(&sc, 0, sizeof(sc));
    memset(&again, 0, sizeof(again));
    if (credssp_asn1_decode_smart_card_creds(data, size, &sc) != 0) {
        return;
    }
    FUZZ_CHECK(credssp_asn1_encode_smart_card_creds(&sc, &der) == 0);
    if (!same_bytes(&der, data, size)) {
        /* Only the documented keySpec alias may change the bytes. */
        FUZZ_CHECK(sc.csp_data.key_spec >= 0x80000000u);
        FUZZ_CHECK(credssp_asn1_decode_smart_card_creds(der.data, der.len,
                                                        &again) == 0);
        FUZZ_CHECK(same_smart_card(&sc, &again));
        FUZZ_CHECK(credssp_asn1_encode_smart_card_creds(&again, &der2) ==
                   0);
        FUZZ_CHECK(same_bytes(&der2, der.data, der.len));
    }
    credssp_buf_wipe_free(&der2);
    credssp_buf_wipe_free(&der);
    credssp_asn1_smart_card_creds_free(&again);
    credssp_asn1_smart_card_creds_free(&sc);
}

static void
fuzz_remote_guard(const uint8_t *data, size_t size)
{
    struct credssp_remote_guard_creds rg;
    struct credssp_buf der = { NULL, 0 };

    memset(&rg, 0, sizeof(rg));
    if (credssp_asn1_decode_remote_guard_creds(data, size, &rg) != 0) {
        return;
    }
    FUZZ_CHECK(credssp_asn1_encode_remote_guard_creds(&rg, &der) == 0);
    FUZZ_CHECK(same_bytes(&der, data, size));
    credssp_buf_wipe_free(&der);
    credssp_asn1_remote_guard_creds_free(&rg);
}

/* The credentials of a TSCredentials, by credType. */
static void
fuzz_inner(uint32_t cred_type, const uint8_t *data, size_t size)
{
    switch (cred_type) {
    case CREDSSP_CRED_TYPE_PASSWORD:
        fuzz_password(data, size);
        break;
    case CREDSSP_CRED_TYPE_SMART_CARD:
        fuzz_smart_card(data, size);
        break;
    case CREDSSP_CRED_TYPE_REMOTE_GUARD:
        fuzz_remote_guard(data, size);
        break;
    default:
        break;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct credssp_ts_credentials ts;

    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    memset(&ts, 0, sizeof(ts));
    if (credssp_asn1_decode_ts_credentials(data, size, &ts) == 0) {
        check_ts_credentials(data, size, &ts);
        fuzz_inner(ts.cred_type, ts.credentials.data, ts.credentials.len);
    }
    credssp_asn1_ts_credentials_free(&ts);

    fuzz_inner(CREDSSP_CRED_TYPE_PASSWORD, data, size);
    fuzz_inner(CREDSSP_CRED_TYPE_SMART_CARD, data, size);
    fuzz_inner(CREDSSP_CRED_TYPE_REMOTE_GUARD, data, size);
    return 0;
}
