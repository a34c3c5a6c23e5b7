/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Typed DER encoding and decoding of the MS-CSSP messages (MS-CSSP 2.2.1
 * TSRequest, 2.2.1.1 NegoData, 2.2.1.2 TSCredentials, 2.2.1.2.1
 * TSPasswordCreds, 2.2.1.2.2 TSSmartCardCreds, 2.2.1.2.2.1
 * TSCspDataDetail, 2.2.1.2.3 TSRemoteGuardCreds, 2.2.1.2.3.1
 * TSRemoteGuardPackageCred).  The ASN.1 module is asn1/credssp.asn; the
 * ASN.1 library behind this header is an implementation detail that never
 * shows through it.
 *
 * Conventions shared by every function below:
 *
 * - Return value: 0 on success, a CREDSSP_ERR_* code from
 *   <gssapi/gssapi_credssp_err.h>, or ENOMEM.
 * - Byte strings are counted (struct credssp_buf); credential strings are
 *   raw UTF-16LE exactly as on the wire, without a terminating NUL.  A
 *   credssp_buf with len == 0 is an empty string (data may be NULL); a
 *   non-zero len with data == NULL is refused with CREDSSP_ERR_BAD_ARGUMENT.
 * - OPTIONAL fields carry a present flag, so an absent field and a field
 *   that is present but empty are different values and both round-trip.
 * - Decoders accept DER only (strict: definite minimal lengths, minimal
 *   INTEGERs, fields in order) and must consume the whole input.  On
 *   success *out is overwritten and owns fresh copies of every byte
 *   string; the caller releases it with the matching *_free function.  On
 *   failure *out is left zeroed, owns nothing, and need not be freed
 *   (freeing it is harmless).  A failed decode classifies the input with
 *   exactly one code, checked in byte order:
 *     CREDSSP_ERR_TOO_LARGE         the input exceeds
 *                                   CREDSSP_ASN1_MAX_MESSAGE (checked
 *                                   before anything else)
 *     CREDSSP_ERR_ASN1_TRUNCATED    the input (or an enclosing TLV) ends
 *                                   inside a header or before the end of
 *                                   a declared length; also empty input
 *     CREDSSP_ERR_ASN1_NOT_DER      indefinite length, a long-form length
 *                                   where the short form fits, a long
 *                                   form with leading zero bytes, or a
 *                                   non-minimal INTEGER
 *     CREDSSP_ERR_ASN1_TAG          an unexpected tag: wrong universal
 *                                   tag, a context tag the type does not
 *                                   define, fields out of order or twice
 *     CREDSSP_ERR_ASN1_MISSING      a mandatory field is absent
 *     CREDSSP_ERR_ASN1_FIELD_SIZE   a field above its CREDSSP_ASN1_MAX_*
 *                                   limit, or too many elements in a
 *                                   SEQUENCE OF (refused before anything
 *                                   is allocated for it)
 *     CREDSSP_ERR_ASN1_MALFORMED    anything else structurally wrong
 *                                   (an explicit tag not wrapping exactly
 *                                   one TLV, an empty INTEGER, ...)
 *     CREDSSP_ERR_ASN1_TRAILING     bytes after a complete message
 *     CREDSSP_ERR_ASN1_RANGE        an INTEGER outside its range (see the
 *                                   structs)
 *     CREDSSP_ERR_BAD_NONCE         clientNonce present, length != 32
 * - Encoders overwrite *out (treat it as uninitialised: anything it held
 *   is not freed) with a newly allocated DER encoding the caller owns;
 *   on failure *out is set to empty.  They enforce the same field limits
 *   (CREDSSP_ERR_ASN1_FIELD_SIZE), the nonce length
 *   (CREDSSP_ERR_BAD_NONCE) and CREDSSP_ASN1_MAX_MESSAGE for the result
 *   (CREDSSP_ERR_TOO_LARGE).  Encodings of credential structures are
 *   built in memory that is wiped if anything fails; release them with
 *   credssp_buf_wipe_free().
 * - The *_free functions accept NULL, wipe every byte string before
 *   freeing it, and leave the struct zeroed (ready for reuse).
 * - All functions are thread-safe; the ASN.1 definitions are loaded once
 *   on first use.
 */
#ifndef CREDSSP_ASN1_CODEC_H
#define CREDSSP_ASN1_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* Size limits, in bytes of field content unless stated otherwise. */
#define CREDSSP_ASN1_MAX_MESSAGE 65536      /* any whole message (DER) */
#define CREDSSP_ASN1_MAX_NEGO_TOKEN 49152   /* one NegoData negoToken */
#define CREDSSP_ASN1_MAX_NEGO_TOKENS 8      /* NegoData elements */
#define CREDSSP_ASN1_MAX_AUTH_INFO 61440    /* authInfo */
#define CREDSSP_ASN1_MAX_PUB_KEY_AUTH 8192  /* pubKeyAuth */
#define CREDSSP_ASN1_MAX_CREDENTIALS 61440  /* TSCredentials.credentials */
#define CREDSSP_ASN1_MAX_NAME 1024          /* every UTF-16LE name/hint */
#define CREDSSP_ASN1_MAX_SECRET 1024        /* password, PIN */
#define CREDSSP_ASN1_MAX_CRED_BUFFER 49152  /* one credBuffer */
#define CREDSSP_ASN1_MAX_SUPPLEMENTAL 8     /* supplementalCreds elements */

