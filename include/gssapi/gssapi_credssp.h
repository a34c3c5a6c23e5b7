/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Public interface of the gss-credssp mechanism: the mechanism OID and the
 * minor status codes.  Applications use the plain GSS-API; this header only
 * names what is specific to CredSSP.  See gss-credssp(8).
 */
#ifndef GSSAPI_GSSAPI_CREDSSP_H
#define GSSAPI_GSSAPI_CREDSSP_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_credssp_err.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Mechanism OID 2.25.7174002494213204233.  There is no registered OID for
 * CredSSP; this arc lies in the UUID arc 2.25 and is short enough to fit
 * the 64-bit arcs MIT krb5 parses.  On the gss-client command line write
 * it in braces: -mech '{2 25 7174002494213204233}'.
 */
#define GSS_CREDSSP_MECH_OID_STRING "2.25.7174002494213204233"
#define GSS_CREDSSP_MECH_OID_BRACES "{2 25 7174002494213204233}"
#define GSS_CREDSSP_MECH_OID_LENGTH 10
#define GSS_CREDSSP_MECH_OID_BYTES "\x69\xe3\xc7\xcb\xa8\xa4\xea\xe0\xd2\x09"

/* The mechanism name in mech.d and for gss_inquire_saslname_for_mech. */
#define GSS_CREDSSP_MECH_NAME "credssp"

/*
 * The mechanism OID as a gss_OID.  Each translation unit gets its own
 * descriptor; compare OIDs by value (gss_oid_equal), never by pointer.
 */
static char gss_credssp_mech_oid_der[] __attribute__((unused)) =
    GSS_CREDSSP_MECH_OID_BYTES;
static gss_OID_desc gss_credssp_mech_oid_desc __attribute__((unused)) = {
    GSS_CREDSSP_MECH_OID_LENGTH, gss_credssp_mech_oid_der
};
#define GSS_CREDSSP_MECH_OID (&gss_credssp_mech_oid_desc)

/*
 * gss_inquire_cred_by_oid on a delegated credential (the
 * delegated_cred_handle of gss_accept_sec_context):
 *
 * GSS_CREDSSP_INQ_TSCREDENTIALS (2.25.7174002494213204233.1.1)
 *     one buffer: the DER TSCredentials the client sent (MS-CSSP 2.2.1.2),
 *     after decryption.
 * GSS_CREDSSP_INQ_PASSWORD_CREDS (2.25.7174002494213204233.1.2)
 *     three buffers, UTF-8 without terminator: domain, user, password
 *     (credType 1 only; GSS_S_UNAVAILABLE for other types).
 *
 * These buffers hold secrets: overwrite them before gss_release_buffer_set.
 */
#define GSS_CREDSSP_INQ_TSCREDENTIALS_BYTES                                  \
    GSS_CREDSSP_MECH_OID_BYTES "\x01\x01"
#define GSS_CREDSSP_INQ_PASSWORD_CREDS_BYTES                                 \
    GSS_CREDSSP_MECH_OID_BYTES "\x01\x02"
#define GSS_CREDSSP_INQ_LENGTH (GSS_CREDSSP_MECH_OID_LENGTH + 2)

static char gss_credssp_inq_tscredentials_der[] __attribute__((unused)) =
    GSS_CREDSSP_INQ_TSCREDENTIALS_BYTES;
static gss_OID_desc gss_credssp_inq_tscredentials_desc
    __attribute__((unused)) = { GSS_CREDSSP_INQ_LENGTH,
                                gss_credssp_inq_tscredentials_der };
#define GSS_CREDSSP_INQ_TSCREDENTIALS (&gss_credssp_inq_tscredentials_desc)

static char gss_credssp_inq_password_creds_der[] __attribute__((unused)) =
    GSS_CREDSSP_INQ_PASSWORD_CREDS_BYTES;
static gss_OID_desc gss_credssp_inq_password_creds_desc
    __attribute__((unused)) = { GSS_CREDSSP_INQ_LENGTH,
                                gss_credssp_inq_password_creds_der };
#define GSS_CREDSSP_INQ_PASSWORD_CREDS (&gss_credssp_inq_password_creds_desc)

