/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The only door to the mechglue (DESIGN.md 5.1, STYLE.md 4.10).
 *
 * The plugin exports gss_init_sec_context and friends, and must also call
 * the mechglue's functions of the same names for its inner context.  A
 * plain call could resolve to our own export and recurse (when the host
 * loaded libgssapi_krb5 RTLD_LOCAL, or when the call sits inside our own
 * function of that name).  Every mechglue function is therefore reached
 * through this table, bound explicitly to libgssapi_krb5 with dlsym().
 * tests/exports.sh checks that no object but spi.o refers to an exported
 * name.
 */
#ifndef CREDSSP_MECH_GLUE_H
#define CREDSSP_MECH_GLUE_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

/* X(member, mechglue function) */
#define CREDSSP_GLUE_FUNCTIONS(X)                                            \
    X(accept_sec_context, gss_accept_sec_context)                            \
    X(acquire_cred, gss_acquire_cred)                                        \
    X(acquire_cred_from, gss_acquire_cred_from)                              \
    X(acquire_cred_with_password, gss_acquire_cred_with_password)            \
    X(canonicalize_name, gss_canonicalize_name)                              \
    X(compare_name, gss_compare_name)                                        \
    X(context_time, gss_context_time)                                        \
    X(delete_sec_context, gss_delete_sec_context)                            \
    X(display_name, gss_display_name)                                        \
    X(display_status, gss_display_status)                                    \
    X(duplicate_name, gss_duplicate_name)                                    \
    X(export_name, gss_export_name)                                          \
    X(get_mic, gss_get_mic)                                                  \
    X(import_name, gss_import_name)                                          \
    X(init_sec_context, gss_init_sec_context)                                \
    X(inquire_context, gss_inquire_context)                                  \
    X(inquire_cred, gss_inquire_cred)                                        \
    X(localname, gss_localname)                                              \
    X(release_cred, gss_release_cred)                                        \
    X(release_name, gss_release_name)                                        \
    X(set_cred_option, gss_set_cred_option)                                  \
    X(set_neg_mechs, gss_set_neg_mechs)                                      \
    X(store_cred_into, gss_store_cred_into)                                  \
    X(unwrap, gss_unwrap)                                                    \
    X(verify_mic, gss_verify_mic)                                            \
    X(wrap, gss_wrap)                                                        \
    X(wrap_iov, gss_wrap_iov)

#define CREDSSP_GLUE_MEMBER(member, function) __typeof__(&function) member;
struct credssp_glue {
    CREDSSP_GLUE_FUNCTIONS(CREDSSP_GLUE_MEMBER)
};
#undef CREDSSP_GLUE_MEMBER

/* The bound table, or NULL when libgssapi_krb5 cannot be reached (then
 * *minor is CREDSSP_ERR_GLUE_UNAVAILABLE).  Bound once per process. */
const struct credssp_glue *credssp_glue(OM_uint32 *minor);

/*
 * Re-entrance guard (DESIGN.md 5.2): CredSSP must never run inside its own
 * inner context.  credssp_guard_enter() returns 0 and marks this thread as
 * inside the mechanism, or CREDSSP_ERR_RECURSION when it already is;
 * credssp_guard_leave() undoes a successful enter.
 */
int credssp_guard_enter(void);
void credssp_guard_leave(void);

#endif /* CREDSSP_MECH_GLUE_H */