/* Length of TSRequest.clientNonce (MS-CSSP 2.2.1). */
#define CREDSSP_ASN1_NONCE_LEN 32

/* TSCredentials.credType values (MS-CSSP 2.2.1.2). */
#define CREDSSP_CRED_TYPE_PASSWORD 1
#define CREDSSP_CRED_TYPE_SMART_CARD 2
#define CREDSSP_CRED_TYPE_REMOTE_GUARD 6

/* An OPTIONAL OCTET STRING: present == 0 means absent (value is then
 * empty and ignored by encoders); present != 0 with value.len == 0 is a
 * present, empty string. */
struct credssp_asn1_opt {
    int present;
    struct credssp_buf value;
};

/* NegoData (MS-CSSP 2.2.1.1), OPTIONAL in TSRequest: present == 0 means
 * absent (count must then be 0); otherwise count tokens (0 to
 * CREDSSP_ASN1_MAX_NEGO_TOKENS, 0 encodes an empty SEQUENCE OF). */
struct credssp_nego_data {
    int present;
    size_t count;
    struct credssp_buf *tokens;
};

/* TSRequest (MS-CSSP 2.2.1).
 * version: decoded from any INTEGER in [0, 2^32-1] (the caller clamps);
 *   negative or larger values give CREDSSP_ERR_ASN1_RANGE.
 * error_code: an NTSTATUS.  Decoded from any INTEGER in [-2^31, 2^32-1]
 *   (so both 02 04 c0 00 00 6d and 02 05 00 c0 00 00 6d give
 *   0xC000006D); always encoded as a signed 32-bit INTEGER. */
struct credssp_ts_request {
    uint32_t version;
    struct credssp_nego_data nego_tokens;
    struct credssp_asn1_opt auth_info;
    struct credssp_asn1_opt pub_key_auth;
    int has_error_code;
    uint32_t error_code;
    struct credssp_asn1_opt client_nonce;
};

/* TSCredentials (MS-CSSP 2.2.1.2).  cred_type is decoded from any INTEGER
 * in [-2^31, 2^32-1] (negative values as their 32-bit two's complement),
 * so a decoder never fails on an unknown type; the caller passes it to
 * credssp_asn1_check_cred_type() and then decodes credentials with the
 * decoder of that type.  credentials holds the inner DER. */
struct credssp_ts_credentials {
    uint32_t cred_type;
    struct credssp_buf credentials;
};

/* TSPasswordCreds (MS-CSSP 2.2.1.2.1); all three may be empty. */
struct credssp_password_creds {
    struct credssp_buf domain_name;
    struct credssp_buf user_name;
    struct credssp_buf password;
};

/* TSCspDataDetail (MS-CSSP 2.2.1.2.2.1); key_spec as cred_type above. */
struct credssp_csp_data_detail {
    uint32_t key_spec;
    struct credssp_asn1_opt card_name;
    struct credssp_asn1_opt reader_name;
    struct credssp_asn1_opt container_name;
    struct credssp_asn1_opt csp_name;
};

/* TSSmartCardCreds (MS-CSSP 2.2.1.2.2). */
struct credssp_smart_card_creds {
    struct credssp_buf pin;
    struct credssp_csp_data_detail csp_data;
    struct credssp_asn1_opt user_hint;
    struct credssp_asn1_opt domain_hint;
};

/* TSRemoteGuardPackageCred (MS-CSSP 2.2.1.2.3.1). */
struct credssp_remote_guard_package_cred {
    struct credssp_buf package_name;
    struct credssp_buf cred_buffer;
};

/* TSRemoteGuardCreds (MS-CSSP 2.2.1.2.3).  has_supplemental == 0: the
 * supplementalCreds field is absent (supplemental_count must be 0);
 * otherwise it is present with supplemental_count elements (0 to
 * CREDSSP_ASN1_MAX_SUPPLEMENTAL; 0 encodes a1 02 30 00). */
struct credssp_remote_guard_creds {
    struct credssp_remote_guard_package_cred logon_cred;
    int has_supplemental;
    size_t supplemental_count;
    struct credssp_remote_guard_package_cred *supplemental;
};

/* ---- TSRequest ---------------------------------------------------- */

/* Decode the len bytes at der into *out (see the conventions above). */
CREDSSP_MUST_CHECK int
credssp_asn1_decode_ts_request(const uint8_t *der, size_t len,
                               struct credssp_ts_request *out);