/*
 * gss_inquire_sec_context_by_oid on a CredSSP context: each OID returns one
 * buffer (no buffer when the value does not exist yet or at all).
 *
 *   .2.1  GSS_CREDSSP_INQ_VERSION      1 byte: the effective CredSSP version
 *   .2.2  GSS_CREDSSP_INQ_INNER_MECH   the DER contents of the negotiated
 *                                      inner mechanism's OID
 *   .2.3  GSS_CREDSSP_INQ_TLS_VERSION  text, e.g. "TLS1.3"
 *   .2.4  GSS_CREDSSP_INQ_TLS_CIPHER   text, e.g. "TLS_AES_256_GCM_SHA384"
 *   .2.5  GSS_CREDSSP_INQ_SERVER_CERT  DER of the server's certificate
 *   .2.6  GSS_CREDSSP_INQ_SERVER_KEY   the subjectPublicKey bytes that
 *                                      pubKeyAuth binds
 *   .2.7  GSS_CREDSSP_INQ_ERROR_CODE   4 bytes, big-endian: the NTSTATUS
 *                                      the acceptor reported
 *   .2.8  GSS_CREDSSP_INQ_DELEGATION   1 byte: 0 nothing delegated, else the
 *                                      TSCredentials credType (1 password,
 *                                      2 smart card, 6 Remote Guard), or
 *                                      GSS_CREDSSP_DELEGATED_KERBEROS: the
 *                                      client's Kerberos TGT, forwarded in
 *                                      the inner context (delegation of
 *                                      default credentials; the
 *                                      TSPasswordCreds were empty)
 *   .2.9  GSS_CREDSSP_INQ_CB_TLS_SERVER_END_POINT  channel-binding
 *   .2.10 GSS_CREDSSP_INQ_CB_TLS_UNIQUE            application data of the
 *   .2.11 GSS_CREDSSP_INQ_CB_TLS_EXPORTER          CredSSP TLS channel,
 *                                      with its "tls-...:" prefix (RFC 5929,
 *                                      RFC 9266); a type the session
 *                                      cannot give (tls-unique in TLS 1.3,
 *                                      tls-exporter in TLS 1.2 without
 *                                      extended master secret) is
 *                                      GSS_S_UNAVAILABLE with the minor
 *                                      CREDSSP_ERR_TLS_CB_UNAVAILABLE
 * (arcs below 2.25.7174002494213204233).
 */
#define GSS_CREDSSP_DELEGATED_KERBEROS 0x80

#define GSS_CREDSSP_INQ_CONTEXT_LENGTH (GSS_CREDSSP_MECH_OID_LENGTH + 2)
#define GSS_CREDSSP_INQ_CONTEXT_OID(n) GSS_CREDSSP_MECH_OID_BYTES "\x02" n
#define GSS_CREDSSP_INQ_VERSION_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x01")
#define GSS_CREDSSP_INQ_INNER_MECH_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x02")
#define GSS_CREDSSP_INQ_TLS_VERSION_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x03")
#define GSS_CREDSSP_INQ_TLS_CIPHER_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x04")
#define GSS_CREDSSP_INQ_SERVER_CERT_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x05")
#define GSS_CREDSSP_INQ_SERVER_KEY_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x06")
#define GSS_CREDSSP_INQ_ERROR_CODE_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x07")
#define GSS_CREDSSP_INQ_DELEGATION_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x08")
#define GSS_CREDSSP_INQ_CB_TLS_SERVER_END_POINT_BYTES                        \
    GSS_CREDSSP_INQ_CONTEXT_OID("\x09")
#define GSS_CREDSSP_INQ_CB_TLS_UNIQUE_BYTES GSS_CREDSSP_INQ_CONTEXT_OID("\x0a")
#define GSS_CREDSSP_INQ_CB_TLS_EXPORTER_BYTES                                \
    GSS_CREDSSP_INQ_CONTEXT_OID("\x0b")

/* The RFC 5801 GS2 SASL name of the mechanism (SHA-1 of its OID). */
#define GSS_CREDSSP_SASL_NAME "GS2-DXL4YFR5QEW"

