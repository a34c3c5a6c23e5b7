/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Lookups generated from the one error table, and the origin hook behind
 * CREDSSP_ERR().  The GSS-level rendering (majors, errno fallback) lives in
 * mech/err.c.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"

#define ERR_MESSAGE_ENTRY(name, major, msg) msg,
#define ERR_NAME_ENTRY(name, major, msg) #name,

static const char *const err_messages[] = {
    CREDSSP_ERRORS(ERR_MESSAGE_ENTRY)
};
static const char *const err_names[] = {
    CREDSSP_ERRORS(ERR_NAME_ENTRY)
};

static credssp_err_hook_fn err_hook;
static __thread int detail_code;
static __thread char detail_text[256];

void
credssp_err_set_hook(credssp_err_hook_fn hook)
{
    __atomic_store_n(&err_hook, hook, __ATOMIC_RELEASE);
}

int
credssp_err_origin(int code, const char *file, int line, const char *func)
{
    credssp_err_hook_fn hook = __atomic_load_n(&err_hook, __ATOMIC_ACQUIRE);

    if (hook != NULL) {
        hook(code, file, line, func);
    }
    return code;
}

int
credssp_err_is_ours(long code)
{
    return code > CREDSSP_ERR_FIRST && code < CREDSSP_ERR_LAST;
}

const char *
credssp_err_message(long code)
{
    if (!credssp_err_is_ours(code)) {
        return NULL;
    }
    return err_messages[code - CREDSSP_ERR_BASE];
}

const char *
credssp_err_name(long code)
{
    if (!credssp_err_is_ours(code)) {
        return NULL;
    }
    return err_names[code - CREDSSP_ERR_BASE];
}

void
credssp_err_set_detail(int code, const char *text)
{
    detail_code = text != NULL ? code : 0;
    snprintf(detail_text, sizeof(detail_text), "%s",
             text != NULL ? text : "");
}

const char *
credssp_err_detail(long code)
{
    return detail_code != 0 && code == detail_code ? detail_text : NULL;
}
