/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The CredSSP MIC token (see mic.h).
 */
#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gssapi/gssapi.h>

#include "common/zap.h"
#include "mech/mic.h"

static int digest(const uint8_t *key, const uint8_t seq_bytes[8],
                  const void *msg, size_t len, uint8_t out[32]);

static int
digest(const uint8_t *key, const uint8_t seq_bytes[8], const void *msg,
       size_t len, uint8_t out[32])
{
    gnutls_hmac_hd_t h;

    if (gnutls_hmac_init(&h, GNUTLS_MAC_SHA256, key,
                         CREDSSP_MIC_KEY_BYTES) < 0) {
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
    if (gnutls_hmac(h, seq_bytes, 8) < 0 ||
        (len > 0 && gnutls_hmac(h, msg, len) < 0)) {
        gnutls_hmac_deinit(h, NULL);
        return CREDSSP_ERR(CREDSSP_ERR_TLS_INTERNAL);
    }
    gnutls_hmac_deinit(h, out);
    return 0;
}

int
credssp_mic_make(const uint8_t *key, uint64_t seq, const void *msg,
                 size_t len, uint8_t token[CREDSSP_MIC_TOKEN_LEN])
{
    int i;

    for (i = 0; i < 8; i++) {
        token[i] = (uint8_t)(seq >> (56 - 8 * i));
    }
    return digest(key, token, msg, len, token + 8);
}

int
credssp_mic_check(const uint8_t *key, const uint8_t *token,
                  size_t token_len, const void *msg, size_t len,
                  uint64_t *seq)
{
    uint8_t expect[32];
    uint64_t v = 0;
    int i, ret;

    if (token_len != CREDSSP_MIC_TOKEN_LEN) {
        return CREDSSP_ERR(CREDSSP_ERR_MIC_BAD);
    }
    ret = digest(key, token, msg, len, expect);
    if (ret != 0) {
        return ret;
    }
    ret = credssp_ct_equal(expect, token + 8, sizeof(expect))
              ? 0
              : CREDSSP_ERR(CREDSSP_ERR_MIC_BAD);
    credssp_zap(expect, sizeof(expect));
    if (ret == 0) {
        for (i = 0; i < 8; i++) {
            v = (v << 8) | token[i];
        }
        *seq = v;
    }
    return ret;
}

unsigned int
credssp_mic_window_check(struct credssp_mic_window *w, uint64_t seq)
{
    uint64_t back, shift;

    if (seq >= w->next) {
        shift = seq - w->next + 1;
        w->seen = shift >= CREDSSP_MIC_WINDOW ? 1 : (w->seen << shift) | 1;
        w->next = seq + 1;
        return shift == 1 ? 0 : GSS_S_GAP_TOKEN;
    }
    back = w->next - 1 - seq;
    if (back >= CREDSSP_MIC_WINDOW) {
        return GSS_S_OLD_TOKEN;
    }
    if (w->seen & ((uint64_t)1 << back)) {
        return GSS_S_DUPLICATE_TOKEN;
    }
    w->seen |= (uint64_t)1 << back;
    return GSS_S_UNSEQ_TOKEN;
}
