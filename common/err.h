/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Error codes below the GSS layer (STYLE.md 4.4).  Functions in common/,
 * asn1/ and policy/ return int: 0, a CREDSSP_ERR_* code from the one table
 * in <gssapi/gssapi_credssp_err.h>, or an errno value such as ENOMEM.
 *
 * CREDSSP_ERR(code) is an expression with the value of code.  When an
 * origin hook is installed (the trace layer does so when CREDSSP_TRACE is
 * set) it also reports the file, line and function where the error was
 * raised.  It never returns or jumps by itself.
 */
#ifndef CREDSSP_COMMON_ERR_H
#define CREDSSP_COMMON_ERR_H

#include <gssapi/gssapi_credssp_err.h>

#define CREDSSP_MUST_CHECK __attribute__((warn_unused_result))

typedef void (*credssp_err_hook_fn)(int code, const char *file, int line,
                                    const char *func);

/* Install (or, with NULL, remove) the hook that sees every CREDSSP_ERR(). */
void credssp_err_set_hook(credssp_err_hook_fn hook);

int credssp_err_origin(int code, const char *file, int line,
                       const char *func);

#define CREDSSP_ERR(code)                                                    \
    credssp_err_origin((code), __FILE__, __LINE__, __func__)

/* 1 when code lies in our table. */
int credssp_err_is_ours(long code);

/* The message of one of our codes, or NULL for any other value. */
const char *credssp_err_message(long code);

/* The symbolic name of one of our codes ("CREDSSP_ERR_ASN1_TAG"), or
 * NULL. */
const char *credssp_err_name(long code);

/*
 * A detail for the next rendering of code on this thread: the delegation
 * policy explains which rule refused which SPN.  gss_display_status shows
 * "message: detail" when the code it renders is the one recorded last on
 * the calling thread.  text is copied (truncated to 255 bytes); NULL
 * clears.  Details never hold secrets.
 */
void credssp_err_set_detail(int code, const char *text);

/* The detail recorded for code on this thread, or NULL. */
const char *credssp_err_detail(long code);

#endif /* CREDSSP_COMMON_ERR_H */
