/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * GSS helpers of the end-to-end test programs (check_gss, check_attacks,
 * check_realm) and of tests/bench/credssp-bench: names, credentials,
 * status texts and an in-process init/accept exchange, all through the
 * real mechglue of libgssapi_krb5.  Nothing here uses Check: a helper
 * reports failure by its result and the caller asserts (or, in the
 * benchmark, dies), so the benchmark links this file without libcheck.
 */
#ifndef CREDSSP_TESTS_GSSTEST_H
#define CREDSSP_TESTS_GSSTEST_H

#include <stddef.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

/* A CredSSP exchange takes at most 9 tokens; more means a loop. */
#define GSSTEST_MAX_LEGS 16

/* gss-ntlmssp: 1.3.6.1.4.1.311.2.2.10 */
extern gss_OID_desc gsstest_ntlmssp_oid;

/* Both ends of one exchange and what it took. */
struct gsstest_exchange {
    OM_uint32 init_major, init_minor;
    OM_uint32 accept_major, accept_minor;
    gss_ctx_id_t ictx, actx;
    gss_name_t src;
    gss_cred_id_t deleg;
    OM_uint32 init_flags, accept_flags;
    int legs_in, legs_out; /* tokens initiator->acceptor and back */
    size_t bytes_in, bytes_out;
    int tokens;            /* legs_in + legs_out */
    size_t token_bytes[2 * GSSTEST_MAX_LEGS]; /* each, in the order sent */
};

/* gss_import_name of text: its major; *name is GSS_C_NO_NAME on failure. */
OM_uint32 gsstest_import_name(OM_uint32 *minor, const char *text,
                              gss_OID type, gss_name_t *name);

/* The display form of name, malloc()ed (free it), or NULL on failure. */
char *gsstest_display_name(gss_name_t name);

/* An initiator credential of mech (NULL: CredSSP) for the user name user
 * with password, through gss_acquire_cred_with_password: its major. */
OM_uint32 gsstest_password_cred(OM_uint32 *minor, const char *user,
                                const char *password, gss_OID mech,
                                gss_cred_id_t *cred);

/* A CredSSP initiator credential from a cred store (gss_acquire_cred_from
 * with no name): pairs holds keys and values in turn, ended by NULL, at
 * most 8 pairs.  Its major. */
OM_uint32 gsstest_store_cred(OM_uint32 *minor, const char *const *pairs,
                             gss_cred_id_t *cred);

/* gss_display_status of a CredSSP minor code, malloc()ed (free it), or
 * NULL unless it is one message (no more follow) without NUL bytes. */
char *gsstest_status_text(OM_uint32 minor);

/*
 * Drive an initiator (icred, to target, with mech, NULL: CredSSP, and
 * flags) and an acceptor (acred) in process, handing the tokens over in
 * memory, until both finish or one fails; a failing acceptor's last
 * token (an errorCode) still goes to the initiator.  *x is overwritten:
 * it gets the statuses, contexts, delegated credential, flags and the
 * tokens and bytes each way.  0, or -1 when GSSTEST_MAX_LEGS tokens did
 * not end it.  Release with gsstest_exchange_free in either case.
 */
int gsstest_exchange(struct gsstest_exchange *x, gss_cred_id_t icred,
                     gss_cred_id_t acred, gss_name_t target, gss_OID mech,
                     OM_uint32 flags);

/* Delete both contexts, release the source name and the delegated
 * credential. */
void gsstest_exchange_free(struct gsstest_exchange *x);

#endif /* CREDSSP_TESTS_GSSTEST_H */
