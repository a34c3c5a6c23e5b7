/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Per-message protection after establishment (DESIGN.md 4.8):
 * gss_wrap/gss_unwrap are TLS application-data records of the CredSSP TLS
 * session (what RDP and WinRM carry after CredSSP); gss_get_mic and
 * gss_verify_mic are the HMAC tokens of mic.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/zap.h"
#include "mech/ctx.h"
#include "mech/mech.h"
#include "mech/mic.h"

/* Overhead of one TLS record, with room for CBC suites. */
#define RECORD_OVERHEAD 256
#define RECORD_PAYLOAD 16384

#define PRF_LABEL "EXPORTER-gss-credssp-prf"
#define PRF_OUTPUT_MAX 65536
#define PRF_BLOCK 4096

static OM_uint32 fail(OM_uint32 *minor, int code);
static struct credssp_ctx *open_ctx(OM_uint32 *minor, gss_ctx_id_t handle,
                                    OM_uint32 *major);
static int prepend_early_data(struct credssp_ctx *ctx,
                              struct credssp_buf *plain);
static int unwrap_records(struct credssp_ctx *ctx, const void *token,
                          size_t len, struct credssp_buf *plain);

static OM_uint32
fail(OM_uint32 *minor, int code)
{
    *minor = (OM_uint32)code;
    return credssp_err_major(code);
}

/* The context if it is established, else NULL with the major set. */
static struct credssp_ctx *
open_ctx(OM_uint32 *minor, gss_ctx_id_t handle, OM_uint32 *major)
{
    struct credssp_ctx *ctx = (struct credssp_ctx *)handle;

    if (ctx == NULL) {
        *major = GSS_S_NO_CONTEXT;
        return NULL;
    }
    if (ctx->state != CREDSSP_STATE_DONE) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_CONTEXT_INCOMPLETE);
        *major = GSS_S_NO_CONTEXT;
        return NULL;
    }
    return ctx;
}

/* plain := the application data that arrived with the last TSRequest
 * (ctx->plain, then emptied) followed by plain. */
static int
prepend_early_data(struct credssp_ctx *ctx, struct credssp_buf *plain)
{
    struct credssp_out joined;
    int ret;

    credssp_out_init(&joined, 1, 0);
    credssp_out_add(&joined, ctx->plain.data, ctx->plain.len);
    credssp_out_add(&joined, plain->data, plain->len);
    credssp_buf_wipe_free(plain);
    ret = credssp_out_finish(&joined, plain);
    if (ret == 0) {
        credssp_buf_wipe_free(&ctx->plain);
    }
    return ret;
}

/*
 * The MIC keys, from the TLS exporter, derived by the first MIC call on
 * the context (most contexts never make one).  Callers may share an
 * established context between threads for get_mic, hence the lock.
 */
static int
mic_keys(struct credssp_ctx *ctx)
{
    uint8_t keys[2 * CREDSSP_MIC_KEY_BYTES];
    int ret = 0, initiator = ctx->role == CREDSSP_ROLE_INITIATOR;

    if (__atomic_load_n(&ctx->mic_ready, __ATOMIC_ACQUIRE)) {
        return 0;
    }
    pthread_mutex_lock(&ctx->mic_lock);
    if (ctx->mic_ready) {
        goto done;
    }
    ret = credssp_tls_export(ctx->tls, CREDSSP_MIC_LABEL, NULL, 0, keys,
                             sizeof(keys));
    if (ret != 0) {
        goto done;
    }
    memcpy(ctx->mic_key_send, keys + (initiator ? 0 : CREDSSP_MIC_KEY_BYTES),
           CREDSSP_MIC_KEY_BYTES);
    memcpy(ctx->mic_key_recv, keys + (initiator ? CREDSSP_MIC_KEY_BYTES : 0),
           CREDSSP_MIC_KEY_BYTES);
    __atomic_store_n(&ctx->mic_ready, 1, __ATOMIC_RELEASE);

done:
    credssp_zap(keys, sizeof(keys));
    pthread_mutex_unlock(&ctx->mic_lock);
    return ret;
}

