/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * GSS-level rendering of the one error table: default majors and
 * gss_display_status for our minor codes, with the errno fallback.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mech/mech.h"

/* Longer texts are not worth showing (gss-ntlmssp's rule of thumb). */
#define STATUS_TEXT_MAX 512

static const char *errno_text(int code, char *buf, size_t len);
static OM_uint32 copy_text(OM_uint32 *minor, const char *text,
                           gss_buffer_t out);

#define ERR_MAJOR_ENTRY(name, major, msg) GSS_S_##major,
static const OM_uint32 err_majors[] = {
    CREDSSP_ERRORS(ERR_MAJOR_ENTRY)
};

/* strerror_r comes in an XSI (int) and a GNU (char *) flavour. */
static const char *
errno_text(int code, char *buf, size_t len)
{
#if defined(STRERROR_R_CHAR_P)
    return strerror_r(code, buf, len);
#else
    if (strerror_r(code, buf, len) != 0) {
        return NULL;
    }
    return buf;
#endif
}

static OM_uint32
copy_text(OM_uint32 *minor, const char *text, gss_buffer_t out)
{
    size_t len = strlen(text);

    out->value = malloc(len + 1);
    if (out->value == NULL) {
        *minor = ENOMEM;
        return GSS_S_FAILURE;
    }
    memcpy(out->value, text, len + 1);
    out->length = len;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_err_major(int code)
{
    if (code == 0) {
        return GSS_S_COMPLETE;
    }
    if (!credssp_err_is_ours(code)) {
        return GSS_S_FAILURE;
    }
    return err_majors[code - CREDSSP_ERR_BASE];
}

/*
 * gss_display_status for the mechanism's own minor codes.  The mechglue
 * renders major codes itself and asks us only for GSS_C_MECH_CODE values.
 * Every text fits in one message, so *message_context is always left 0.
 */
OM_uint32
credssp_display_status(OM_uint32 *minor_status, OM_uint32 status_value,
                       int status_type, gss_OID mech_type,
                       OM_uint32 *message_context, gss_buffer_t status_string)
{
    char buf[STATUS_TEXT_MAX];
    const char *text, *detail;

    (void)mech_type;
    if (minor_status == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    *minor_status = 0;
    if (status_string == GSS_C_NO_BUFFER || message_context == NULL) {
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    }
    status_string->length = 0;
    status_string->value = NULL;
    if (status_type != GSS_C_MECH_CODE || *message_context != 0) {
        return GSS_S_BAD_STATUS;
    }
    text = credssp_err_message(status_value);
    detail = credssp_err_detail(status_value);
    if (text != NULL && detail != NULL) {
        snprintf(buf, sizeof(buf), "%s: %s", text, detail);
        text = buf;
    }
    if (text == NULL && status_value > 0 && status_value < 4096) {
        text = errno_text((int)status_value, buf, sizeof(buf));
    }
    if (text == NULL) {
        text = "Unknown error";
    }
    return copy_text(minor_status, text, status_string);
}
