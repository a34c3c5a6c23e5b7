/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * CredSSP names and the gss_*_name entry points.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gssapi/gssapi_krb5.h>

#include "mech/glue.h"
#include "mech/mech.h"
#include "mech/name.h"

static int type_is(gss_const_OID a, gss_const_OID b);
static gss_OID known_type(gss_const_OID type);
static int same_domain(const char *a, const char *b);
static OM_uint32 fail(OM_uint32 *minor, int code);

static int
type_is(gss_const_OID a, gss_const_OID b)
{
    return a != GSS_C_NO_OID && b != GSS_C_NO_OID && a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

/* The static OID we keep for an accepted name type, or NULL. */
static gss_OID
known_type(gss_const_OID type)
{
    if (type == GSS_C_NO_OID || type_is(type, GSS_C_NT_USER_NAME)) {
        return GSS_C_NT_USER_NAME;
    }
    if (type_is(type, GSS_C_NT_HOSTBASED_SERVICE)) {
        return GSS_C_NT_HOSTBASED_SERVICE;
    }
    if (type_is(type, GSS_KRB5_NT_PRINCIPAL_NAME)) {
        return GSS_KRB5_NT_PRINCIPAL_NAME;
    }
    return NULL;
}

static OM_uint32
fail(OM_uint32 *minor, int code)
{
    *minor = (OM_uint32)code;
    return credssp_err_major(code);
}

OM_uint32
credssp_name_new(OM_uint32 *minor, const char *text, size_t len,
                 gss_const_OID type, struct credssp_name **out)
{
    struct credssp_name *name;
    gss_OID kept = known_type(type);

    *minor = 0;
    if (kept == NULL) {
        return GSS_S_BAD_NAMETYPE;
    }
    /* The stock gss-server counts the terminating NUL in its name. */
    if (text != NULL && len > 0 && text[len - 1] == '\0') {
        len--;
    }
    if (text == NULL || len == 0 || memchr(text, '\0', len) != NULL) {
        return fail(minor, CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
    }
    name = calloc(1, sizeof(*name));
    if (name == NULL || (name->text = strndup(text, len)) == NULL) {
        free(name);
        return fail(minor, ENOMEM);
    }
    name->type = kept;
    name->inner = GSS_C_NO_NAME;
    *out = name;
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_name_take_inner(OM_uint32 *minor, gss_name_t *inner,
                        struct credssp_name **out)
{
    const struct credssp_glue *g = credssp_glue(minor);
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    gss_OID type = GSS_C_NO_OID;
    struct credssp_name *name = NULL;
    OM_uint32 major, tmp;
    size_t len;

    if (g == NULL) {
        return GSS_S_FAILURE;
    }
    major = g->display_name(minor, *inner, &text, &type);
    if (major != GSS_S_COMPLETE) {
        return fail(minor, CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
    }
    /* gss-ntlmssp counts a trailing NUL in the display name. */
    len = text.length;
    while (len > 0 && ((const char *)text.value)[len - 1] == '\0') {
        len--;
    }
    major = credssp_name_new(minor, text.value, len,
                             type_is(type, GSS_KRB5_NT_PRINCIPAL_NAME)
                                 ? GSS_KRB5_NT_PRINCIPAL_NAME
                                 : GSS_C_NT_USER_NAME,
                             &name);
    if (major == GSS_S_COMPLETE) {
        name->inner = *inner;
        *inner = GSS_C_NO_NAME;
    }
    (void)gss_release_buffer(&tmp, &text);
    if (major == GSS_S_COMPLETE) {
        *out = name;
    }
    return major;
}

OM_uint32
credssp_name_copy(OM_uint32 *minor, const struct credssp_name *in,
                  struct credssp_name **out)
{
    const struct credssp_glue *g;
    struct credssp_name *name = NULL;
    OM_uint32 major;

    major = credssp_name_new(minor, in->text, strlen(in->text), in->type,
                             &name);
    if (major != GSS_S_COMPLETE || in->inner == GSS_C_NO_NAME) {
        goto done;
    }
    g = credssp_glue(minor);
    if (g == NULL) {
        major = GSS_S_FAILURE;
        goto done;
    }
    major = g->duplicate_name(minor, in->inner, &name->inner);
    if (major != GSS_S_COMPLETE) {
        major = fail(minor, CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
    }

done:
    if (major == GSS_S_COMPLETE) {
        *out = name;
    } else {
        credssp_name_free(&name);
    }
    return major;
}

OM_uint32
credssp_name_inner(OM_uint32 *minor, struct credssp_name *name,
                   gss_name_t *out)
{
    const struct credssp_glue *g;
    gss_buffer_desc text;
    OM_uint32 major;

    *minor = 0;
    if (name->inner == GSS_C_NO_NAME) {
        g = credssp_glue(minor);
        if (g == NULL) {
            return GSS_S_FAILURE;
        }
        text.value = name->text;
        text.length = strlen(name->text);
        major = g->import_name(minor, &text, name->type, &name->inner);
        if (major != GSS_S_COMPLETE) {
            name->inner = GSS_C_NO_NAME;
            return fail(minor, CREDSSP_ERR(CREDSSP_ERR_BAD_NAME));
        }
    }
    *out = name->inner;
    return GSS_S_COMPLETE;
}

int
credssp_name_spn(const struct credssp_name *name, char **spn)
{
    const char *at, *slash;
    char *out;
    size_t len;

    if (name->type == GSS_C_NT_HOSTBASED_SERVICE) {
        /* "service@host", or "service" alone for the local host. */
        at = strchr(name->text, '@');
        if (at == NULL || at == name->text || at[1] == '\0') {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
        }
        out = strdup(name->text);
        if (out == NULL) {
            return ENOMEM;
        }
        out[at - name->text] = '/';
    } else if (name->type == GSS_KRB5_NT_PRINCIPAL_NAME) {
        /* "service/host@REALM": drop the realm. */
        slash = strchr(name->text, '/');
        if (slash == NULL || slash == name->text) {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
        }
        at = strchr(slash, '@');
        len = at != NULL ? (size_t)(at - name->text) : strlen(name->text);
        out = strndup(name->text, len);
        if (out == NULL) {
            return ENOMEM;
        }
    } else {
        return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
    }
    *spn = out;
    return 0;
}

int
credssp_name_split_user(const char *text, char **user, char **domain)
{
    const char *sep = strchr(text, '\\');
    char *u = NULL, *d = NULL;

    if (sep != NULL) {
        if (sep == text || sep[1] == '\0' || strchr(sep + 1, '\\') != NULL) {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
        }
        d = strndup(text, (size_t)(sep - text));
        u = strdup(sep + 1);
    } else {
        sep = strrchr(text, '@');
        if (*text == '\0' || sep == text || (sep != NULL && sep[1] == '\0')) {
            return CREDSSP_ERR(CREDSSP_ERR_BAD_NAME);
        }
        u = sep != NULL ? strndup(text, (size_t)(sep - text)) : strdup(text);
        d = strdup(sep != NULL ? sep + 1 : "");
    }
    if (u == NULL || d == NULL) {
        free(u);
        free(d);
        return ENOMEM;
    }
    *user = u;
    *domain = d;
    return 0;
}

/* NetBIOS "CREDSSP" matches DNS "credssp.test" by its first label. */
static int
same_domain(const char *a, const char *b)
{
    const char *dot_a = strchr(a, '.'), *dot_b = strchr(b, '.');
    size_t la, lb;

    if (strcasecmp(a, b) == 0) {
        return 1;
    }
    if ((dot_a == NULL) == (dot_b == NULL)) {
        return 0;
    }
    la = dot_a != NULL ? (size_t)(dot_a - a) : strlen(a);
    lb = dot_b != NULL ? (size_t)(dot_b - b) : strlen(b);
    return la == lb && strncasecmp(a, b, la) == 0;
}

int
credssp_name_same_user(const char *user_a, const char *domain_a,
                       const char *user_b, const char *domain_b)
{
    char *ua = NULL, *da = NULL, *ub = NULL, *db = NULL;
    int same = 0;

    /* A UPN with an empty domain carries its domain after the '@'. */
    if ((*domain_a == '\0' && strchr(user_a, '@') != NULL &&
         credssp_name_split_user(user_a, &ua, &da) != 0) ||
        (*domain_b == '\0' && strchr(user_b, '@') != NULL &&
         credssp_name_split_user(user_b, &ub, &db) != 0)) {
        goto done;
    }
    same = strcasecmp(ua != NULL ? ua : user_a, ub != NULL ? ub : user_b) ==
               0 &&
           same_domain(da != NULL ? da : domain_a, db != NULL ? db : domain_b);

done:
    free(ua);
    free(da);
    free(ub);
    free(db);
    return same;
}

void
credssp_name_free(struct credssp_name **name)
{
    const struct credssp_glue *g;
    OM_uint32 minor;

    if (name == NULL || *name == NULL) {
        return;
    }
    if ((*name)->inner != GSS_C_NO_NAME) {
        g = credssp_glue(&minor);
        if (g != NULL) {
            (void)g->release_name(&minor, &(*name)->inner);
        }
    }
    free((*name)->text);
    free(*name);
    *name = NULL;
}

/* ---- gss_*_name entry points ---- */

OM_uint32
credssp_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer,
                    gss_OID input_name_type, gss_name_t *output_name)
{
    struct credssp_name *name = NULL;
    OM_uint32 major;

    if (output_name == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    *output_name = GSS_C_NO_NAME;
    if (input_name_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_READ;
    }
    major = credssp_name_new(minor_status, input_name_buffer->value,
                             input_name_buffer->length, input_name_type,
                             &name);
    if (major == GSS_S_COMPLETE) {
        *output_name = (gss_name_t)name;
    }
    return major;
}

OM_uint32
credssp_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                     gss_buffer_t output_name_buffer,
                     gss_OID *output_name_type)
{
    const struct credssp_name *name = (const struct credssp_name *)input_name;
    size_t len;

    *minor_status = 0;
    if (output_name_buffer == GSS_C_NO_BUFFER) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    output_name_buffer->length = 0;
    output_name_buffer->value = NULL;
    if (name == NULL) {
        return GSS_S_BAD_NAME;
    }
    len = strlen(name->text);
    output_name_buffer->value = malloc(len + 1);
    if (output_name_buffer->value == NULL) {
        return fail(minor_status, ENOMEM);
    }
    memcpy(output_name_buffer->value, name->text, len + 1);
    output_name_buffer->length = len;
    if (output_name_type != NULL) {
        *output_name_type = name->type;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_release_name(OM_uint32 *minor_status, gss_name_t *input_name)
{
    *minor_status = 0;
    if (input_name == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    credssp_name_free((struct credssp_name **)input_name);
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_duplicate_name(OM_uint32 *minor_status, const gss_name_t src_name,
                       gss_name_t *dest_name)
{
    struct credssp_name *copy = NULL;
    OM_uint32 major;

    if (dest_name == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    *dest_name = GSS_C_NO_NAME;
    if (src_name == GSS_C_NO_NAME) {
        return GSS_S_BAD_NAME;
    }
    major = credssp_name_copy(minor_status,
                              (const struct credssp_name *)src_name, &copy);
    if (major == GSS_S_COMPLETE) {
        *dest_name = (gss_name_t)copy;
    }
    return major;
}

OM_uint32
credssp_compare_name(OM_uint32 *minor_status, gss_name_t name1,
                     gss_name_t name2, int *name_equal)
{
    const struct credssp_name *a = (const struct credssp_name *)name1;
    const struct credssp_name *b = (const struct credssp_name *)name2;

    *minor_status = 0;
    if (name_equal == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    if (a == NULL || b == NULL) {
        return GSS_S_BAD_NAME;
    }
    /* A user name and a Kerberos principal name of the same text are one
     * user (an exported name imports back as a user name); a host-based
     * service name is only ever equal to another. */
    *name_equal = (a->type == b->type ||
                   (a->type != GSS_C_NT_HOSTBASED_SERVICE &&
                    b->type != GSS_C_NT_HOSTBASED_SERVICE)) &&
                  strcmp(a->text, b->text) == 0;
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_inquire_name(OM_uint32 *minor_status, gss_name_t input_name,
                     int *name_is_MN, gss_OID *MN_mech,
                     gss_buffer_set_t *attrs)
{
    *minor_status = 0;
    if (input_name == GSS_C_NO_NAME) {
        return GSS_S_BAD_NAME;
    }
    if (name_is_MN != NULL) {
        *name_is_MN = 1;
    }
    if (MN_mech != NULL) {
        *MN_mech = GSS_CREDSSP_MECH_OID;
    }
    if (attrs != NULL) {
        *attrs = GSS_C_NO_BUFFER_SET;
    }
    return GSS_S_COMPLETE;
}

/* The local account of an authenticated client, through the inner
 * mechanism's own mapping (krb5: auth_to_local). */
OM_uint32
credssp_localname(OM_uint32 *minor_status, const gss_name_t pname,
                  gss_const_OID mech_type, gss_buffer_t localname)
{
    const struct credssp_name *name = (const struct credssp_name *)pname;
    const struct credssp_glue *g;

    (void)mech_type;
    *minor_status = 0;
    if (name == NULL || name->inner == GSS_C_NO_NAME) {
        return GSS_S_UNAVAILABLE;
    }
    g = credssp_glue(minor_status);
    if (g == NULL) {
        return GSS_S_FAILURE;
    }
    return g->localname(minor_status, name->inner, GSS_C_NO_OID, localname);
}

OM_uint32
credssp_inquire_names_for_mech(OM_uint32 *minor_status, gss_OID mechanism,
                               gss_OID_set *name_types)
{
    gss_OID types[3];
    OM_uint32 major, tmp;
    size_t i;

    (void)mechanism;
    types[0] = GSS_C_NT_USER_NAME;
    types[1] = GSS_C_NT_HOSTBASED_SERVICE;
    types[2] = GSS_KRB5_NT_PRINCIPAL_NAME;
    major = gss_create_empty_oid_set(minor_status, name_types);
    for (i = 0; major == GSS_S_COMPLETE && i < 3; i++) {
        major = gss_add_oid_set_member(minor_status, types[i], name_types);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, name_types);
    }
    return major;
}
