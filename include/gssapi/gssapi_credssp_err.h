/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The one table of gss-credssp minor status codes.
 *
 * Every minor status code the mechanism can return is listed here exactly
 * once, with the GSS major status it maps to by default (the suffix of a
 * GSS_S_* name) and the text gss_display_status() shows for it.  The enum
 * below, the message and name lookups, and the default-major lookup inside
 * the mechanism are all generated from this list, so they cannot drift.
 *
 * Codes start at CREDSSP_ERR_BASE ("CS").  Append new codes at the end of
 * their group: the numeric values are part of the public interface.
 */
#ifndef GSSAPI_GSSAPI_CREDSSP_ERR_H
#define GSSAPI_GSSAPI_CREDSSP_ERR_H

#define CREDSSP_ERR_BASE 0x43530000

/* X(name, default major suffix, message) */
#define CREDSSP_ERRORS(X)                                                    \
    X(CREDSSP_ERR_INTERNAL, FAILURE, "Internal error in the CredSSP "        \
      "mechanism")                                                           \
    X(CREDSSP_ERR_NOT_IMPLEMENTED, UNAVAILABLE, "Operation not supported "   \
      "by the CredSSP mechanism")                                            \
    X(CREDSSP_ERR_BAD_ARGUMENT, FAILURE, "Invalid argument")                 \
    X(CREDSSP_ERR_TOO_LARGE, FAILURE, "Buffer exceeds its size limit")       \
    X(CREDSSP_ERR_SHORT_INPUT, DEFECTIVE_TOKEN, "Input ends before the "     \
      "data it announces")                                                   \
    X(CREDSSP_ERR_UTF8, FAILURE, "Invalid UTF-8 in a credential string")     \
    X(CREDSSP_ERR_UTF16, DEFECTIVE_TOKEN, "Invalid UTF-16 in a credential "  \
      "string")                                                              \
    X(CREDSSP_ERR_ASN1_TRUNCATED, DEFECTIVE_TOKEN, "CredSSP message is "     \
      "truncated")                                                           \
    X(CREDSSP_ERR_ASN1_TAG, DEFECTIVE_TOKEN, "Unexpected ASN.1 tag in "      \
      "CredSSP message")                                                     \
    X(CREDSSP_ERR_ASN1_NOT_DER, DEFECTIVE_TOKEN, "CredSSP message is not "   \
      "in strict DER form")                                                  \
    X(CREDSSP_ERR_ASN1_TRAILING, DEFECTIVE_TOKEN, "Trailing bytes after "    \
      "CredSSP message")                                                     \
    X(CREDSSP_ERR_ASN1_MALFORMED, DEFECTIVE_TOKEN, "Malformed CredSSP "      \
      "message")                                                             \
    X(CREDSSP_ERR_ASN1_FIELD_SIZE, DEFECTIVE_TOKEN, "CredSSP message field " \
      "exceeds its size limit")                                              \
    X(CREDSSP_ERR_ASN1_MISSING, FAILURE, "Mandatory field missing from "     \
      "CredSSP message")                                                     \
    X(CREDSSP_ERR_ASN1_RANGE, DEFECTIVE_TOKEN, "Integer in CredSSP message " \
      "out of range")                                                        \
    X(CREDSSP_ERR_BAD_NONCE, DEFECTIVE_TOKEN, "CredSSP clientNonce is not "  \
      "32 bytes long")                                                       \
    X(CREDSSP_ERR_BAD_CRED_TYPE, DEFECTIVE_TOKEN, "Unknown CredSSP "         \
      "credential type")                                                     \
    X(CREDSSP_ERR_ASN1_INTERNAL, FAILURE, "Internal error in the ASN.1 "     \
      "library")                                                             \
    /* -- end of the ASN.1 group -- */                                       \
    X(CREDSSP_ERR_TLS_CONFIG, FAILURE, "Invalid TLS configuration for "      \
      "CredSSP")                                                             \
    X(CREDSSP_ERR_TLS_CERT, NO_CRED, "Cannot load the CredSSP server "       \
      "certificate or key")                                                  \
    X(CREDSSP_ERR_TLS_HANDSHAKE, DEFECTIVE_TOKEN, "TLS handshake of the "    \
      "CredSSP channel failed")                                              \
    X(CREDSSP_ERR_TLS_ALERT, FAILURE, "Peer sent a fatal TLS alert on the "  \
      "CredSSP channel")                                                     \
    X(CREDSSP_ERR_TLS_RECORD, BAD_SIG, "TLS record of the CredSSP channel "  \
      "failed to decrypt or verify")                                         \
    X(CREDSSP_ERR_TLS_CLOSED, FAILURE, "Peer closed the CredSSP TLS "        \
      "channel")                                                             \
    X(CREDSSP_ERR_TLS_NO_PEER_CERT, DEFECTIVE_TOKEN, "CredSSP server sent "  \
      "no usable certificate")                                               \
    X(CREDSSP_ERR_TLS_CB_UNAVAILABLE, UNAVAILABLE, "Channel binding type "   \
      "not available on this TLS session")                                   \
    X(CREDSSP_ERR_TLS_INTERNAL, FAILURE, "Internal error in the TLS "        \
      "library")                                                             \
    /* -- end of the TLS group -- */

#define CREDSSP_ERR_ENUM_ENTRY(name, major, msg) name,
enum credssp_minor {
    CREDSSP_ERR_FIRST = CREDSSP_ERR_BASE - 1,
    CREDSSP_ERRORS(CREDSSP_ERR_ENUM_ENTRY)
    CREDSSP_ERR_LAST
};
#undef CREDSSP_ERR_ENUM_ENTRY

#endif /* GSSAPI_GSSAPI_CREDSSP_ERR_H */
