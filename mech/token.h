/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Token framing (DESIGN.md 4.1): the RFC 2743 3.1 header of the first
 * initiator token, and finding where a TSRequest ends in a stream of
 * decrypted bytes (a TSRequest is delimited by its DER length, not by TLS
 * records or GSS tokens).
 */
#ifndef CREDSSP_MECH_TOKEN_H
#define CREDSSP_MECH_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* credssp_token_der_length(): more bytes are needed. */
#define CREDSSP_TOKEN_AGAIN 1

/* out = 0x60 len 06 len <our OID> || inner.  0 or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_token_add_header(const struct credssp_buf *in,
                                                struct credssp_buf *out);

/*
 * The first token an acceptor sees: with an RFC 2743 header naming our
 * mechanism (framed), or the raw TLS records of an MS-CSSP peer (a TLS
 * handshake record, 0x16).  *inner points into in.  Errors:
 * CREDSSP_ERR_TOKEN_HEADER (malformed header, or neither form),
 * CREDSSP_ERR_WRONG_MECH (a header for another mechanism).
 */
CREDSSP_MUST_CHECK int credssp_token_strip_header(const uint8_t *in,
                                                  size_t len,
                                                  const uint8_t **inner,
                                                  size_t *inner_len,
                                                  int *framed);

/*
 * The length of the DER SEQUENCE at the start of data (header included):
 * 0 with *total set when the header is complete, CREDSSP_TOKEN_AGAIN when
 * more bytes are needed to know, CREDSSP_ERR_ASN1_TAG when the bytes do
 * not start a SEQUENCE, CREDSSP_ERR_ASN1_NOT_DER for a length that is not
 * minimal DER, CREDSSP_ERR_TOO_LARGE above limit bytes.
 */
CREDSSP_MUST_CHECK int credssp_token_der_length(const uint8_t *data,
                                                size_t len, size_t limit,
                                                size_t *total);

#endif /* CREDSSP_MECH_TOKEN_H */
