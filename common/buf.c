/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Counted buffers, the bounded read cursor and the growable writer.
 * Bounds checks compare against what remains, so they cannot overflow.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/zap.h"

static int grow(struct credssp_out *out, size_t extra);

static int
grow(struct credssp_out *out, size_t extra)
{
    size_t need, cap;
    uint8_t *data;

    if (extra > out->limit - out->len) {
        out->status = CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
        return out->status;
    }
    need = out->len + extra;
    if (need <= out->cap) {
        return 0;
    }
    cap = out->cap < 64 ? 64 : out->cap;
    while (cap < need) {
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    if (out->wipe) {
        /* Never let realloc leave a copy of a secret behind. */
        data = malloc(cap);
        if (data != NULL && out->len > 0) {
            memcpy(data, out->data, out->len);
        }
        if (data != NULL) {
            credssp_zapfree(out->data, out->cap);
        }
    } else {
        data = realloc(out->data, cap);
    }
    if (data == NULL) {
        out->status = ENOMEM;
        return out->status;
    }
    out->data = data;
    out->cap = cap;
    return 0;
}

void
credssp_buf_free(struct credssp_buf *b)
{
    if (b == NULL) {
        return;
    }
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

void
credssp_buf_wipe_free(struct credssp_buf *b)
{
    if (b == NULL) {
        return;
    }
    credssp_zapfree(b->data, b->len);
    b->data = NULL;
    b->len = 0;
}

int
credssp_buf_dup(struct credssp_buf *out, const void *data, size_t len)
{
    uint8_t *copy = NULL;

    if (len > 0) {
        copy = malloc(len);
        if (copy == NULL) {
            return ENOMEM;
        }
        memcpy(copy, data, len);
    }
    out->data = copy;
    out->len = len;
    return 0;
}

void
credssp_buf_move(struct credssp_buf *dst, struct credssp_buf *src)
{
    *dst = *src;
    src->data = NULL;
    src->len = 0;
}

void
credssp_in_init(struct credssp_in *in, const void *data, size_t len)
{
    in->ptr = data;
    in->len = data == NULL ? 0 : len;
    in->status = 0;
}

const uint8_t *
credssp_in_bytes(struct credssp_in *in, size_t n)
{
    const uint8_t *p;

    if (in->status != 0) {
        return NULL;
    }
    if (n > in->len) {
        in->status = CREDSSP_ERR(CREDSSP_ERR_SHORT_INPUT);
        return NULL;
    }
    p = in->ptr;
    in->ptr += n;
    in->len -= n;
    return p;
}

uint8_t
credssp_in_u8(struct credssp_in *in)
{
    const uint8_t *p = credssp_in_bytes(in, 1);

    return p == NULL ? 0 : p[0];
}

uint16_t
credssp_in_u16le(struct credssp_in *in)
{
    const uint8_t *p = credssp_in_bytes(in, 2);

    return p == NULL ? 0 : (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t
credssp_in_u32le(struct credssp_in *in)
{
    const uint8_t *p = credssp_in_bytes(in, 4);

    if (p == NULL) {
        return 0;
    }
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

uint16_t
credssp_in_u16be(struct credssp_in *in)
{
    const uint8_t *p = credssp_in_bytes(in, 2);

    return p == NULL ? 0 : (uint16_t)((p[0] << 8) | p[1]);
}

uint32_t
credssp_in_u32be(struct credssp_in *in)
{
    const uint8_t *p = credssp_in_bytes(in, 4);

    if (p == NULL) {
        return 0;
    }
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

void
credssp_out_init(struct credssp_out *out, int wipe, size_t limit)
{
    out->data = NULL;
    out->len = 0;
    out->cap = 0;
    out->limit = limit == 0 ? SIZE_MAX : limit;
    out->status = 0;
    out->wipe = wipe;
}

void
credssp_out_add(struct credssp_out *out, const void *data, size_t len)
{
    if (out->status != 0 || len == 0) {
        return;
    }
    if (grow(out, len) != 0) {
        return;
    }
    memcpy(out->data + out->len, data, len);
    out->len += len;
}

void
credssp_out_u8(struct credssp_out *out, uint8_t v)
{
    credssp_out_add(out, &v, 1);
}

void
credssp_out_u16le(struct credssp_out *out, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

    credssp_out_add(out, b, sizeof(b));
}

void
credssp_out_u32le(struct credssp_out *out, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };

    credssp_out_add(out, b, sizeof(b));
}

void
credssp_out_u16be(struct credssp_out *out, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

    credssp_out_add(out, b, sizeof(b));
}

void
credssp_out_u32be(struct credssp_out *out, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 8), (uint8_t)v };

    credssp_out_add(out, b, sizeof(b));
}

int
credssp_out_finish(struct credssp_out *out, struct credssp_buf *buf)
{
    int ret = out->status;

    if (ret != 0) {
        credssp_out_free(out);
        return ret;
    }
    if (out->wipe && out->cap > out->len) {
        credssp_zap(out->data + out->len, out->cap - out->len);
    }
    buf->data = out->data;
    buf->len = out->len;
    out->data = NULL;
    out->len = out->cap = 0;
    return 0;
}

void
credssp_out_free(struct credssp_out *out)
{
    if (out->wipe) {
        credssp_zapfree(out->data, out->cap);
    } else {
        free(out->data);
    }
    out->data = NULL;
    out->len = out->cap = 0;
}
