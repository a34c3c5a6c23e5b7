/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Secrets do not outlive their use in memory freed for us.  This program
 * replaces free() and realloc() for the whole process (the plugin that
 * the mechglue dlopen()s binds to them as well): every block released is
 * scanned for the user's password, as UTF-8 and as UTF-16LE (the form
 * TSPasswordCreds carries), before it goes back to the C library.  A hit
 * is ours when credssp.so called free(), or when a library that only
 * works on our data (libtasn1, GnuTLS, nettle) did while credssp.so was
 * up the stack.  Full exchanges with password delegation (Kerberos and
 * NTLM), then gss_delete_sec_context on both sides and gss_release_cred
 * of every credential, the delegated one included: no block freed for
 * credssp.so may hold the password.
 *
 * What this does not cover: copies that other libraries make and free on
 * their own account (libkrb5, gss-ntlmssp, the mechglue) are counted and
 * printed, not asserted -- they are not ours to fix; memory still
 * allocated and stack copies are not scanned.  A positive control proves
 * the scanner sees a password freed without wiping.
 *
 * Under AddressSanitizer (which owns malloc: the replacements are not
 * even built) and valgrind (which replaces it) the scan cannot run: the
 * program then reports SKIP (exit 77).
 */
#include "config.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <valgrind/valgrind.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

#if defined(__SANITIZE_ADDRESS__)
#define SECRETS_SCAN_POSSIBLE 0
#else
#define SECRETS_SCAN_POSSIBLE 1
#endif

#define TCASE_TIMEOUT 120
#define MARKER_MAX 128

#if SECRETS_SCAN_POSSIBLE

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);

/* The scanner's state: no allocation in here. */
static struct {
    int on;
    uint8_t text[MARKER_MAX];
    size_t text_len;
    uint8_t utf16[2 * MARKER_MAX];
    size_t utf16_len;
    unsigned long ours;   /* hits freed from credssp.so */
    unsigned long others; /* hits freed elsewhere */
    unsigned long plugin_frees; /* blocks credssp.so freed: the scan
                                 * reaches the plugin at all */
    void *last_ours;      /* the caller of the last hit of ours */
    const char *last_ours_in; /* the object that called free() for it */
    const char *last_other; /* the object of the last other hit */
} scan;

static int
holds(const uint8_t *p, size_t n, const uint8_t *m, size_t mlen)
{
    size_t i;

    if (mlen == 0 || n < mlen) {
        return 0;
    }
    for (i = 0; i + mlen <= n; i++) {
        if (p[i] == m[0] && memcmp(p + i, m, mlen) == 0) {
            return 1;
        }
    }
    return 0;
}

/* 1 when addr lies in credssp.so. */
static int
in_plugin(void *addr)
{
    Dl_info info;

    return dladdr(addr, &info) != 0 && info.dli_fname != NULL &&
           strstr(info.dli_fname, "credssp.so") != NULL;
}

/* Scan a block about to be released by caller. */
static void
scan_block(void *ptr, void *caller)
{
    size_t n = malloc_usable_size(ptr);
    void *frames[32];
    Dl_info info;
    int plugin, depth, i;

    plugin = in_plugin(caller);
    scan.plugin_frees += plugin;
    if (!holds(ptr, n, scan.text, scan.text_len) &&
        !holds(ptr, n, scan.utf16, scan.utf16_len)) {
        return;
    }
    if (dladdr(caller, &info) == 0) {
        info.dli_fname = "?";
    }
    /* Freed on our behalf: by a library that only works on our data
     * (the DER and TLS ones) while credssp.so is up the stack. */
    if (!plugin && (strstr(info.dli_fname, "libtasn1") != NULL ||
                    strstr(info.dli_fname, "libgnutls") != NULL ||
                    strstr(info.dli_fname, "libnettle") != NULL ||
                    strstr(info.dli_fname, "libhogweed") != NULL)) {
        depth = backtrace(frames, 32);
        for (i = 0; !plugin && i < depth; i++) {
            plugin = in_plugin(frames[i]);
        }
    }
    if (plugin) {
        scan.ours++;
        scan.last_ours = caller;
        scan.last_ours_in = info.dli_fname;
    } else {
        scan.others++;
        scan.last_other = info.dli_fname;
    }
}

/* Default visibility: the build hides symbols, and the libraries and
 * the plugin must bind to these. */
__attribute__((visibility("default"))) void
free(void *ptr)
{
    if (ptr != NULL && scan.on) {
        scan_block(ptr, __builtin_return_address(0));
    }
    __libc_free(ptr);
}

/* A moving realloc: the old block is released through the scan. */
__attribute__((visibility("default"))) void *
realloc(void *ptr, size_t size)
{
    void *grown;
    size_t old;

    if (ptr == NULL) {
        return __libc_malloc(size);
    }
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    grown = __libc_malloc(size);
    if (grown == NULL) {
        return NULL;
    }
    old = malloc_usable_size(ptr);
    memcpy(grown, ptr, old < size ? old : size);
    if (scan.on) {
        scan_block(ptr, __builtin_return_address(0));
    }
    __libc_free(ptr);
    return grown;
}

