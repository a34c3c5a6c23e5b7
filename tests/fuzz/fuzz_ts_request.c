/* Target functions: credssp_asn1_decode_ts_request,
 * credssp_asn1_encode_ts_request */
/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * TSRequest (MS-CSSP 2.2.1) from hostile bytes.  A decodable input must
 * re-encode to exactly the input: the decoder takes strict DER only, and
 * DER has one encoding per value.  The one documented exception
 * (asn1/codec.h): errorCode is accepted as a signed or an unsigned
 * INTEGER and always written signed, so an errorCode of 0x80000000 or
 * more may arrive in a longer form; then the re-encoding must decode to
 * the same request and re-encode to itself.
 */
#include "config.h"

#include <string.h>

#include "asn1/codec.h"
#include "tests/fuzz/fuzz.h"

static int same_buf(const struct credssp_buf *a, const struct credssp_buf *b);
static int same_opt(const struct credssp_asn1_opt *a,
                    const struct credssp_asn1_opt *b);
static int same_request(const struct credssp_ts_request *a,
                        const struct credssp_ts_request *b);
static void check_reencoding(const uint8_t *data, size_t size,
                             const struct credssp_ts_request *req);

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
same_request(const struct credssp_ts_request *a,
             const struct credssp_ts_request *b)
{
    size_t i;

    if (a->version != b->version ||
        a->nego_tokens.present != b->nego_tokens.present ||
        a->nego_tokens.count != b->nego_tokens.count ||
        !same_opt(&a->auth_info, &b->auth_info) ||
        !same_opt(&a->pub_key_auth, &b->pub_key_auth) ||
        a->has_error_code != b->has_error_code ||
        a->error_code != b->error_code ||
        !same_opt(&a->client_nonce, &b->client_nonce)) {
        return 0;
    }
    for (i = 0; i < a->nego_tokens.count; i++) {
        if (!same_buf(&a->nego_tokens.tokens[i], &b->nego_tokens.tokens[i])) {
            return 0;
        }
    }
    return 1;
}

static void
check_reencoding(const uint8_t *data, size_t size,
                 const struct credssp_ts_request *req)
{
    struct credssp_ts_request again;
    struct credssp_buf der = { NULL, 0 }, der2 = { NULL, 0 };

    memset(&again, 0, sizeof(again));
    FUZZ_CHECK(credssp_asn1_encode_ts_request(req, &der) == 0);
    if (der.len == size && memcmp(der.data, data, size) == 0) {
        goto done;
    }
    /* Only the documented errorCode alias may change the bytes. */
    FUZZ_CHECK(req->has_error_code && req->error_code >= 0x80000000u);
    FUZZ_CHECK(credssp_asn1_decode_ts_request(der.data, der.len, &again) ==
               0);
    FUZZ_CHECK(same_request(req, &again));
    FUZZ_CHECK(credssp_asn1_encode_ts_request(&again, &der2) == 0);
    FUZZ_CHECK(der2.len == der.len &&
               memcmp(der2.data, der.data, der.len) == 0);

done:
    credssp_asn1_ts_request_free(&again);
    credssp_buf_free(&der2);
    credssp_buf_free(&der);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct credssp_ts_request req;

    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    memset(&req, 0, sizeof(req));
    if (credssp_asn1_decode_ts_request(data, size, &req) == 0) {
        check_reencoding(data, size, &req);
    }
    credssp_asn1_ts_request_free(&req);
    return 0;
}