OM_uint32
credssp_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
             int conf_req_flag, gss_qop_t qop_req,
             gss_buffer_t input_message_buffer, int *conf_state,
             gss_buffer_t output_message_buffer)
{
    struct credssp_buf out = { NULL, 0 };
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE;
    int ret;

    (void)conf_req_flag;
    *minor_status = 0;
    if (output_message_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    output_message_buffer->length = 0;
    output_message_buffer->value = NULL;
    if (input_message_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_READ;
    }
    if (qop_req != GSS_C_QOP_DEFAULT) {
        return GSS_S_BAD_QOP;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    /* TLS always encrypts: conf_req_flag cannot turn it off. */
    ret = credssp_tls_encrypt(ctx->tls, input_message_buffer->value,
                              input_message_buffer->length);
    if (ret == 0) {
        ret = credssp_tls_take_output(ctx->tls, &out);
    }
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    output_message_buffer->value = out.data;
    output_message_buffer->length = out.len;
    if (conf_state != NULL) {
        *conf_state = 1;
    }
    return GSS_S_COMPLETE;
}

/*
 * Replays.  A TLS record that comes again cannot be decrypted (its
 * sequence number is past), and a record that fails ends the session.  So
 * the last 16 bytes (the AEAD tag, or the last cipher block) of the first
 * record of each of the last WRAP_SEEN tokens unwrapped are kept; a token
 * whose first record ends the same way is a replay, refused before TLS
 * sees it, and the session goes on.  Older replays, reordered and altered
 * tokens fail as TLS record errors (TLS cannot tell them apart).
 */
#define WRAP_SEEN 64
#define WRAP_TAG 16

struct credssp_wrap_seen {
    uint8_t tag[WRAP_SEEN][WRAP_TAG];
    unsigned int next, count;
};

/* The tag of the first record of token, or NULL if it has none. */
static const uint8_t *
first_record_tag(const uint8_t *token, size_t len)
{
    size_t body;

    if (len < 5) {
        return NULL;
    }
    body = ((size_t)token[3] << 8) | token[4];
    if (body < WRAP_TAG || body > len - 5) {
        return NULL;
    }
    return token + 5 + body - WRAP_TAG;
}

static int
seen_before(const struct credssp_wrap_seen *seen, const uint8_t *tag)
{
    unsigned int i;

    for (i = 0; i < seen->count; i++) {
        if (memcmp(seen->tag[i], tag, WRAP_TAG) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
remember(struct credssp_wrap_seen *seen, const uint8_t *tag)
{
    memcpy(seen->tag[seen->next], tag, WRAP_TAG);
    seen->next = (seen->next + 1) % WRAP_SEEN;
    if (seen->count < WRAP_SEEN) {
        seen->count++;
    }
}

/* Whole TLS records in, their plaintext out (early data first). */
static int
unwrap_records(struct credssp_ctx *ctx, const void *token, size_t len,
               struct credssp_buf *plain)
{
    const uint8_t *tag = first_record_tag(token, len);
    int ret;

    if (tag != NULL && ctx->wrap_seen == NULL) {
        ctx->wrap_seen = calloc(1, sizeof(*ctx->wrap_seen));
        if (ctx->wrap_seen == NULL) {
            return ENOMEM;
        }
    }
    if (tag != NULL && seen_before(ctx->wrap_seen, tag)) {
        return CREDSSP_ERR(CREDSSP_ERR_WRAP_REPLAY);
    }
    ret = credssp_tls_feed(ctx->tls, token, len);
    if (ret == 0) {
        ret = credssp_tls_decrypt(ctx->tls, plain);
    }
    if (ret == 0 && ctx->plain.len > 0) {
        /* Application data that came with the last TSRequest first. */
        ret = prepend_early_data(ctx, plain);
    }
    if (ret == 0 && credssp_tls_pending_input(ctx->tls) != 0) {
        /* A wrap token is whole records.  The tail cannot wait for the
         * rest (the next token would be read as the end of this one), so
         * the session is failed for good with this reason. */
        credssp_buf_wipe_free(plain);
        ret = CREDSSP_ERR(CREDSSP_ERR_WRAP_PARTIAL);
        credssp_tls_fail(ctx->tls, ret);
    }
    if (ret == 0 && tag != NULL) {
        remember(ctx->wrap_seen, tag);
    }
    return ret;
}

OM_uint32
credssp_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
               gss_buffer_t input_message_buffer,
               gss_buffer_t output_message_buffer, int *conf_state,
               gss_qop_t *qop_state)
{
    struct credssp_buf plain = { NULL, 0 };
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE;
    int ret;

    *minor_status = 0;
    if (output_message_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    output_message_buffer->length = 0;
    output_message_buffer->value = NULL;
    if (input_message_buffer == GSS_C_NO_BUFFER ||
        input_message_buffer->length == 0) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_SHORT_INPUT));
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    ret = unwrap_records(ctx, input_message_buffer->value,
                         input_message_buffer->length, &plain);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    if (plain.len == 0) {
        /* The mechglue's gss_release_buffer frees nothing of length 0. */
        credssp_buf_free(&plain);
    }
    output_message_buffer->value = plain.data;
    output_message_buffer->length = plain.len;
    if (conf_state != NULL) {
        *conf_state = 1;
    }
    if (qop_state != NULL) {
        *qop_state = GSS_C_QOP_DEFAULT;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                        int conf_req_flag, gss_qop_t qop_req,
                        OM_uint32 req_output_size,
                        OM_uint32 *max_input_size)
{
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE, records, overhead;

    (void)conf_req_flag;
    *minor_status = 0;
    if (qop_req != GSS_C_QOP_DEFAULT) {
        return GSS_S_BAD_QOP;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    /* Whole records of up to 16 KiB, each with the session's largest
     * overhead (exact for AEAD suites; CBC's padding bounded). */
    overhead = (OM_uint32)credssp_tls_record_overhead(ctx->tls);
    if (overhead == 0 || overhead > RECORD_OVERHEAD) {
        overhead = RECORD_OVERHEAD;
    }
    records = req_output_size / (RECORD_PAYLOAD + overhead);
    *max_input_size = records * RECORD_PAYLOAD;
    req_output_size -= records * (RECORD_PAYLOAD + overhead);
    if (req_output_size > overhead) {
        *max_input_size += req_output_size - overhead;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                gss_qop_t qop_req, gss_buffer_t message_buffer,
                gss_buffer_t message_token)
{
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE;
    uint8_t *token;
    int ret;

    *minor_status = 0;
    if (message_token == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    message_token->length = 0;
    message_token->value = NULL;
    if (message_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_READ;
    }
    if (qop_req != GSS_C_QOP_DEFAULT) {
        return GSS_S_BAD_QOP;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    ret = mic_keys(ctx);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    token = malloc(CREDSSP_MIC_TOKEN_LEN);
    if (token == NULL) {
        return fail(minor_status, ENOMEM);
    }
    ret = credssp_mic_make(ctx->mic_key_send,
                           __atomic_fetch_add(&ctx->mic_seq_send, 1,
                                              __ATOMIC_RELAXED),
                           message_buffer->value, message_buffer->length,
                           token);
    if (ret != 0) {
        free(token);
        return fail(minor_status, ret);
    }
    message_token->value = token;
    message_token->length = CREDSSP_MIC_TOKEN_LEN;
    return GSS_S_COMPLETE;
}

/* A valid MIC out of order or again is reported with the supplementary
 * bits of RFC 2743 1.2.3, as the krb5 mechanism does (mech/mic.h). */
OM_uint32
credssp_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                   gss_buffer_t message_buffer, gss_buffer_t token_buffer,
                   gss_qop_t *qop_state)
{
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE;
    uint64_t seq = 0;
    int ret;

    *minor_status = 0;
    if (message_buffer == GSS_C_NO_BUFFER ||
        token_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_READ;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    ret = mic_keys(ctx);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    ret = credssp_mic_check(ctx->mic_key_recv, token_buffer->value,
                            token_buffer->length, message_buffer->value,
                            message_buffer->length, &seq);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    if (qop_state != NULL) {
        *qop_state = GSS_C_QOP_DEFAULT;
    }
    return GSS_S_COMPLETE | credssp_mic_window_check(&ctx->mic_recv, seq);
}

/*
 * RFC 4401 from the TLS exporter, in blocks: the output is T(1) || T(2)
 * || ... cut to the length asked, where T(i) is the exporter with label
 * "EXPORTER-gss-credssp-prf", context prf_key (4 bytes, big-endian) ||
 * i (4 bytes, big-endian) || prf_in, and length min(PRF_BLOCK, what is
 * still missing).  Blocks, because a TLS 1.3 exporter gives at most 255
 * hash lengths (8160 bytes with SHA-256) and RFC 4401 asks for 2^14 at
 * least.  Both ends of a context derive the same bytes; different
 * contexts never do.
 */
OM_uint32
credssp_pseudo_random(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                      int prf_key, const gss_buffer_t prf_in,
                      ssize_t desired_output_len, gss_buffer_t prf_out)
{
    struct credssp_buf context = { NULL, 0 };
    struct credssp_out seed;
    struct credssp_ctx *ctx;
    OM_uint32 major = GSS_S_COMPLETE;
    size_t len, off, n;
    uint32_t block;
    uint8_t *out;
    int ret = 0;

    *minor_status = 0;
    if (prf_out == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    prf_out->length = 0;
    prf_out->value = NULL;
    if ((prf_key != GSS_C_PRF_KEY_FULL && prf_key != GSS_C_PRF_KEY_PARTIAL) ||
        desired_output_len <= 0 || desired_output_len > PRF_OUTPUT_MAX) {
        return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_BAD_ARGUMENT));
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    len = (size_t)desired_output_len;
    out = malloc(len);
    if (out == NULL) {
        return fail(minor_status, ENOMEM);
    }
    for (off = 0, block = 1; ret == 0 && off < len; off += n, block++) {
        n = len - off < PRF_BLOCK ? len - off : PRF_BLOCK;
        credssp_out_init(&seed, 0, 0xffff);
        credssp_out_u32be(&seed, (uint32_t)prf_key);
        credssp_out_u32be(&seed, block);
        if (prf_in != GSS_C_NO_BUFFER) {
            credssp_out_add(&seed, prf_in->value, prf_in->length);
        }
        ret = credssp_out_finish(&seed, &context);
        if (ret == 0) {
            ret = credssp_tls_export(ctx->tls, PRF_LABEL, context.data,
                                     context.len, out + off, n);
        }
        credssp_buf_free(&context);
    }
    if (ret != 0) {
        credssp_zapfree(out, len);
        return fail(minor_status, ret);
    }
    prf_out->value = out;
    prf_out->length = len;
    return GSS_S_COMPLETE;
}

/* ------------------------------------------------------------------ */
/* IOV: one TLS record as HEADER | DATA... | TRAILER                   */
/* ------------------------------------------------------------------ */

/*
 * The SSPI stream shape (what WinRM's message encryption uses): HEADER is
 * the record header and any explicit nonce, the DATA buffers are the
 * ciphertext in place (same lengths), TRAILER the rest (TLS 1.3: the
 * encrypted content type and the tag; TLS 1.2: the tag).  Their
 * concatenation is exactly one record of the CredSSP TLS session, so
 * gss_unwrap takes it, and a gss_wrap token of at most 16 KiB of data
 * splits into them.  Zero bytes of data make the padded empty record of
 * TLS 1.3 (none exists in TLS 1.2).  SIGN_ONLY data cannot be carried by
 * a TLS record.
 */
struct iov_parts {
    gss_iov_buffer_t header, trailer, padding, stream;
    size_t data_len;
    int data_count;
};

static int
iov_sort(gss_iov_buffer_desc *iov, int count, struct iov_parts *p)
{
    int i;

    memset(p, 0, sizeof(*p));
    if (iov == GSS_C_NO_IOV_BUFFER || count < 0) {
        return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
    }
    for (i = 0; i < count; i++) {
        gss_iov_buffer_t b = &iov[i];

        switch (GSS_IOV_BUFFER_TYPE(b->type)) {
        case GSS_IOV_BUFFER_TYPE_EMPTY:
            break;
        case GSS_IOV_BUFFER_TYPE_DATA:
            p->data_len += b->buffer.length;
            p->data_count++;
            break;
        case GSS_IOV_BUFFER_TYPE_HEADER:
            if (p->header != NULL) {
                return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
            }
            p->header = b;
            break;
        case GSS_IOV_BUFFER_TYPE_TRAILER:
            if (p->trailer != NULL) {
                return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
            }
            p->trailer = b;
            break;
        case GSS_IOV_BUFFER_TYPE_PADDING:
            p->padding = b;
            break;
        case GSS_IOV_BUFFER_TYPE_STREAM:
            if (p->stream != NULL) {
                return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
            }
            p->stream = b;
            break;
        case GSS_IOV_BUFFER_TYPE_SIGN_ONLY:
            if (b->buffer.length > 0) {
                return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
            }
            break;
        default:
            return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
        }
    }
    return 0;
}

/* Give b exactly len bytes: allocated when asked, else checked. */
static int
iov_size(gss_iov_buffer_t b, size_t len)
{
    if ((b->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) != 0) {
        if ((b->type & GSS_IOV_BUFFER_FLAG_ALLOCATED) != 0) {
            free(b->buffer.value);
        }
        b->buffer.value = malloc(len > 0 ? len : 1);
        if (b->buffer.value == NULL) {
            b->buffer.length = 0;
            return ENOMEM;
        }
        b->type |= GSS_IOV_BUFFER_FLAG_ALLOCATED;
    } else if (b->buffer.length < len ||
               (len > 0 && b->buffer.value == NULL)) {
        return CREDSSP_ERR(CREDSSP_ERR_IOV_TOO_SMALL);
    }
    b->buffer.length = len;
    return 0;
}

/* The header and trailer lengths for data_len bytes of data. */
static int
iov_layout(struct credssp_ctx *ctx, const struct iov_parts *p,
           size_t *header, size_t *trailer)
{
    if (p->header == NULL || p->trailer == NULL || p->stream != NULL) {
        return CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT);
    }
    if (p->data_len > RECORD_PAYLOAD) {
        return CREDSSP_ERR(CREDSSP_ERR_TOO_LARGE);
    }
    return credssp_tls_record_layout(ctx->tls, p->data_len, header,
                                     trailer);
}

OM_uint32
credssp_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                        int conf_req_flag, gss_qop_t qop_req, int *conf_state,
                        gss_iov_buffer_desc *iov, int iov_count)
{
    struct credssp_ctx *ctx;
    struct iov_parts p;
    OM_uint32 major = GSS_S_COMPLETE;
    size_t header = 0, trailer = 0;
    int ret;

    (void)conf_req_flag;
    *minor_status = 0;
    if (qop_req != GSS_C_QOP_DEFAULT) {
        return GSS_S_BAD_QOP;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    ret = iov_sort(iov, iov_count, &p);
    if (ret == 0) {
        ret = iov_layout(ctx, &p, &header, &trailer);
    }
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    p.header->buffer.length = header;
    p.trailer->buffer.length = trailer;
    if (p.padding != NULL) {
        p.padding->buffer.length = 0;
    }
    if (conf_state != NULL) {
        *conf_state = 1;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                 int conf_req_flag, gss_qop_t qop_req, int *conf_state,
                 gss_iov_buffer_desc *iov, int iov_count)
{
    struct credssp_buf plain = { NULL, 0 }, rec = { NULL, 0 };
    struct credssp_ctx *ctx;
    struct iov_parts p;
    OM_uint32 major = GSS_S_COMPLETE;
    size_t header = 0, trailer = 0, off;
    int i, ret;

    (void)conf_req_flag;
    *minor_status = 0;
    if (qop_req != GSS_C_QOP_DEFAULT) {
        return GSS_S_BAD_QOP;
    }
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    /* Every size is settled before the record is sealed: a record made
     * and then dropped would put the session out of step. */
    ret = iov_sort(iov, iov_count, &p);
    if (ret == 0) {
        ret = iov_layout(ctx, &p, &header, &trailer);
    }
    if (ret == 0) {
        ret = iov_size(p.header, header);
    }
    if (ret == 0) {
        ret = iov_size(p.trailer, trailer);
    }
    if (ret == 0 && p.padding != NULL) {
        p.padding->buffer.length = 0;
    }
    if (ret == 0) {
        struct credssp_out gather;

        credssp_out_init(&gather, 1, 0);
        for (i = 0; i < iov_count; i++) {
            if (GSS_IOV_BUFFER_TYPE(iov[i].type) ==
                GSS_IOV_BUFFER_TYPE_DATA) {
                credssp_out_add(&gather, iov[i].buffer.value,
                                iov[i].buffer.length);
            }
        }
        ret = credssp_out_finish(&gather, &plain);
        if (ret == 0) {
            ret = credssp_tls_encrypt(ctx->tls, plain.data, plain.len);
        }
        if (ret == 0) {
            ret = credssp_tls_take_output(ctx->tls, &rec);
        }
        if (ret == 0 && rec.len != header + p.data_len + trailer) {
            ret = CREDSSP_ERR(CREDSSP_ERR_INTERNAL);
        }
        if (ret == 0) {
            memcpy(p.header->buffer.value, rec.data, header);
            off = header;
            for (i = 0; i < iov_count; i++) {
                if (GSS_IOV_BUFFER_TYPE(iov[i].type) ==
                        GSS_IOV_BUFFER_TYPE_DATA &&
                    iov[i].buffer.length > 0) {
                    memcpy(iov[i].buffer.value, rec.data + off,
                           iov[i].buffer.length);
                    off += iov[i].buffer.length;
                }
            }
            memcpy(p.trailer->buffer.value, rec.data + off, trailer);
        }
    }
    credssp_buf_wipe_free(&plain);
    credssp_buf_free(&rec);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    if (conf_state != NULL) {
        *conf_state = 1;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                   int *conf_state, gss_qop_t *qop_state,
                   gss_iov_buffer_desc *iov, int iov_count)
{
    struct credssp_buf plain = { NULL, 0 }, rec = { NULL, 0 };
    struct credssp_ctx *ctx;
    struct iov_parts p;
    gss_iov_buffer_t data = NULL;
    OM_uint32 major = GSS_S_COMPLETE;
    size_t off;
    int i, ret;

    *minor_status = 0;
    ctx = open_ctx(minor_status, context_handle, &major);
    if (ctx == NULL) {
        return major;
    }
    ret = iov_sort(iov, iov_count, &p);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    if (p.stream != NULL) {
        /* STREAM and one DATA: the plaintext goes into the stream
         * buffer, after the record header, and DATA points at it. */
        for (i = 0; i < iov_count; i++) {
            if (GSS_IOV_BUFFER_TYPE(iov[i].type) ==
                GSS_IOV_BUFFER_TYPE_DATA) {
                data = &iov[i];
            }
        }
        if (data == NULL || p.data_count != 1 || p.header != NULL ||
            p.trailer != NULL || p.stream->buffer.length == 0) {
            return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT));
        }
        ret = unwrap_records(ctx, p.stream->buffer.value,
                             p.stream->buffer.length, &plain);
        if (ret == 0 && plain.len > p.stream->buffer.length) {
            ret = CREDSSP_ERR(CREDSSP_ERR_IOV_TOO_SMALL);
        }
        if (ret == 0) {
            off = p.stream->buffer.length - plain.len >= 5 ? 5 : 0;
            if (plain.len > 0) {
                memcpy((uint8_t *)p.stream->buffer.value + off, plain.data,
                       plain.len);
            }
            data->buffer.value = (uint8_t *)p.stream->buffer.value + off;
            data->buffer.length = plain.len;
        }
    } else {
        struct credssp_out gather;

        if (p.header == NULL || p.trailer == NULL) {
            return fail(minor_status, CREDSSP_ERR(CREDSSP_ERR_IOV_LAYOUT));
        }
        credssp_out_init(&gather, 0, 0);
        credssp_out_add(&gather, p.header->buffer.value,
                        p.header->buffer.length);
        for (i = 0; i < iov_count; i++) {
            if (GSS_IOV_BUFFER_TYPE(iov[i].type) ==
                GSS_IOV_BUFFER_TYPE_DATA) {
                credssp_out_add(&gather, iov[i].buffer.value,
                                iov[i].buffer.length);
            }
        }
        credssp_out_add(&gather, p.trailer->buffer.value,
                        p.trailer->buffer.length);
        ret = credssp_out_finish(&gather, &rec);
        if (ret == 0 && rec.len == 0) {
            ret = CREDSSP_ERR(CREDSSP_ERR_SHORT_INPUT);
        }
        if (ret == 0) {
            ret = unwrap_records(ctx, rec.data, rec.len, &plain);
        }
        if (ret == 0 && plain.len != p.data_len) {
            ret = CREDSSP_ERR(CREDSSP_ERR_IOV_TOO_SMALL);
        }
        for (i = 0, off = 0; ret == 0 && i < iov_count; i++) {
            if (GSS_IOV_BUFFER_TYPE(iov[i].type) ==
                    GSS_IOV_BUFFER_TYPE_DATA &&
                iov[i].buffer.length > 0) {
                memcpy(iov[i].buffer.value, plain.data + off,
                       iov[i].buffer.length);
                off += iov[i].buffer.length;
            }
        }
    }
    credssp_buf_wipe_free(&plain);
    credssp_buf_free(&rec);
    if (ret != 0) {
        return fail(minor_status, ret);
    }
    if (conf_state != NULL) {
        *conf_state = 1;
    }
    if (qop_state != NULL) {
        *qop_state = GSS_C_QOP_DEFAULT;
    }
    return GSS_S_COMPLETE;
}
