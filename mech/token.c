/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Token framing: RFC 2743 3.1 InitialContextToken headers and DER lengths.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gssapi/gssapi_credssp.h>

#include "mech/token.h"

/* First byte of a TLS handshake record (RFC 8446 5.1). */
#define TLS_HANDSHAKE_RECORD 0x16

static void put_length(struct credssp_out *out, size_t len);
static int get_length(struct credssp_in *in, size_t *len);

static void
put_length(struct credssp_out *out, size_t len)
{
    uint8_t bytes[sizeof(size_t)];
    size_t n = 0, v = len;

    if (len < 0x80) {
        credssp_out_u8(out, (uint8_t)len);
        return;
    }
    while (v > 0) {
        bytes[n++] = (uint8_t)v;
        v >>= 8;
    }
    credssp_out_u8(out, (uint8_t)(0x80 | n));
    while (n > 0) {
        credssp_out_u8(out, bytes[--n]);
    }
}

/* A strict DER definite length: 0, CREDSSP_TOKEN_AGAIN (truncated) or
 * CREDSSP_ERR_ASN1_NOT_DER. */
static int
get_length(struct credssp_in *in, size_t *len)
{
    uint8_t first = credssp_in_u8(in), b;
    size_t n, v = 0;

    if (in->status != 0) {
        return CREDSSP_TOKEN_AGAIN;
    }
    if (first < 0x80) {
        *len = first;
        return 0;
    }
    n = first & 0x7f;
    if (n == 0 || n > sizeof(size_t) - 1) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
    }
    while (n-- > 0) {
        b = credssp_in_u8(in);
        if (in->status != 0) {
            return CREDSSP_TOKEN_AGAIN;
        }
        if (v == 0 && b == 0) {
            return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
        }
        v = (v << 8) | b;
    }
    if (v < 0x80) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_NOT_DER);
    }
    *len = v;
    return 0;
}

int
credssp_token_add_header(const struct credssp_buf *in,
                         struct credssp_buf *out)
{
    struct credssp_out w;

    credssp_out_init(&w, 0, 0);
    credssp_out_u8(&w, 0x60);
    put_length(&w, 2 + GSS_CREDSSP_MECH_OID_LENGTH + in->len);
    credssp_out_u8(&w, 0x06);
    credssp_out_u8(&w, GSS_CREDSSP_MECH_OID_LENGTH);
    credssp_out_add(&w, GSS_CREDSSP_MECH_OID_BYTES,
                    GSS_CREDSSP_MECH_OID_LENGTH);
    credssp_out_add(&w, in->data, in->len);
    return credssp_out_finish(&w, out);
}

int
credssp_token_strip_header(const uint8_t *in, size_t len,
                           const uint8_t **inner, size_t *inner_len,
                           int *framed)
{
    struct credssp_in r;
    const uint8_t *oid;
    size_t body = 0, oid_len;

    if (len > 0 && in[0] == TLS_HANDSHAKE_RECORD) {
        *inner = in;
        *inner_len = len;
        *framed = 0;
        return 0;
    }
    credssp_in_init(&r, in, len);
    if (credssp_in_u8(&r) != 0x60 || get_length(&r, &body) != 0 ||
        body != r.len || credssp_in_u8(&r) != 0x06) {
        return CREDSSP_ERR(CREDSSP_ERR_TOKEN_HEADER);
    }
    oid_len = credssp_in_u8(&r);
    oid = credssp_in_bytes(&r, oid_len);
    if (oid == NULL || oid_len >= 0x80) {
        return CREDSSP_ERR(CREDSSP_ERR_TOKEN_HEADER);
    }
    if (oid_len != GSS_CREDSSP_MECH_OID_LENGTH ||
        memcmp(oid, GSS_CREDSSP_MECH_OID_BYTES, oid_len) != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_WRONG_MECH);
    }
    if (r.len == 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TOKEN_HEADER);
    }
    *inner = r.ptr;
    *inner_len = r.len;
    *framed = 1;
    return 0;
}

int
credssp_token_der_length(const uint8_t *data, size_t len, size_t limit,
                         size_t *total)
{
    struct credssp_in r;
    size_t body = 0, header;
    int ret;

    if (len == 0) {
        return CREDSSP_TOKEN_AGAIN;
    }
    if (data[0] != 0x30) {
        return CREDSSP_ERR(CREDSSP_ERR_ASN1_TAG);
    }
    credssp_in_init(&r, data + 1, len - 1);
    ret = get_length(&r, &body);
    if (ret != 0) {
        return ret;
    }
    header = len - r.len;
    if (body > limit || header > limit - body) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    *total = header + body;
    return 0;
}
