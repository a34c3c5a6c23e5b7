/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The CredSSP TLS channel (L3, STYLE.md 4.9): one GnuTLS session run over
 * in-memory queues, never a socket.  MS-CSSP.md 1.1 (TLS 1.2/1.3, no client
 * certificate, no resumption, self-signed server certificates are normal),
 * 3.1 (the public key that pubKeyAuth binds) and 7.1 (channel bindings).
 *
 * This layer knows nothing of GSS, TSRequest or policy.  Every function
 * returning int returns 0, a CREDSSP_ERR_* code or ENOMEM; the handshake
 * may also return the positive CREDSSP_TLS_AGAIN.
 *
 * How the state machine drives it:
 *
 *     credssp_tls_new(role, &config, &tls);
 *     loop:
 *         credssp_tls_feed(tls, peer_token, len);      (not on the first
 *                                                        client step)
 *         ret = credssp_tls_handshake(tls);            0 / AGAIN / error
 *         credssp_tls_take_output(tls, &token);        send it if non-empty
 *     then, for application data:
 *         credssp_tls_encrypt(tls, plain, len);  credssp_tls_take_output()
 *         credssp_tls_feed(tls, ...);  credssp_tls_decrypt(tls, &plain)
 *
 * Input bytes are handed to GnuTLS one whole TLS record at a time (bytes
 * that cannot be a TLS record header are handed over at once, so GnuTLS
 * rejects them), so after credssp_tls_decrypt() the bytes
 * credssp_tls_pending_input() counts are exactly a trailing partial
 * record: the "need more" signal for the caller.  A session that failed
 * keeps failing with the same code.
 *
 * Handshake legs (tokens, counted from the client's first), measured with
 * GnuTLS 3.7.9 and checked by tests/check_tls.c:
 *   TLS 1.3: 3  (C: ClientHello; S: ServerHello..Finished; C: Finished).
 *            The client is done after producing leg 3, the server after
 *            consuming it.
 *   TLS 1.2: 4  (C: ClientHello; S: ServerHello..ServerHelloDone;
 *            C: ClientKeyExchange, ChangeCipherSpec, Finished;
 *            S: ChangeCipherSpec, Finished).  The server is done after
 *            producing leg 4, the client after consuming it.
 */
#ifndef CREDSSP_MECH_TLS_H
#define CREDSSP_MECH_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* TLS 1.2 and 1.3 only, no session tickets (MS-CSSP.md 1.1). */
#define CREDSSP_TLS_DEFAULT_PRIORITY                                         \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%NO_TICKETS"

/* Unconsumed peer bytes a session will hold (credssp_tls_feed). */
#define CREDSSP_TLS_INPUT_LIMIT (1024 * 1024)

/* credssp_tls_handshake(): the handshake needs the peer's next token. */
#define CREDSSP_TLS_AGAIN 1

enum credssp_tls_role {
    CREDSSP_TLS_CLIENT,
    CREDSSP_TLS_SERVER
};

/* Key of the self-signed server certificate made when no files are
 * configured. */
enum credssp_tls_key_type {
    CREDSSP_TLS_KEY_ECDSA_P256 = 0,
    CREDSSP_TLS_KEY_RSA_2048
};

enum credssp_tls_cb_type {
    CREDSSP_TLS_CB_SERVER_END_POINT,  /* RFC 5929 4: H(server cert DER) */
    CREDSSP_TLS_CB_UNIQUE,            /* RFC 5929 3: TLS 1.2 only */
    CREDSSP_TLS_CB_EXPORTER           /* RFC 9266: 32 bytes */
};

/* Borrowed by credssp_tls_new() for the duration of the call only. */
struct credssp_tls_config {
    const char *priority;   /* GnuTLS priority string; NULL = default */
    const char *cert_file;  /* server: PEM certificate (chain), or NULL */
    const char *key_file;   /* server: PEM private key, or NULL */
    enum credssp_tls_key_type key_type;  /* for the self-signed one */
};

/* Negotiated parameters; the strings are static (owned by GnuTLS). */
struct credssp_tls_info {
    const char *version;    /* "TLS1.3" */
    const char *cipher;     /* "TLS_AES_256_GCM_SHA384" */
};

struct credssp_tls;

/*
 * Create a session for role.  config may be NULL (all defaults).  A
 * server uses cert_file/key_file when both are set, otherwise the
 * process-wide self-signed certificate of config->key_type, generated on
 * first use and shared by every server session.  On success *out owns
 * the session; on failure *out is untouched.
 * Errors: CREDSSP_ERR_TLS_CONFIG (bad priority string, only one of
 * cert_file/key_file, unknown key_type), CREDSSP_ERR_TLS_CERT (files
 * unreadable or not a matching certificate/key; certificate generation
 * failed), ENOMEM, CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_new(enum credssp_tls_role role,
                                       const struct credssp_tls_config *config,
                                       struct credssp_tls **out);

/*
 * Load the PEM certificate and key files a server session would use, and
 * forget them: 0 (also when cert_file is NULL or empty: the self-signed
 * certificate), CREDSSP_ERR_TLS_CERT when they cannot be read or do not
 * match, ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_tls_check_cert_files(const char *cert_file,
                                                    const char *key_file);

/* The most bytes a record of the established session adds to the data
 * it carries (header, explicit nonce, tag, padding); 0 before
 * establishment. */
size_t credssp_tls_record_overhead(const struct credssp_tls *tls);

/*
 * The shape of the application-data record of the established session
 * that carries data_len bytes: *header bytes (record header and explicit
 * nonce) before the ciphertext of the data, which has the data's length,
 * and *trailer bytes after it.  An empty message is a TLS 1.3 record with
 * one byte of padding (the trailer one byte longer);
 * CREDSSP_ERR_WRAP_EMPTY under TLS 1.2.  CREDSSP_ERR_IOV_CIPHER for a
 * cipher without that shape (CBC pads), CREDSSP_ERR_BAD_ARGUMENT before
 * establishment.
 */
CREDSSP_MUST_CHECK int credssp_tls_record_layout(const struct credssp_tls *tls,
                                                 size_t data_len,
                                                 size_t *header,
                                                 size_t *trailer);

/* Free the session (GnuTLS wipes its keys).  Accepts NULL and *tls ==
 * NULL; leaves *tls NULL. */
void credssp_tls_free(struct credssp_tls **tls);

/*
 * Append len peer bytes to the input queue (copied).  Errors:
 * CREDSSP_ERR_TOO_LARGE when the unconsumed bytes would exceed
 * CREDSSP_TLS_INPUT_LIMIT (nothing is appended), ENOMEM, or the error a
 * failed session already returned.
 */
/* Fail the session for good with code, an error the caller found above
 * TLS: every later call returns code, and the input queue is dropped. */
void credssp_tls_fail(struct credssp_tls *tls, int code);

CREDSSP_MUST_CHECK int credssp_tls_feed(struct credssp_tls *tls,
                                        const void *data, size_t len);

/* Per-message tokens after establishment may be larger than handshake
 * legs: wrap tokens of up to 64 MiB of data, with record overhead. */
#define CREDSSP_TLS_MESSAGE_INPUT_LIMIT (65 * 1024 * 1024)

/* Change the most unconsumed peer bytes credssp_tls_feed() accepts (the
 * default is CREDSSP_TLS_INPUT_LIMIT). */
void credssp_tls_set_input_limit(struct credssp_tls *tls, size_t limit);

/* Input bytes not yet handed to GnuTLS.  After credssp_tls_decrypt(), the
 * size of an incomplete trailing record (0 when none); after the
 * handshake it also counts whole records that follow the handshake. */
size_t credssp_tls_pending_input(const struct credssp_tls *tls);

/*
 * Move everything GnuTLS has written (handshake records, alerts,
 * encrypted application data) into *buf, which must be empty; *buf may be
 * empty (data NULL) when there is nothing to send.  The queue is emptied.
 * Returns 0 or ENOMEM.  Also works after a failure, so a queued fatal
 * alert can still be delivered.
 */
CREDSSP_MUST_CHECK int credssp_tls_take_output(struct credssp_tls *tls,
                                               struct credssp_buf *buf);

/*
 * Advance the handshake with the queued input.  Returns 0 when the
 * handshake is complete (again 0 on later calls), CREDSSP_TLS_AGAIN when
 * it needs the peer's next token (take the output first), or an error:
 *   CREDSSP_ERR_TLS_ALERT      the peer sent a fatal alert (name in
 *                              credssp_tls_last_error_text())
 *   CREDSSP_ERR_TLS_RECORD     a protected record failed to decrypt
 *   CREDSSP_ERR_TLS_CLOSED     the peer closed the channel
 *   CREDSSP_ERR_TLS_HANDSHAKE  anything else the peer got wrong,
 *                              including bytes that are not TLS at all
 *   CREDSSP_ERR_TLS_INTERNAL, ENOMEM
 * On a protocol error the matching fatal alert is queued for the peer.
 * Records that follow the handshake in the same token stay queued for
 * credssp_tls_decrypt().
 */
CREDSSP_MUST_CHECK int credssp_tls_handshake(struct credssp_tls *tls);

/*
 * Queue a close_notify alert for the peer (take it with
 * credssp_tls_take_output).  Afterwards every call that would use the
 * session returns CREDSSP_ERR_TLS_CLOSED.  Requires an established
 * session (CREDSSP_ERR_BAD_ARGUMENT).  Errors: ENOMEM,
 * CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_close(struct credssp_tls *tls);

/* 1 when the handshake has completed and the session has not failed or
 * been closed, else 0. */
int credssp_tls_is_established(const struct credssp_tls *tls);

/*
 * Encrypt len bytes (len may be 0: nothing happens) into application-data
 * records, at most 16 KiB of plaintext each, appended to the output
 * queue.  Requires an established session (CREDSSP_ERR_BAD_ARGUMENT
 * otherwise).  Errors: ENOMEM, CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_encrypt(struct credssp_tls *tls,
                                           const void *data, size_t len);

/*
 * Decrypt every complete application-data record in the input queue into
 * *plain (which must be empty; a wiping buffer, free it with
 * credssp_buf_wipe_free).  0 with an empty *plain when no complete record
 * is queued.  TLS 1.3 post-handshake messages (NewSessionTicket) from the
 * peer are consumed silently.  Requires an established session
 * (CREDSSP_ERR_BAD_ARGUMENT).  Errors: CREDSSP_ERR_TLS_RECORD (tampered
 * or malformed record), CREDSSP_ERR_TLS_ALERT, CREDSSP_ERR_TLS_CLOSED
 * (close_notify or premature end), CREDSSP_ERR_TLS_INTERNAL, ENOMEM; on
 * error *plain stays empty and the plaintext decrypted so far is wiped.
 */
CREDSSP_MUST_CHECK int credssp_tls_decrypt(struct credssp_tls *tls,
                                           struct credssp_buf *plain);

/*
 * The bytes pubKeyAuth binds (MS-CSSP.md 3.1): the contents of the
 * subjectPublicKey BIT STRING of the server's leaf certificate, after the
 * unused-bits octet.  The client reads the peer's certificate, the server
 * its own.  *key must be empty.  Errors: CREDSSP_ERR_BAD_ARGUMENT (not
 * established), CREDSSP_ERR_TLS_NO_PEER_CERT (no certificate, or not a
 * parsable one), ENOMEM, CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_server_public_key(
    struct credssp_tls *tls, struct credssp_buf *key);

/*
 * The subjectPublicKey contents of a DER SubjectPublicKeyInfo,
 * SEQUENCE { SEQUENCE algorithm, BIT STRING subjectPublicKey }, read
 * strictly: definite minimal lengths, nothing trailing, zero unused bits,
 * non-empty key.  *key must be empty.  Errors:
 * CREDSSP_ERR_TLS_NO_PEER_CERT (malformed), ENOMEM.
 */
CREDSSP_MUST_CHECK int credssp_tls_spki_key(const uint8_t *spki,
                                            size_t len,
                                            struct credssp_buf *key);

/*
 * The DER of the server's leaf certificate (the peer's on the client, our
 * own on the server), for inquiries and fingerprints.  *cert must be
 * empty.  Errors as credssp_tls_server_public_key().
 */
CREDSSP_MUST_CHECK int credssp_tls_server_certificate(
    struct credssp_tls *tls, struct credssp_buf *cert);

/*
 * Raw channel-binding data of type, WITHOUT the "type:" prefix:
 * tls-server-end-point = the server certificate's hash (SHA-256 for MD5 or
 * SHA-1 signed certificates), tls-unique = the first Finished (12 bytes,
 * TLS 1.2 only), tls-exporter = 32 exporter bytes (TLS 1.3, or TLS 1.2
 * with extended master secret).  *cb must be empty.  Errors:
 * CREDSSP_ERR_TLS_CB_UNAVAILABLE (not defined for this session, e.g.
 * tls-unique in TLS 1.3), CREDSSP_ERR_BAD_ARGUMENT (not established or
 * unknown type), ENOMEM, CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_channel_binding(
    struct credssp_tls *tls, enum credssp_tls_cb_type type,
    struct credssp_buf *cb);

/*
 * The application_data of gss_channel_bindings_struct for type:
 * "tls-server-end-point:" || raw (MS-CSSP.md 7.1).  Same errors as
 * credssp_tls_channel_binding().
 */
CREDSSP_MUST_CHECK int credssp_tls_cb_application_data(
    struct credssp_tls *tls, enum credssp_tls_cb_type type,
    struct credssp_buf *app_data);

/* The prefix of type including its colon ("tls-unique:"), or NULL. */
const char *credssp_tls_cb_prefix(enum credssp_tls_cb_type type);

/* prefix(type) || raw into *app_data (must be empty).  Errors:
 * CREDSSP_ERR_BAD_ARGUMENT (unknown type), ENOMEM. */
CREDSSP_MUST_CHECK int credssp_tls_cb_compose(enum credssp_tls_cb_type type,
                                              const uint8_t *raw,
                                              size_t raw_len,
                                              struct credssp_buf *app_data);

/* Negotiated version and cipher suite names.  Errors:
 * CREDSSP_ERR_BAD_ARGUMENT (not established). */
CREDSSP_MUST_CHECK int credssp_tls_info(const struct credssp_tls *tls,
                                        struct credssp_tls_info *info);

/*
 * RFC 5705 keying material: len bytes exported under label, with the
 * context value context (context_len bytes; context NULL means no
 * context, which differs from an empty one) into out.  For keys derived
 * from the CredSSP channel after the handshake.  Errors:
 * CREDSSP_ERR_BAD_ARGUMENT (not established, or a context above 65535
 * bytes), CREDSSP_ERR_TLS_INTERNAL.
 */
CREDSSP_MUST_CHECK int credssp_tls_export(struct credssp_tls *tls,
                                          const char *label,
                                          const uint8_t *context,
                                          size_t context_len, uint8_t *out,
                                          size_t len);

/* For the trace: the GnuTLS text behind the last error of this session
 * (a fatal alert's name for CREDSSP_ERR_TLS_ALERT), or "" when none.  The
 * string is static. */
const char *credssp_tls_last_error_text(const struct credssp_tls *tls);

#endif /* CREDSSP_MECH_TLS_H */
