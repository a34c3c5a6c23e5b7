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
    X(CREDSSP_ERR_PUBKEY_MISMATCH, BAD_SIG, "Server public key binding "     \
      "mismatch")                                                            \
    X(CREDSSP_ERR_PUBKEY_ECHO, BAD_SIG, "Peer reflected the client's own "   \
      "public key binding")                                                  \
    /* -- end of the TLS group -- */                                         \
    X(CREDSSP_ERR_CONFIG, FAILURE, "Invalid gss-credssp configuration")      \
    X(CREDSSP_ERR_POLICY_PATTERN, FAILURE, "Invalid SPN pattern in the "     \
      "delegation policy")                                                   \
    X(CREDSSP_ERR_DELEGATION_POLICY, FAILURE, "Credential delegation "       \
      "refused by policy (SEC_E_DELEGATION_POLICY)")                         \
    X(CREDSSP_ERR_POLICY_NTLM_ONLY, FAILURE, "Credential delegation "        \
      "refused: server authenticated by NTLM only "                          \
      "(SEC_E_POLICY_NLTM_ONLY)")                                            \
    X(CREDSSP_ERR_ENCRYPTION_ORACLE, FAILURE, "Peer CredSSP version "        \
      "refused by the encryption oracle policy")                             \
    /* -- end of the policy group -- */                                      \
    X(CREDSSP_ERR_GLUE_UNAVAILABLE, FAILURE, "Cannot reach the GSS-API "     \
      "library of the host program")                                         \
    X(CREDSSP_ERR_RECURSION, FAILURE, "CredSSP cannot run inside its own "   \
      "inner context")                                                       \
    X(CREDSSP_ERR_TOKEN_HEADER, DEFECTIVE_TOKEN, "Malformed GSS header on "  \
      "the first CredSSP token")                                             \
    X(CREDSSP_ERR_WRONG_MECH, BAD_MECH, "Token belongs to a different "      \
      "mechanism")                                                           \
    X(CREDSSP_ERR_CONTEXT_FAILED, FAILURE, "CredSSP context failed earlier " \
      "and accepts no more tokens")                                          \
    X(CREDSSP_ERR_CONTEXT_ESTABLISHED, FAILURE, "CredSSP context is "        \
      "already established")                                                 \
    X(CREDSSP_ERR_CONTEXT_INCOMPLETE, NO_CONTEXT, "CredSSP context is not "  \
      "established yet")                                                     \
    X(CREDSSP_ERR_OUT_OF_ORDER, DEFECTIVE_TOKEN, "CredSSP message arrived "  \
      "out of order")                                                        \
    X(CREDSSP_ERR_VERSION, DEFECTIVE_TOKEN, "Unsupported CredSSP version")   \
    X(CREDSSP_ERR_VERSION_CHANGED, DEFECTIVE_TOKEN, "Peer changed its "      \
      "CredSSP version mid-exchange")                                        \
    X(CREDSSP_ERR_NONCE_MISSING, DEFECTIVE_TOKEN, "CredSSP clientNonce "     \
      "missing at version 5 or later")                                       \
    X(CREDSSP_ERR_INNER_AUTH, FAILURE, "Inner authentication failed")        \
    X(CREDSSP_ERR_INNER_NO_CRED, NO_CRED, "No credentials for the inner "    \
      "mechanism")                                                           \
    X(CREDSSP_ERR_INNER_PROTECT, BAD_SIG, "Inner context failed to protect " \
      "or verify a CredSSP field")                                           \
    X(CREDSSP_ERR_NO_CREDENTIALS, NO_CRED, "No CredSSP credentials "         \
      "available")                                                           \
    X(CREDSSP_ERR_BAD_NAME, BAD_NAME, "Cannot parse the user or target name")\
    X(CREDSSP_ERR_DELEGATED_USER_MISMATCH, FAILURE, "Delegated credentials " \
      "name another user than the authenticated one")                        \
    X(CREDSSP_ERR_DELEGATED_UNSUPPORTED, FAILURE, "Delegated credential "    \
      "type is not supported")                                               \
    X(CREDSSP_ERR_NT_LOGON_FAILURE, FAILURE, "Server refused the logon "     \
      "(STATUS_LOGON_FAILURE)")                                              \
    X(CREDSSP_ERR_NT_WRONG_PASSWORD, FAILURE, "Server refused the password " \
      "(STATUS_WRONG_PASSWORD)")                                             \
    X(CREDSSP_ERR_NT_NO_SUCH_USER, FAILURE, "Server does not know the user " \
      "(STATUS_NO_SUCH_USER)")                                               \
    X(CREDSSP_ERR_NT_PASSWORD_EXPIRED, FAILURE, "Password has expired "      \
      "(STATUS_PASSWORD_EXPIRED)")                                           \
    X(CREDSSP_ERR_NT_PASSWORD_MUST_CHANGE, FAILURE, "Password must be "      \
      "changed (STATUS_PASSWORD_MUST_CHANGE)")                               \
    X(CREDSSP_ERR_NT_ACCOUNT_LOCKED_OUT, FAILURE, "Account is locked out "   \
      "(STATUS_ACCOUNT_LOCKED_OUT)")                                         \
    X(CREDSSP_ERR_NT_ACCOUNT_DISABLED, FAILURE, "Account is disabled "       \
      "(STATUS_ACCOUNT_DISABLED)")                                           \
    X(CREDSSP_ERR_NT_ACCOUNT_EXPIRED, FAILURE, "Account has expired "        \
      "(STATUS_ACCOUNT_EXPIRED)")                                            \
    X(CREDSSP_ERR_NT_ACCOUNT_RESTRICTION, FAILURE, "Account restrictions "   \
      "prevent the logon (STATUS_ACCOUNT_RESTRICTION)")                      \
    X(CREDSSP_ERR_NT_LOGON_TYPE_NOT_GRANTED, FAILURE, "Logon type not "      \
      "granted on the server (STATUS_LOGON_TYPE_NOT_GRANTED)")               \
    X(CREDSSP_ERR_NT_TIME_SKEW, FAILURE, "Clocks of client and domain "      \
      "controller differ too much (STATUS_TIME_DIFFERENCE_AT_DC)")           \
    X(CREDSSP_ERR_NT_ACCESS_DENIED, FAILURE, "Server denied access "         \
      "(STATUS_ACCESS_DENIED)")                                              \
    X(CREDSSP_ERR_NT_OTHER, FAILURE, "Server reported an error status (see " \
      "the CredSSP trace)")                                                  \
    X(CREDSSP_ERR_MIC_BAD, BAD_SIG, "CredSSP message integrity check "       \
      "failed")                                                              \
    X(CREDSSP_ERR_WRAP_PARTIAL, DEFECTIVE_TOKEN, "Wrap token does not hold " \
      "whole TLS records")                                                   \
    X(CREDSSP_ERR_MUTUAL_AUTH_FAILED, FAILURE, "Server authenticated by "   \
      "NTLM only (SEC_E_MUTUAL_AUTH_FAILED)")                                \
    X(CREDSSP_ERR_PASSWORD_REFUSED, NO_CRED, "Kerberos refused the user "   \
      "name or password")                                                    \
    X(CREDSSP_ERR_SAVED_CREDS_FILE, NO_CRED, "Saved-credentials file is "    \
      "unreadable, malformed or not private to its owner")                   \
    X(CREDSSP_ERR_CB_REQUIRED, BAD_BINDINGS, "Channel binding required by "  \
      "policy but the client sent none")                                     \
    X(CREDSSP_ERR_CB_MISMATCH, BAD_BINDINGS, "Channel binding mismatch")     \
    X(CREDSSP_ERR_SERVICE_NAME, FAILURE, "Service name not in "              \
      "service_names")                                                       \
    X(CREDSSP_ERR_SERVICE_NAME_REQUIRED, FAILURE, "Service name required "   \
      "by policy but the client sent none")                                  \
    X(CREDSSP_ERR_CB_CONFLICT, FAILURE, "Channel bindings given while "      \
      "inner_channel_binding is set")                                        \
    X(CREDSSP_ERR_STORE_NO_PASSWORD, UNAVAILABLE, "Credential holds "       \
      "neither a password nor a forwarded Kerberos ticket to store")         \
    X(CREDSSP_ERR_KDC_UNREACHABLE, NO_CRED, "Cannot reach a KDC of the "     \
      "user's realm")                                                        \
    X(CREDSSP_ERR_IOV_LAYOUT, FAILURE, "IOV buffers are not one HEADER, "    \
      "DATA and one TRAILER (or one STREAM and one DATA)")                   \
    X(CREDSSP_ERR_IOV_TOO_SMALL, FAILURE, "IOV buffer too small for the "    \
      "TLS record part it must hold")                                        \
    X(CREDSSP_ERR_IOV_CIPHER, UNAVAILABLE, "The negotiated TLS cipher has "  \
      "no header/data/trailer layout (not an AEAD cipher)")                  \
    X(CREDSSP_ERR_STORE_CCACHE, FAILURE, "Cannot write the credential "      \
      "cache")                                                               \
    X(CREDSSP_ERR_STORE_EXISTS, DUPLICATE_ELEMENT, "Credential cache "      \
      "already holds credentials (overwrite not requested)")                 \
    X(CREDSSP_ERR_CLOSED_AFTER_AUTH, FAILURE, "Server closed the channel "   \
      "after our authentication, with no errorCode (logon refused)")         \
    X(CREDSSP_ERR_WRAP_REPLAY, DUPLICATE_TOKEN, "Wrap token already "        \
      "unwrapped (a replay): ignored, the session goes on")                  \
    X(CREDSSP_ERR_WRAP_EMPTY, FAILURE, "An empty message cannot be "        \
      "wrapped under TLS 1.2 (GnuTLS sends no empty records)")               \
    X(CREDSSP_ERR_INNER_UNAVAILABLE, NO_CRED, "The inner mechanism is not "  \
      "installed (NTLM needs gss-ntlmssp in the mechglue configuration)")    \
    /* -- end of the mechanism group -- */

#define CREDSSP_ERR_ENUM_ENTRY(name, major, msg) name,
enum credssp_minor {
    CREDSSP_ERR_FIRST = CREDSSP_ERR_BASE - 1,
    CREDSSP_ERRORS(CREDSSP_ERR_ENUM_ENTRY)
    CREDSSP_ERR_LAST
};
#undef CREDSSP_ERR_ENUM_ENTRY

#endif /* GSSAPI_GSSAPI_CREDSSP_ERR_H */