/*
 * Cred-store keys understood by gss_acquire_cred_from (other keys are left
 * to the other mechanisms):
 *   "username"     user name: "DOMAIN\\user", "user@REALM" or "user"
 *   "password"     password for that user (a fresh credential)
 *   "domain"       domain, when the user name has none
 *   "certificate"  acceptor: PEM certificate file;  "key": its PEM key
 *   "wire"         "framed" (default) or "raw" (MS-CSSP peers)
 *   "inner"        "auto" (default), "spnego", "krb5" or "ntlmssp"
 *   "saved_credentials"  a saved-credentials file (see gss-credssp(8))
 *   "ccache"       initiator without a password: authenticate with the
 *                  Kerberos credentials of this cache only (as MIT's krb5
 *                  mechanism names it; no NTLM fallback)
 *   "inner_channel_binding"  "none" (default), "tls-server-end-point" or
 *                  "tls-exporter": bind the inner authentication to the
 *                  CredSSP TLS channel (both peers gss-credssp)
 *   "enforcement", "scenario", "service_names" (repeatable)
 *                  acceptor: the [extended_protection] settings; a key
 *                  given here replaces that setting of the file
 */
#define GSS_CREDSSP_STORE_USERNAME "username"
#define GSS_CREDSSP_STORE_PASSWORD "password"
#define GSS_CREDSSP_STORE_DOMAIN "domain"
#define GSS_CREDSSP_STORE_CERTIFICATE "certificate"
#define GSS_CREDSSP_STORE_KEY "key"
#define GSS_CREDSSP_STORE_WIRE "wire"
#define GSS_CREDSSP_STORE_INNER "inner"
#define GSS_CREDSSP_STORE_SAVED_CREDENTIALS "saved_credentials"
#define GSS_CREDSSP_STORE_CCACHE "ccache"
#define GSS_CREDSSP_STORE_INNER_CHANNEL_BINDING "inner_channel_binding"
#define GSS_CREDSSP_STORE_ENFORCEMENT "enforcement"
#define GSS_CREDSSP_STORE_SCENARIO "scenario"
#define GSS_CREDSSP_STORE_SERVICE_NAMES "service_names"

/*
 * Raw wire mode (MS-CSSP peers: Windows, FreeRDP, WinRM) sends the TLS
 * records without the RFC 2743 header.  MIT's mechglue refuses such a first
 * token before any mechanism sees it, so an acceptor that reads a raw
 * stream frames the FIRST token it passes to gss_accept_sec_context with
 * this helper (later tokens go unchanged).  out->value is malloc()ed:
 * release it with gss_release_buffer.  Returns GSS_S_COMPLETE, or
 * GSS_S_FAILURE with *minor = ENOMEM.
 */
static inline OM_uint32
gss_credssp_frame_first_token(OM_uint32 *minor, const gss_buffer_t in,
                              gss_buffer_t out)
{
    size_t body = 2 + GSS_CREDSSP_MECH_OID_LENGTH + in->length;
    size_t n = 0, i, v;
    unsigned char *p;

    for (v = body; v > 0 && body >= 0x80; v >>= 8) {
        n++;
    }
    out->length = 2 + n + body;
    out->value = malloc(out->length);
    if (out->value == NULL) {
        out->length = 0;
        *minor = ENOMEM;
        return GSS_S_FAILURE;
    }
    p = (unsigned char *)out->value;
    *p++ = 0x60;
    if (n == 0) {
        *p++ = (unsigned char)body;
    } else {
        *p++ = (unsigned char)(0x80 | n);
        for (i = n; i > 0; i--) {
            *p++ = (unsigned char)(body >> (8 * (i - 1)));
        }
    }
    *p++ = 0x06;
    *p++ = GSS_CREDSSP_MECH_OID_LENGTH;
    memcpy(p, GSS_CREDSSP_MECH_OID_BYTES, GSS_CREDSSP_MECH_OID_LENGTH);
    p += GSS_CREDSSP_MECH_OID_LENGTH;
    if (in->length > 0) {
        memcpy(p, in->value, in->length);
    }
    *minor = 0;
    return GSS_S_COMPLETE;
}

#ifdef __cplusplus
}
#endif

#endif /* GSSAPI_GSSAPI_CREDSSP_H */
