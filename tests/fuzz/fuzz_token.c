/* Target functions: credssp_token_strip_header, credssp_token_der_length,
 * credssp_token_add_header */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Token framing (mech/token.h) from hostile bytes: the RFC 2743 header of
 * a first token, and the DER length that delimits a TSRequest in a stream.
 *
 * Properties checked: a stripped header leaves a non-empty body inside
 * the input; adding our header to any non-empty input and stripping it
 * gives the input back; a DER length never exceeds its limit, and the
 * answer for a prefix of the input is either "more bytes needed" or the
 * answer for the whole input; a TSRequest the codec decodes has exactly
 * the length the framing finds.
 */
#include "config.h"

#include <string.h>

#include <gssapi/gssapi_credssp_err.h>

#include "asn1/codec.h"
#include "mech/token.h"
#include "tests/fuzz/fuzz.h"

/* Prefixes tried for the DER length: any header fits in these. */
#define MAX_PREFIX 16

static void fuzz_strip(const uint8_t *data, size_t size);
static void fuzz_round_trip(const uint8_t *data, size_t size);
static void fuzz_der_length(const uint8_t *data, size_t size, size_t limit);
static void check_against_codec(const uint8_t *data, size_t size);

static void
fuzz_strip(const uint8_t *data, size_t size)
{
    const uint8_t *inner = NULL;
    size_t inner_len = 0;
    int framed = -1, ret;

    ret = credssp_token_strip_header(data, size, &inner, &inner_len,
                                     &framed);
    if (ret != 0) {
        FUZZ_CHECK(ret == CREDSSP_ERR_TOKEN_HEADER ||
                   ret == CREDSSP_ERR_WRONG_MECH);
        return;
    }
    FUZZ_CHECK(framed == 0 || framed == 1);
    FUZZ_CHECK(inner_len > 0 && inner >= data &&
               inner_len <= size - (size_t)(inner - data));
    FUZZ_CHECK(framed || (inner == data && inner_len == size));
    fuzz_der_length(inner, inner_len, CREDSSP_ASN1_MAX_MESSAGE);
}

static void
fuzz_round_trip(const uint8_t *data, size_t size)
{
    struct credssp_buf in = { (uint8_t *)(uintptr_t)data, size };
    struct credssp_buf framed = { NULL, 0 };
    const uint8_t *inner = NULL;
    size_t inner_len = 0;
    int is_framed = -1;

    if (size == 0 || credssp_token_add_header(&in, &framed) != 0) {
        return;
    }
    FUZZ_CHECK(credssp_token_strip_header(framed.data, framed.len, &inner,
                                          &inner_len, &is_framed) == 0);
    FUZZ_CHECK(is_framed == 1 && inner_len == size &&
               memcmp(inner, data, size) == 0);
    credssp_buf_free(&framed);
}

static void
fuzz_der_length(const uint8_t *data, size_t size, size_t limit)
{
    size_t total = 0, part = 0, k;
    int ret, part_ret;

    ret = credssp_token_der_length(data, size, limit, &total);
    if (ret == 0) {
        FUZZ_CHECK(total >= 2 && total <= limit);
    } else {
        FUZZ_CHECK(ret == CREDSSP_TOKEN_AGAIN ||
                   ret == CREDSSP_ERR_ASN1_TAG ||
                   ret == CREDSSP_ERR_ASN1_NOT_DER ||
                   ret == CREDSSP_ERR_TOO_LARGE);
    }
    for (k = 0; k < size && k < MAX_PREFIX; k++) {
        part_ret = credssp_token_der_length(data, k, limit, &part);
        if (part_ret == CREDSSP_TOKEN_AGAIN) {
            continue;
        }
        FUZZ_CHECK(part_ret == ret);
        FUZZ_CHECK(ret != 0 || part == total);
    }
}

static void
check_against_codec(const uint8_t *data, size_t size)
{
    struct credssp_ts_request req;
    size_t total = 0;

    memset(&req, 0, sizeof(req));
    if (credssp_asn1_decode_ts_request(data, size, &req) == 0) {
        FUZZ_CHECK(credssp_token_der_length(data, size,
                                            CREDSSP_ASN1_MAX_MESSAGE,
                                            &total) == 0);
        FUZZ_CHECK(total == size);
    }
    credssp_asn1_ts_request_free(&req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    fuzz_strip(data, size);
    fuzz_round_trip(data, size);
    fuzz_der_length(data, size, CREDSSP_ASN1_MAX_MESSAGE);
    fuzz_der_length(data, size, 127);
    fuzz_der_length(data, size, SIZE_MAX);
    check_against_codec(data, size);
    return 0;
}
