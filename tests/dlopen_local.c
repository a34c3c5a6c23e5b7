/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * A GSS-API consumer that is not linked against libgssapi_krb5: it opens
 * the library with dlopen(RTLD_NOW | RTLD_LOCAL), as Python extension
 * modules do, and calls it only through dlsym()ed pointers (DESIGN.md
 * 5.1).  With the library's symbols out of the global scope, a plugin that
 * calls gss_* by plain name binds to its own exports and recurses; ours
 * must route every call through the mechglue it was loaded by.
 *
 * For each user (default: $CREDSSP_ALICE_PRINCIPAL, then
 * $CREDSSP_ALICE_NTLM_NAME) it acquires a CredSSP initiator credential
 * with the password in $CREDSSP_ALICE_PASSWORD_FILE, runs init/accept in
 * process against host@localhost with the default acceptor credential,
 * checks the context's mechanism and source name, and round-trips a
 * gss_wrap/gss_unwrap message both ways.  tests/dlopen_local.sh provides
 * the realm.  Prints "PASS: <case>" or "FAIL: <case>" per user; exits 0
 * only when every case passed.
 *
 *   dlopen_local [USER...]
 */
#include "config.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gssapi/gssapi_credssp.h"

#define GSSAPI_LIBRARY "libgssapi_krb5.so.2"
#define TARGET "host@localhost"
/* A CredSSP exchange takes at most 9 tokens; more means a loop. */
#define MAX_LEGS 16
#define WATCHDOG_SECONDS 60

/* Our own name-type OIDs: the library's GSS_C_NT_* are data symbols of
 * libgssapi_krb5, which this program does not link against. */
static char nt_user_name_der[] = "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x01";
static char nt_hostbased_der[] = "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04";
static gss_OID_desc nt_user_name = { 10, nt_user_name_der };
static gss_OID_desc nt_hostbased_service = { 10, nt_hostbased_der };
/* 2.25.7174002494213204233 */
static char credssp_der[] = GSS_CREDSSP_MECH_OID_BYTES;
static gss_OID_desc credssp_oid = { GSS_CREDSSP_MECH_OID_LENGTH,
                                    credssp_der };

/* Every libgssapi_krb5 function this program calls, typed from the
 * header's declarations (__typeof__ names no symbol at link time). */
#define GSS_FN(name) __typeof__(gss_##name) *name
static struct {
    GSS_FN(import_name);
    GSS_FN(display_name);
    GSS_FN(release_name);
    GSS_FN(acquire_cred_with_password);
    GSS_FN(release_cred);
    GSS_FN(init_sec_context);
    GSS_FN(accept_sec_context);
    GSS_FN(inquire_context);
    GSS_FN(delete_sec_context);
    GSS_FN(wrap);
    GSS_FN(unwrap);
    GSS_FN(release_buffer);
    GSS_FN(display_status);
} gss;

static const char *case_name;
static int case_failed;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail_gss(const char *what, OM_uint32 major, OM_uint32 minor);

static void
fail(const char *fmt, ...)
{
    va_list ap;

    printf("#   %s: ", case_name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    case_failed = 1;
}

/* One failure line with the major and the mechanism's minor text. */
static void
fail_gss(const char *what, OM_uint32 major, OM_uint32 minor)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 ctx = 0, tmp;
    char mtext[512] = "";

    if (minor != 0 &&
        gss.display_status(&tmp, minor, GSS_C_MECH_CODE, &credssp_oid, &ctx,
                           &text) == GSS_S_COMPLETE) {
        snprintf(mtext, sizeof(mtext), "%.*s", (int)text.length,
                 (const char *)text.value);
        gss.release_buffer(&tmp, &text);
    }
    fail("%s failed: major 0x%08x, minor 0x%08x (%s)", what,
         (unsigned)major, (unsigned)minor, mtext);
}

static void *
must_sym(void *lib, const char *name)
{
    void *p;

    dlerror();
    p = dlsym(lib, name);
    if (p == NULL) {
        printf("FAIL: dlsym(%s): %s\n", name, dlerror());
        exit(1);
    }
    return p;
}

static void
load_library(void)
{
    void *lib;

    lib = dlopen(GSSAPI_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        printf("FAIL: dlopen(%s): %s\n", GSSAPI_LIBRARY, dlerror());
        exit(1);
    }
    /* The point of the test: the library is not in the global scope. */
    if (dlsym(RTLD_DEFAULT, "gss_init_sec_context") != NULL) {
        printf("FAIL: gss_init_sec_context is globally visible; this "
               "program must not be linked against libgssapi_krb5\n");
        exit(1);
    }
#define SYM(field, name) (*(void **)&gss.field = must_sym(lib, name))
    SYM(import_name, "gss_import_name");
    SYM(display_name, "gss_display_name");
    SYM(release_name, "gss_release_name");
    SYM(acquire_cred_with_password, "gss_acquire_cred_with_password");
    SYM(release_cred, "gss_release_cred");
    SYM(init_sec_context, "gss_init_sec_context");
    SYM(accept_sec_context, "gss_accept_sec_context");
    SYM(inquire_context, "gss_inquire_context");
    SYM(delete_sec_context, "gss_delete_sec_context");
    SYM(wrap, "gss_wrap");
    SYM(unwrap, "gss_unwrap");
    SYM(release_buffer, "gss_release_buffer");
    SYM(display_status, "gss_display_status");
#undef SYM
    /* The library stays open until exit, as in a Python process. */
}

