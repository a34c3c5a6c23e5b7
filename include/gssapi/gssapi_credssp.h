/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Public interface of the gss-credssp mechanism: the mechanism OID and the
 * minor status codes.  Applications use the plain GSS-API; this header only
 * names what is specific to CredSSP.  See gss-credssp(8).
 */
#ifndef GSSAPI_GSSAPI_CREDSSP_H
#define GSSAPI_GSSAPI_CREDSSP_H

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

#ifdef __cplusplus
}
#endif

#endif /* GSSAPI_GSSAPI_CREDSSP_H */
