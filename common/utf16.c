/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Strict UTF-8 / UTF-16LE conversion (RFC 3629, RFC 2781).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "common/utf16.h"

static int decode_utf8(struct credssp_in *in, uint32_t *cp);
static void encode_utf8(struct credssp_out *out, uint32_t cp);

/* Read one scalar value; 0 or CREDSSP_ERR_UTF8. */
static int
decode_utf8(struct credssp_in *in, uint32_t *cp)
{
    uint8_t b = credssp_in_u8(in), c;
    uint32_t v, min;
    int n, i;

    if (b < 0x80) {
        v = b;
        n = 0;
        min = 0;
    } else if ((b & 0xe0) == 0xc0) {
        v = b & 0x1f;
        n = 1;
        min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
        v = b & 0x0f;
        n = 2;
        min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
        v = b & 0x07;
        n = 3;
        min = 0x10000;
    } else {
        return CREDSSP_ERR_UTF8;
    }
    for (i = 0; i < n; i++) {
        c = credssp_in_u8(in);
        if (in->status != 0 || (c & 0xc0) != 0x80) {
            return CREDSSP_ERR_UTF8;
        }
        v = (v << 6) | (c & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) || v == 0) {
        return CREDSSP_ERR_UTF8;
    }
    *cp = v;
    return 0;
}

static void
encode_utf8(struct credssp_out *out, uint32_t cp)
{
    if (cp < 0x80) {
        credssp_out_u8(out, (uint8_t)cp);
    } else if (cp < 0x800) {
        credssp_out_u8(out, (uint8_t)(0xc0 | (cp >> 6)));
        credssp_out_u8(out, (uint8_t)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        credssp_out_u8(out, (uint8_t)(0xe0 | (cp >> 12)));
        credssp_out_u8(out, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        credssp_out_u8(out, (uint8_t)(0x80 | (cp & 0x3f)));
    } else {
        credssp_out_u8(out, (uint8_t)(0xf0 | (cp >> 18)));
        credssp_out_u8(out, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
        credssp_out_u8(out, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        credssp_out_u8(out, (uint8_t)(0x80 | (cp & 0x3f)));
    }
}

int
credssp_utf8_to_utf16le(const char *in, size_t len, int wipe,
                        struct credssp_buf *out)
{
    struct credssp_in r;
    struct credssp_out w;
    uint32_t cp = 0;
    int ret;

    credssp_in_init(&r, in, len);
    credssp_out_init(&w, wipe, 0);
    while (r.len > 0) {
        ret = decode_utf8(&r, &cp);
        if (ret != 0) {
            credssp_out_free(&w);
            return CREDSSP_ERR(ret);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            credssp_out_u16le(&w, (uint16_t)(0xd800 | (cp >> 10)));
            credssp_out_u16le(&w, (uint16_t)(0xdc00 | (cp & 0x3ff)));
        } else {
            credssp_out_u16le(&w, (uint16_t)cp);
        }
    }
    cp = 0;
    return credssp_out_finish(&w, out);
}

int
credssp_utf16le_to_utf8(const uint8_t *in, size_t len, int wipe,
                        struct credssp_buf *out)
{
    struct credssp_in r;
    struct credssp_out w;
    struct credssp_buf res = { NULL, 0 };
    uint32_t hi, lo;
    int ret;

    if (len % 2 != 0) {
        return CREDSSP_ERR(CREDSSP_ERR_UTF16);
    }
    credssp_in_init(&r, in, len);
    credssp_out_init(&w, wipe, 0);
    while (r.len > 0) {
        hi = credssp_in_u16le(&r);
        if (hi >= 0xd800 && hi <= 0xdbff) {
            lo = r.len >= 2 ? credssp_in_u16le(&r) : 0;
            if (lo < 0xdc00 || lo > 0xdfff) {
                credssp_out_free(&w);
                return CREDSSP_ERR(CREDSSP_ERR_UTF16);
            }
            hi = 0x10000 + (((hi - 0xd800) << 10) | (lo - 0xdc00));
        } else if ((hi >= 0xdc00 && hi <= 0xdfff) || hi == 0) {
            credssp_out_free(&w);
            return CREDSSP_ERR(CREDSSP_ERR_UTF16);
        }
        encode_utf8(&w, hi);
    }
    credssp_out_u8(&w, 0);
    ret = credssp_out_finish(&w, &res);
    if (ret != 0) {
        return ret;
    }
    res.len--;
    *out = res;
    return 0;
}