/* The contents of the file named by $var, without the trailing newline;
 * malloc()ed, or NULL. */
static char *
read_secret_file(const char *var)
{
    const char *path = getenv(var);
    char buf[256];
    FILE *f;
    size_t n;

    if (path == NULL || (f = fopen(path, "r")) == NULL) {
        return NULL;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}

static int
same_oid(const gss_OID a, const gss_OID b)
{
    return a != GSS_C_NO_OID && b != GSS_C_NO_OID &&
           a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

static gss_name_t
import(const char *text, gss_OID type)
{
    gss_buffer_desc buf;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major, minor;

    buf.value = (void *)(uintptr_t)text;
    buf.length = strlen(text);
    major = gss.import_name(&minor, &buf, type, &name);
    if (major != GSS_S_COMPLETE) {
        fail_gss("gss_import_name", major, minor);
        return GSS_C_NO_NAME;
    }
    return name;
}

/* A message from one context to the other through gss_wrap/gss_unwrap,
 * with confidentiality, compared byte for byte. */
static void
round_trip(gss_ctx_id_t from, gss_ctx_id_t to, const char *text,
           const char *dir)
{
    gss_buffer_desc in, wrapped = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, tmp;
    int conf = 0;
    char what[64];

    in.value = (void *)(uintptr_t)text;
    in.length = strlen(text);
    snprintf(what, sizeof(what), "gss_wrap %s", dir);
    major = gss.wrap(&minor, from, 1, GSS_C_QOP_DEFAULT, &in, &conf,
                     &wrapped);
    if (major != GSS_S_COMPLETE) {
        fail_gss(what, major, minor);
        return;
    }
    if (!conf) {
        fail("%s: no confidentiality", what);
    }
    if (wrapped.length <= in.length ||
        memmem(wrapped.value, wrapped.length, text, in.length) != NULL) {
        fail("%s: the message is not encrypted", what);
    }
    snprintf(what, sizeof(what), "gss_unwrap %s", dir);
    conf = 0;
    major = gss.unwrap(&minor, to, &wrapped, &out, &conf, NULL);
    if (major != GSS_S_COMPLETE) {
        fail_gss(what, major, minor);
    } else if (out.length != in.length ||
               memcmp(out.value, in.value, in.length) != 0 || !conf) {
        fail("%s: got %zu bytes, conf %d, not the message sent", what,
             out.length, conf);
    }
    gss.release_buffer(&tmp, &wrapped);
    gss.release_buffer(&tmp, &out);
}

static void
run_case(const char *user, const char *password)
{
    gss_OID_set_desc mechs = { 1, &credssp_oid };
    gss_buffer_desc pw, itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc shown = GSS_C_EMPTY_BUFFER;
    gss_name_t uname, target, src = GSS_C_NO_NAME;
    gss_cred_id_t icred = GSS_C_NO_CREDENTIAL, deleg = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_OID mech = GSS_C_NO_OID, amech = GSS_C_NO_OID;
    OM_uint32 major, minor, tmp, imajor = GSS_S_CONTINUE_NEEDED;
    OM_uint32 amajor = GSS_S_CONTINUE_NEEDED;
    OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    int legs, open = 0;

    case_name = user;
    case_failed = 0;
    uname = import(user, &nt_user_name);
    target = import(TARGET, &nt_hostbased_service);
    if (uname == GSS_C_NO_NAME || target == GSS_C_NO_NAME) {
        goto out;
    }
    pw.value = (void *)(uintptr_t)password;
    pw.length = strlen(password);
    major = gss.acquire_cred_with_password(&minor, uname, &pw,
                                           GSS_C_INDEFINITE, &mechs,
                                           GSS_C_INITIATE, &icred, NULL,
                                           NULL);
    if (major != GSS_S_COMPLETE) {
        fail_gss("gss_acquire_cred_with_password", major, minor);
        goto out;
    }

    for (legs = 0; legs < MAX_LEGS; legs++) {
        if (imajor == GSS_S_CONTINUE_NEEDED) {
            imajor = gss.init_sec_context(&minor, icred, &ictx, target,
                                          &credssp_oid, flags, 0,
                                          GSS_C_NO_CHANNEL_BINDINGS, &atok,
                                          &mech, &itok, NULL, NULL);
            gss.release_buffer(&tmp, &atok);
            if (GSS_ERROR(imajor)) {
                fail_gss("gss_init_sec_context", imajor, minor);
                goto out;
            }
        }
        if (itok.length == 0) {
            break;
        }
        if (amajor != GSS_S_CONTINUE_NEEDED) {
            fail("the initiator sent a token after the acceptor finished");
            goto out;
        }
        amajor = gss.accept_sec_context(&minor, &actx, GSS_C_NO_CREDENTIAL,
                                        &itok, GSS_C_NO_CHANNEL_BINDINGS,
                                        &src, &amech, &atok, NULL, NULL,
                                        &deleg);
        gss.release_buffer(&tmp, &itok);
        if (GSS_ERROR(amajor)) {
            fail_gss("gss_accept_sec_context", amajor, minor);
            goto out;
        }
        if (atok.length == 0 && imajor == GSS_S_COMPLETE) {
            break;
        }
    }
    if (imajor != GSS_S_COMPLETE || amajor != GSS_S_COMPLETE) {
        fail("no context after %d legs (init 0x%08x, accept 0x%08x)", legs,
             (unsigned)imajor, (unsigned)amajor);
        goto out;
    }
    if (!same_oid(mech, &credssp_oid) || !same_oid(amech, &credssp_oid)) {
        fail("the contexts' mechanism is not CredSSP");
    }
    major = gss.inquire_context(&minor, actx, NULL, NULL, NULL, &amech,
                                NULL, NULL, &open);
    if (major != GSS_S_COMPLETE) {
        fail_gss("gss_inquire_context", major, minor);
    } else if (!open || !same_oid(amech, &credssp_oid)) {
        fail("gss_inquire_context: open %d, mechanism not CredSSP", open);
    }
    major = gss.display_name(&minor, src, &shown, NULL);
    if (major != GSS_S_COMPLETE) {
        fail_gss("gss_display_name", major, minor);
    } else if (shown.length != strlen(user) ||
               memcmp(shown.value, user, shown.length) != 0) {
        fail("the acceptor saw \"%.*s\", not \"%s\"", (int)shown.length,
             (const char *)shown.value, user);
    }
    gss.release_buffer(&tmp, &shown);

    round_trip(ictx, actx, "from the initiator through RTLD_LOCAL",
               "initiator->acceptor");
    round_trip(actx, ictx, "and back from the acceptor",
               "acceptor->initiator");

out:
    gss.release_buffer(&tmp, &itok);
    gss.release_buffer(&tmp, &atok);
    /* Deleting a context deletes its inner context through the mechglue:
     * the call that recursed into our own export (DESIGN.md 5.1). */
    major = gss.delete_sec_context(&minor, &ictx, GSS_C_NO_BUFFER);
    if (major != GSS_S_COMPLETE && major != GSS_S_NO_CONTEXT) {
        fail_gss("gss_delete_sec_context (initiator)", major, minor);
    }
    major = gss.delete_sec_context(&minor, &actx, GSS_C_NO_BUFFER);
    if (major != GSS_S_COMPLETE && major != GSS_S_NO_CONTEXT) {
        fail_gss("gss_delete_sec_context (acceptor)", major, minor);
    }
    gss.release_cred(&tmp, &deleg);
    gss.release_cred(&tmp, &icred);
    gss.release_name(&tmp, &src);
    gss.release_name(&tmp, &uname);
    gss.release_name(&tmp, &target);
    printf("%s: %s through dlopen(RTLD_LOCAL)\n",
           case_failed ? "FAIL" : "PASS", user);
}

int
main(int argc, char **argv)
{
    const char *defaults[2];
    const char *const *users;
    char *password;
    int i, n, failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* Bounded: a recursion or a loop ends here, not in the harness. */
    alarm(WATCHDOG_SECONDS);
    if (getenv("GSS_MECH_CONFIG") == NULL) {
        printf("FAIL: GSS_MECH_CONFIG is not set; run under "
               "tests/dlopen_local.sh (it starts the realm)\n");
        return 1;
    }
    password = read_secret_file("CREDSSP_ALICE_PASSWORD_FILE");
    if (password == NULL) {
        printf("FAIL: cannot read $CREDSSP_ALICE_PASSWORD_FILE\n");
        return 1;
    }
    defaults[0] = getenv("CREDSSP_ALICE_PRINCIPAL");
    defaults[1] = getenv("CREDSSP_ALICE_NTLM_NAME");
    if (defaults[0] == NULL) {
        defaults[0] = "alice@CREDSSP.TEST";
    }
    if (defaults[1] == NULL) {
        defaults[1] = "CREDSSP\\alice";
    }
    users = argc > 1 ? (const char *const *)argv + 1 : defaults;
    n = argc > 1 ? argc - 1 : 2;

    load_library();
    for (i = 0; i < n; i++) {
        run_case(users[i], password);
        failed |= case_failed;
    }
    memset(password, 0, strlen(password));
    free(password);
    return failed ? 1 : 0;
}
