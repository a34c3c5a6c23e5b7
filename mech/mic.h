/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * gss_get_mic / gss_verify_mic for CredSSP (DESIGN.md 4.8).  Windows
 * CredSSP has no MIC; ours is an extension for GSS applications (SASL,
 * OpenSSH) that need one:
 *
 *   keys   TLS exporter (RFC 5705), label "EXPORTER-gss-credssp-mic", no
 *          context, 64 bytes: the first 32 key initiator-to-acceptor MICs,
 *          the last 32 acceptor-to-initiator ones;
 *   token  seq (8 bytes, big-endian, from 0 per direction) ||
 *          HMAC-SHA-256(key, seq || message)   -- 40 bytes.
 */
#ifndef CREDSSP_MECH_MIC_H
#define CREDSSP_MECH_MIC_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define CREDSSP_MIC_LABEL "EXPORTER-gss-credssp-mic"
#define CREDSSP_MIC_KEY_BYTES 32
#define CREDSSP_MIC_TOKEN_LEN 40

/* The token for message under key with sequence number seq.  0 or
 * CREDSSP_ERR_TLS_INTERNAL. */
CREDSSP_MUST_CHECK int credssp_mic_make(const uint8_t *key, uint64_t seq,
                                        const void *msg, size_t len,
                                        uint8_t token[CREDSSP_MIC_TOKEN_LEN]);

/* Check token (any length) for message; on success *seq is the sequence
 * number it carries.  0, CREDSSP_ERR_MIC_BAD (wrong length or digest) or
 * CREDSSP_ERR_TLS_INTERNAL. */
CREDSSP_MUST_CHECK int credssp_mic_check(const uint8_t *key,
                                         const uint8_t *token,
                                         size_t token_len, const void *msg,
                                         size_t len, uint64_t *seq);

/*
 * The receiver's view of the sequence numbers of valid MICs (RFC 2743
 * 1.2.3, the window krb5 keeps too): next is the one expected, bit i of
 * seen says whether next - 1 - i has been verified.
 */
#define CREDSSP_MIC_WINDOW 64

struct credssp_mic_window {
    uint64_t next;
    uint64_t seen;
};

/* Record seq as verified; the supplementary status for it: 0 (in order),
 * GSS_S_GAP_TOKEN (later ones skipped), GSS_S_UNSEQ_TOKEN (an earlier one
 * not seen before), GSS_S_DUPLICATE_TOKEN (seen before) or
 * GSS_S_OLD_TOKEN (too old to tell). */
unsigned int credssp_mic_window_check(struct credssp_mic_window *w,
                                      uint64_t seq);

#endif /* CREDSSP_MECH_MIC_H */
