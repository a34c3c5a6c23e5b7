/* Copyright (C) the gss-credssp contributors; see COPYING. */
/* GSS helpers of the end-to-end tests and the benchmark (gsstest.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/gsstest.h"

/* The most key/value pairs of a cred store. */
#define MAX_STORE 8

static char ntlmssp_der[] = "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a";
gss_OID_desc gsstest_ntlmssp_oid = { 10, ntlmssp_der };

OM_uint32
gsstest_import_name(OM_uint32 *minor, const char *text, gss_OID type,
                    gss_name_t *name)
{
    gss_buffer_desc buf;

    buf.value = (void *)(uintptr_t)text;
    buf.length = strlen(text);
    *name = GSS_C_NO_NAME;
    return gss_import_name(minor, &buf, type, name);
}

char *
gsstest_display_name(gss_name_t name)
{
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    char *s;

    major = gss_display_name(&minor, name, &buf, NULL);
    if (major != GSS_S_COMPLETE) {
        return NULL;
    }
    s = strndup(buf.value, buf.length);
    gss_release_buffer(&minor, &buf);
    return s;
}

OM_uint32
gsstest_password_cred(OM_uint32 *minor, const char *user,
                      const char *password, gss_OID mech,
                      gss_cred_id_t *cred)
{
    gss_OID_set_desc mechs = { 1, mech != NULL ? mech : GSS_CREDSSP_MECH_OID };
    gss_buffer_desc pw;
    gss_name_t name;
    OM_uint32 major, tmp;

    *cred = GSS_C_NO_CREDENTIAL;
    major = gsstest_import_name(minor, user, GSS_C_NT_USER_NAME, &name);
    if (major != GSS_S_COMPLETE) {
        return major;
    }
    pw.value = (void *)(uintptr_t)password;
    pw.length = strlen(password);
    major = gss_acquire_cred_with_password(minor, name, &pw,
                                           GSS_C_INDEFINITE, &mechs,
                                           GSS_C_INITIATE, cred, NULL, NULL);
    gss_release_name(&tmp, &name);
    return major;
}

OM_uint32
gsstest_store_cred(OM_uint32 *minor, const char *const *pairs,
                   gss_cred_id_t *cred)
{
    gss_key_value_element_desc kv[MAX_STORE];
    gss_key_value_set_desc store = { 0, kv };
    gss_OID_set_desc mechs = { 1, GSS_CREDSSP_MECH_OID };

    *cred = GSS_C_NO_CREDENTIAL;
    for (; pairs[0] != NULL; pairs += 2) {
        if (store.count == MAX_STORE || pairs[1] == NULL) {
            *minor = 0;
            return GSS_S_CALL_INACCESSIBLE_READ;
        }
        kv[store.count].key = pairs[0];
        kv[store.count].value = pairs[1];
        store.count++;
    }
    return gss_acquire_cred_from(minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                 &mechs, GSS_C_INITIATE, &store, cred, NULL,
                                 NULL);
}

char *
gsstest_status_text(OM_uint32 minor)
{
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp, ctx = 0;
    char *s = NULL;

    major = gss_display_status(&tmp, minor, GSS_C_MECH_CODE,
                               GSS_CREDSSP_MECH_OID, &ctx, &buf);
    if (major == GSS_S_COMPLETE && ctx == 0 &&
        memchr(buf.value, 0, buf.length) == NULL) {
        s = strndup(buf.value, buf.length);
    }
    gss_release_buffer(&tmp, &buf);
    return s;
}

/* One call of the initiator with the acceptor's token in. */
static void
init_leg(struct gsstest_exchange *x, gss_cred_id_t icred, gss_name_t target,
         gss_OID mech, OM_uint32 flags, gss_buffer_t in, gss_buffer_t out)
{
    x->init_major = gss_init_sec_context(&x->init_minor, icred, &x->ictx,
                                         target, mech, flags, 0,
                                         GSS_C_NO_CHANNEL_BINDINGS, in, NULL,
                                         out, &x->init_flags, NULL);
}

int
gsstest_exchange(struct gsstest_exchange *x, gss_cred_id_t icred,
                 gss_cred_id_t acred, gss_name_t target, gss_OID mech,
                 OM_uint32 flags)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 tmp;
    int legs, idone = 0, adone = 0;

    if (mech == GSS_C_NO_OID) {
        mech = GSS_CREDSSP_MECH_OID;
    }
    memset(x, 0, sizeof(*x));
    x->init_major = GSS_S_CONTINUE_NEEDED;
    x->accept_major = GSS_S_CONTINUE_NEEDED;
    for (legs = 0; legs < GSSTEST_MAX_LEGS; legs++) {
        if (!idone) {
            init_leg(x, icred, target, mech, flags, &atok, &itok);
            gss_release_buffer(&tmp, &atok);
            if (GSS_ERROR(x->init_major)) {
                break;
            }
            idone = x->init_major == GSS_S_COMPLETE;
        }
        if (itok.length == 0) {
            if (idone) {
                /* Done, or the initiator finished without a last
                 * token. */
                break;
            }
            continue;
        }
        x->legs_in++;
        x->bytes_in += itok.length;
        x->token_bytes[x->tokens++] = itok.length;
        x->accept_major = gss_accept_sec_context(
            &x->accept_minor, &x->actx, acred, &itok,
            GSS_C_NO_CHANNEL_BINDINGS, &x->src, NULL, &atok,
            &x->accept_flags, NULL, &x->deleg);
        gss_release_buffer(&tmp, &itok);
        if (atok.length > 0) {
            x->legs_out++;
            x->bytes_out += atok.length;
            x->token_bytes[x->tokens++] = atok.length;
        }
        if (GSS_ERROR(x->accept_major)) {
            /* Let the initiator read a final errorCode. */
            if (atok.length > 0 && !idone) {
                init_leg(x, icred, target, mech, flags, &atok, &itok);
            }
            break;
        }
        adone = x->accept_major == GSS_S_COMPLETE;
        if (idone && adone) {
            break;
        }
    }
    gss_release_buffer(&tmp, &itok);
    gss_release_buffer(&tmp, &atok);
    return legs < GSSTEST_MAX_LEGS ? 0 : -1;
}

void
gsstest_exchange_free(struct gsstest_exchange *x)
{
    OM_uint32 tmp;

    gss_delete_sec_context(&tmp, &x->ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&tmp, &x->actx, GSS_C_NO_BUFFER);
    gss_release_name(&tmp, &x->src);
    gss_release_cred(&tmp, &x->deleg);
}
