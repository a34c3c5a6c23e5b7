/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Counted byte buffers (STYLE.md 4.6):
 *   struct credssp_buf  owned bytes;
 *   struct credssp_in   a read cursor with a sticky status: a read past the
 *                       end returns nothing and records
 *                       CREDSSP_ERR_SHORT_INPUT;
 *   struct credssp_out  a growable writer with a sticky status and an
 *                       optional wipe-on-grow/free mode for secrets.
 * Callers check the sticky status once, at the end.
 */
#ifndef CREDSSP_COMMON_BUF_H
#define CREDSSP_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct credssp_buf {
    uint8_t *data;
    size_t len;
};

/* Free b->data and leave b empty.  Accepts NULL. */
void credssp_buf_free(struct credssp_buf *b);

/* Wipe, free b->data and leave b empty.  Accepts NULL. */
void credssp_buf_wipe_free(struct credssp_buf *b);

/* Copy len bytes into a new buffer (a zero-length copy has data == NULL).
 * Returns 0 or ENOMEM; out is untouched on failure. */
CREDSSP_MUST_CHECK int credssp_buf_dup(struct credssp_buf *out,
                                       const void *data, size_t len);

/* Hand the contents of src over to dst (dst must be empty); src is left
 * empty. */
void credssp_buf_move(struct credssp_buf *dst, struct credssp_buf *src);

/* Read cursor over borrowed bytes. */
struct credssp_in {
    const uint8_t *ptr;
    size_t len;
    int status;
};

void credssp_in_init(struct credssp_in *in, const void *data, size_t len);

/* The next n bytes, or NULL when fewer than n remain (the status becomes
 * CREDSSP_ERR_SHORT_INPUT) or the status is already set.  The integer
 * readers return 0 in those cases. */
const uint8_t *credssp_in_bytes(struct credssp_in *in, size_t n);
uint8_t credssp_in_u8(struct credssp_in *in);
uint16_t credssp_in_u16le(struct credssp_in *in);
uint32_t credssp_in_u32le(struct credssp_in *in);
uint16_t credssp_in_u16be(struct credssp_in *in);
uint32_t credssp_in_u32be(struct credssp_in *in);

/* Growable writer. */
struct credssp_out {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t limit;
    int status;
    int wipe;
};

/* Start an empty writer.  wipe != 0: every buffer it discards is wiped
 * first (use it for anything that will hold a secret).  limit bounds the
 * total length (0 = SIZE_MAX); exceeding it records CREDSSP_ERR_TOO_LARGE. */
void credssp_out_init(struct credssp_out *out, int wipe, size_t limit);

void credssp_out_add(struct credssp_out *out, const void *data, size_t len);
void credssp_out_u8(struct credssp_out *out, uint8_t v);
void credssp_out_u16le(struct credssp_out *out, uint16_t v);
void credssp_out_u32le(struct credssp_out *out, uint32_t v);
void credssp_out_u16be(struct credssp_out *out, uint16_t v);
void credssp_out_u32be(struct credssp_out *out, uint32_t v);

/* Hand the bytes written so far to buf (which must be empty) and reset the
 * writer.  Returns the sticky status; on failure nothing is handed over
 * and the writer is released. */
CREDSSP_MUST_CHECK int credssp_out_finish(struct credssp_out *out,
                                          struct credssp_buf *buf);

/* Release the writer's memory (wiped in wipe mode). */
void credssp_out_free(struct credssp_out *out);

#endif /* CREDSSP_COMMON_BUF_H */
