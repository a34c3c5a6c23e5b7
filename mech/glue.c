/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Binding the mechglue table (see glue.h).  libgssapi_krb5 is always
 * loaded already when our plugin runs (it is what loaded us), so it is
 * found with RTLD_NOLOAD; the handle is kept for the life of the process.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "mech/glue.h"
#include "mech/mech.h"

#define GLUE_LIBRARY "libgssapi_krb5.so.2"

static void bind_table(void);

static pthread_once_t glue_once = PTHREAD_ONCE_INIT;
static struct credssp_glue glue_table;
static int glue_ok;
static __thread int guard_depth;

static void
bind_table(void)
{
    void *lib;
    int ok = 1;

    lib = dlopen(GLUE_LIBRARY, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (lib == NULL) {
        lib = dlopen(GLUE_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    }
    if (lib == NULL) {
        return;
    }
#define BIND_MEMBER(member, function)                                        \
    *(void **)&glue_table.member = dlsym(lib, #function);                    \
    ok = ok && glue_table.member != NULL;
    CREDSSP_GLUE_FUNCTIONS(BIND_MEMBER)
#undef BIND_MEMBER
    /* The handle stays open: the table points into the library. */
    glue_ok = ok;
}

const struct credssp_glue *
credssp_glue(OM_uint32 *minor)
{
    (void)pthread_once(&glue_once, bind_table);
    if (!glue_ok) {
        *minor = CREDSSP_ERR(CREDSSP_ERR_GLUE_UNAVAILABLE);
        return NULL;
    }
    return &glue_table;
}

int
credssp_guard_enter(void)
{
    if (guard_depth > 0) {
        return CREDSSP_ERR(CREDSSP_ERR_RECURSION);
    }
    guard_depth++;
    return 0;
}

void
credssp_guard_leave(void)
{
    if (guard_depth > 0) {
        guard_depth--;
    }
}