static void
scan_start(const char *password)
{
    size_t i, len = strlen(password);

    ck_assert_uint_lt(len, MARKER_MAX);
    ck_assert_uint_ge(len, 8);
    memset(&scan, 0, sizeof(scan));
    memcpy(scan.text, password, len);
    scan.text_len = len;
    for (i = 0; i < len; i++) {
        scan.utf16[2 * i] = (uint8_t)password[i];
        scan.utf16[2 * i + 1] = 0;
    }
    scan.utf16_len = 2 * len;
    /* backtrace() loads its unwinder on first use: not inside free(). */
    {
        void *frame[1];

        (void)backtrace(frame, 1);
    }
    scan.on = 1;
}

static void
scan_stop(void)
{
    scan.on = 0;
}

/* The control: a password freed unwiped by this program is seen (and
 * charged to "others", not to credssp.so). */
START_TEST(test_secrets_control)
{
    static const char marker[] = "control-marker-0123456789";
    /* Through pointers the compiler cannot see through, so the block is
     * really allocated, written and freed. */
    void *(*volatile get)(size_t) = malloc;
    void (*volatile release)(void *) = free;
    char *p;

    scan_start(marker);
    p = get(100);
    ck_assert_ptr_nonnull(p);
    memcpy(p + 10, marker, sizeof(marker));
    release(p);
    scan_stop();
    ck_assert_uint_eq(scan.others, 1);
    ck_assert_uint_eq(scan.ours, 0);
}
END_TEST

/* An exchange with password delegation, everything released: no block
 * credssp.so freed held the password.  _i 0 Kerberos, 1 NTLM. */
START_TEST(test_secrets_exchange)
{
    char *password = test_realm_password("alice");
    gss_cred_id_t icred = GSS_C_NO_CREDENTIAL;
    gss_name_t target;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    unsigned long ours;
    void *where;
    Dl_info info;

    ck_assert_ptr_nonnull(password);
    test_realm_write_config("secrets.conf",
                            "[delegation]\n"
                            " AllowFreshCredentials = TERMSRV/localhost\n"
                            " AllowFreshCredentialsWhenNTLMOnly = "
                            "TERMSRV/localhost\n");
    ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &target),
                      GSS_S_COMPLETE);
    scan_start(password);
    major = gsstest_password_cred(&minor,
                                  _i == 0 ? "alice@" TEST_REALM
                                          : TEST_NTLM_DOMAIN "\\alice",
                                  password, GSS_C_NO_OID, &icred);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_int_eq(gsstest_exchange(&x, icred, GSS_C_NO_CREDENTIAL, target,
                                      GSS_C_NO_OID,
                                      GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG),
                     0);
    ck_assert_uint_eq(x.init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
    ck_assert_ptr_ne(x.deleg, GSS_C_NO_CREDENTIAL);
    gsstest_exchange_free(&x);
    gss_release_cred(&minor, &icred);
    scan_stop();
    ours = scan.ours;
    where = scan.last_ours;
    fprintf(stderr, "# %s: %lu blocks freed by credssp.so scanned; the "
                    "password in %lu freed for credssp.so, in %lu freed by "
                    "other libraries on their own account\n",
            _i == 0 ? "Kerberos" : "NTLM", scan.plugin_frees, ours,
            scan.others);
    if (scan.last_other != NULL) {
        fprintf(stderr, "# (last in %s)\n", scan.last_other);
    }
    if (ours > 0) {
        fprintf(stderr, "# last freed by %s (%s)\n", scan.last_ours_in,
                dladdr(where, &info) != 0 && info.dli_sname != NULL
                    ? info.dli_sname
                    : "?");
    }
    gss_release_name(&minor, &target);
    explicit_bzero(password, strlen(password));
    free(password);
    test_realm_reset_config();
    ck_assert_uint_gt(scan.plugin_frees, 100);
    ck_assert_uint_eq(ours, 0);
}
END_TEST

static Suite *
secrets_suite(void)
{
    Suite *s = suite_create("secrets");
    TCase *tc;

    tc = test_realm_tcase(s, "freed", TCASE_TIMEOUT);
    tcase_add_test(tc, test_secrets_control);
    tcase_add_loop_test(tc, test_secrets_exchange, 0, 2);
    return s;
}

#endif /* SECRETS_SCAN_POSSIBLE */

int
main(void)
{
#if SECRETS_SCAN_POSSIBLE
    if (RUNNING_ON_VALGRIND) {
        printf("SKIP: check_secrets: the freed-memory scan needs the C "
               "library's own malloc (not under valgrind)\n");
        return 77;
    }
    return check_main_run(secrets_suite());
#else
    printf("SKIP: check_secrets: the freed-memory scan needs the C "
           "library's own malloc (not under AddressSanitizer)\n");
    return 77;
#endif
}