/* Encode *in as DER into *out (see the conventions above).  Fields are
 * checked against the limits before anything is encoded. */
CREDSSP_MUST_CHECK int
credssp_asn1_encode_ts_request(const struct credssp_ts_request *in,
                               struct credssp_buf *out);

/* Release what a decoded or caller-built request owns (tokens array and
 * every byte string, wiped); accepts NULL; leaves *req zeroed. */
void credssp_asn1_ts_request_free(struct credssp_ts_request *req);

/* ---- TSCredentials ------------------------------------------------ */

/* 0 when cred_type is one of CREDSSP_CRED_TYPE_PASSWORD, _SMART_CARD or
 * _REMOTE_GUARD, else CREDSSP_ERR_BAD_CRED_TYPE.  Call it on a decoded
 * TSCredentials before choosing the decoder for its credentials. */
CREDSSP_MUST_CHECK int credssp_asn1_check_cred_type(uint32_t cred_type);

/* Decode a TSCredentials; any 32-bit cred_type is accepted (see above). */
CREDSSP_MUST_CHECK int
credssp_asn1_decode_ts_credentials(const uint8_t *der, size_t len,
                                   struct credssp_ts_credentials *out);

/* Encode a TSCredentials; refuses a cred_type that
 * credssp_asn1_check_cred_type() refuses (CREDSSP_ERR_BAD_CRED_TYPE).  The
 * inner bytes are not parsed.  The result holds credentials: wipe it. */
CREDSSP_MUST_CHECK int
credssp_asn1_encode_ts_credentials(const struct credssp_ts_credentials *in,
                                   struct credssp_buf *out);

void credssp_asn1_ts_credentials_free(struct credssp_ts_credentials *creds);

/* ---- TSPasswordCreds ---------------------------------------------- */

/* Decode / encode a TSPasswordCreds (the inner DER of a TSCredentials of
 * credType 1).  The encoding holds the password: wipe it. */
CREDSSP_MUST_CHECK int
credssp_asn1_decode_password_creds(const uint8_t *der, size_t len,
                                   struct credssp_password_creds *out);

CREDSSP_MUST_CHECK int
credssp_asn1_encode_password_creds(const struct credssp_password_creds *in,
                                   struct credssp_buf *out);

void credssp_asn1_password_creds_free(struct credssp_password_creds *creds);

/* Fill *out from three NUL-terminated UTF-8 strings (none may be NULL;
 * "" is allowed), converted strictly to UTF-16LE in wiping memory.
 * Returns 0, CREDSSP_ERR_BAD_ARGUMENT, CREDSSP_ERR_UTF8,
 * CREDSSP_ERR_ASN1_FIELD_SIZE (a converted string above its limit) or
 * ENOMEM; *out is zeroed on failure.  Release with
 * credssp_asn1_password_creds_free(). */
CREDSSP_MUST_CHECK int
credssp_asn1_password_creds_from_utf8(const char *domain, const char *user,
                                      const char *password,
                                      struct credssp_password_creds *out);

/* Convert the three strings of *in to UTF-8, each NUL-terminated (the NUL
 * is not counted in len).  Returns 0, CREDSSP_ERR_UTF16 or ENOMEM; on
 * failure the three outputs are empty.  The caller releases them with
 * credssp_buf_wipe_free(). */
CREDSSP_MUST_CHECK int
credssp_asn1_password_creds_to_utf8(const struct credssp_password_creds *in,
                                    struct credssp_buf *domain,
                                    struct credssp_buf *user,
                                    struct credssp_buf *password);

/* ---- TSSmartCardCreds --------------------------------------------- */

/* Decode / encode a TSSmartCardCreds (credType 2).  key_spec is not
 * checked against the CAPI values.  The encoding holds the PIN: wipe
 * it. */
CREDSSP_MUST_CHECK int
credssp_asn1_decode_smart_card_creds(const uint8_t *der, size_t len,
                                     struct credssp_smart_card_creds *out);

CREDSSP_MUST_CHECK int
credssp_asn1_encode_smart_card_creds(
    const struct credssp_smart_card_creds *in, struct credssp_buf *out);

void
credssp_asn1_smart_card_creds_free(struct credssp_smart_card_creds *creds);

/* ---- TSRemoteGuardCreds ------------------------------------------- */

/* Decode / encode a TSRemoteGuardCreds (credType 6).  Package names and
 * credBuffers are not interpreted.  The encoding holds credentials: wipe
 * it. */
CREDSSP_MUST_CHECK int
credssp_asn1_decode_remote_guard_creds(
    const uint8_t *der, size_t len, struct credssp_remote_guard_creds *out);

CREDSSP_MUST_CHECK int
credssp_asn1_encode_remote_guard_creds(
    const struct credssp_remote_guard_creds *in, struct credssp_buf *out);

void
credssp_asn1_remote_guard_creds_free(struct credssp_remote_guard_creds *creds);

#endif /* CREDSSP_ASN1_CODEC_H */
