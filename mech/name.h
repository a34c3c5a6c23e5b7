/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Names of the CredSSP mechanism: the text an application imported (a
 * user, a host-based service or a Kerberos principal), plus, once needed,
 * the same name imported through the mechglue for the inner context.
 */
#ifndef CREDSSP_MECH_NAME_H
#define CREDSSP_MECH_NAME_H

#include <gssapi/gssapi.h>

#include "common/err.h"

struct credssp_name {
    char *text;       /* NUL-terminated, no embedded NUL */
    gss_OID type;     /* a static name-type OID (never freed) */
    gss_name_t inner; /* mechglue name, or GSS_C_NO_NAME until needed */
};

/* A new name from text of len bytes.  type GSS_C_NO_OID means a user
 * name.  Returns GSS_S_COMPLETE, GSS_S_BAD_NAMETYPE or GSS_S_BAD_NAME. */
OM_uint32 credssp_name_new(OM_uint32 *minor, const char *text, size_t len,
                           gss_const_OID type, struct credssp_name **out);

/* Our name for a name the inner context produced (the authenticated
 * client, the target), taking *inner over on success (*inner becomes
 * GSS_C_NO_NAME): no duplicate, which for a Kerberos name would cost a
 * krb5 context twice (the duplicate and its release). */
OM_uint32 credssp_name_take_inner(OM_uint32 *minor, gss_name_t *inner,
                                  struct credssp_name **out);

OM_uint32 credssp_name_copy(OM_uint32 *minor, const struct credssp_name *in,
                            struct credssp_name **out);

/* The mechglue form of the name (imported on first use, then cached). */
OM_uint32 credssp_name_inner(OM_uint32 *minor, struct credssp_name *name,
                             gss_name_t *out);

/* The SPN "service/host" of a host-based service or service principal
 * name, newly allocated; CREDSSP_ERR_BAD_NAME for other names. */
CREDSSP_MUST_CHECK int credssp_name_spn(const struct credssp_name *name,
                                        char **spn);

/* Split a user name "DOMAIN\user", "user@REALM" or "user" into its parts
 * (newly allocated; domain "" when none).  Returns 0, CREDSSP_ERR_BAD_NAME
 * or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_name_split_user(const char *text,
                                               char **user, char **domain);

/* 1 when two user identities denote the same account: user names compared
 * case-insensitively; domains compared case-insensitively, where a NetBIOS
 * domain also matches the first label of a DNS realm (CREDSSP and
 * CREDSSP.TEST).  An empty domain on the delegated side, with a UPN user
 * ("alice@REALM"), is split first. */
int credssp_name_same_user(const char *user_a, const char *domain_a,
                           const char *user_b, const char *domain_b);

void credssp_name_free(struct credssp_name **name);

#endif /* CREDSSP_MECH_NAME_H */
