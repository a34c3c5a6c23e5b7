/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Concurrency, through the real mechglue: 16 threads each run N complete
 * CredSSP exchanges (initiator and acceptor in this process), Kerberos
 * (alice) and NTLM (bob) in turn, with password delegation, each followed
 * by gss_wrap/gss_unwrap both ways of a payload naming its thread and
 * context.  Some contexts use one credential shared by every thread (GSS
 * allows it; it is the credential's lock and reference count under
 * test), the others their thread's own credentials; one acceptor
 * credential serves all.  Every exchange must complete, the acceptor must
 * see the user of that very context, and every message must come back as
 * sent: no cross-context mix-up.  Two rounds with the same credentials:
 * outside the sanitizers the heap grows from the first to the second by
 * no more than as many bare gss-ntlmssp contexts (a control run
 * afterwards) make it grow, plus slack: gss-ntlmssp itself keeps about
 * 8 KB per context (and per credential, which is why credentials are not
 * acquired per context); our own share, and Kerberos contexts, must be
 * flat.
 *
 * N is CREDSSP_THREADS_CONTEXTS (default 4: quick in make check).
 * scripts/test also runs this program alone under ThreadSanitizer
 * (configure --enable-tsan), where any data race fails it.
 */
#include "config.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "include/gssapi/gssapi_credssp.h"
#include "tests/check_main.h"
#include "tests/gsstest.h"
#include "tests/realm.h"

#define THREADS 16
#define DEFAULT_CONTEXTS 4
#define MAX_CONTEXTS 1000
#define TCASE_TIMEOUT 1800
/* Heap growth allowed between the rounds: allocator slack, not
 * per-context state (a leak of even 100 bytes per context would show). */
#define HEAP_SLACK (256 * 1024)

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEASURE_HEAP 0
#else
#define MEASURE_HEAP 1
#endif

struct shared {
    char *password[2];    /* alice, bob */
    gss_cred_id_t common; /* alice by Kerberos, used by every thread */
    gss_cred_id_t acceptor; /* the acceptor's, used by every thread */
    gss_name_t target;
    int contexts;
};

struct worker {
    pthread_t thread;
    const struct shared *sh;
    gss_cred_id_t own[2]; /* alice by Kerberos, bob by NTLM */
    int index;
    int done;     /* exchanges that fully checked out */
    char why[256]; /* the first failure */
};

static int
worker_fail(struct worker *w, const char *what, OM_uint32 major, OM_uint32 minor)
{
    if (w->why[0] == '\0') {
        snprintf(w->why, sizeof(w->why), "thread %d: %s (%08x/%08x)",
                 w->index, what, major, minor);
    }
    return -1;
}

/* One message from ctx to peer, checked on arrival. */
static int
round_trip(struct worker *w, gss_ctx_id_t from, gss_ctx_id_t to,
           const char *text)
{
    gss_buffer_desc in = { strlen(text), (void *)(uintptr_t)text };
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, tmp;
    int conf = 0, ret = 0;

    major = gss_wrap(&minor, from, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok);
    if (major != GSS_S_COMPLETE || conf != 1) {
        return worker_fail(w, "gss_wrap", major, minor);
    }
    major = gss_unwrap(&minor, to, &tok, &out, NULL, NULL);
    if (major != GSS_S_COMPLETE) {
        ret = worker_fail(w, "gss_unwrap", major, minor);
    } else if (out.length != in.length ||
               memcmp(out.value, in.value, in.length) != 0) {
        ret = worker_fail(w, "a message came back changed", 0, 0);
    }
    gss_release_buffer(&tmp, &tok);
    gss_release_buffer(&tmp, &out);
    return ret;
}

/* Exchange number k of worker w. */
static int
one_context(struct worker *w, int k)
{
    const struct shared *sh = w->sh;
    int ntlm = (w->index + k) % 2, shared = !ntlm && k % 3 == 0;
    const char *user = ntlm ? TEST_NTLM_DOMAIN "\\bob" : "alice@" TEST_REALM;
    struct gsstest_exchange x;
    char *who, text[96];
    int ret = -1;

    if (gsstest_exchange(&x, shared ? sh->common : w->own[ntlm],
                         sh->acceptor,
                         sh->target, GSS_C_NO_OID,
                         GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG) != 0 ||
        x.init_major != GSS_S_COMPLETE || x.accept_major != GSS_S_COMPLETE) {
        ret = worker_fail(w, "exchange", x.init_major != GSS_S_COMPLETE
                                      ? x.init_major
                                      : x.accept_major,
                   x.init_major != GSS_S_COMPLETE ? x.init_minor
                                                  : x.accept_minor);
        goto done;
    }
    who = gsstest_display_name(x.src);
    if (who == NULL || strcmp(who, user) != 0) {
        free(who);
        ret = worker_fail(w, "the acceptor saw another user", 0, 0);
        goto done;
    }
    free(who);
    if (x.deleg == GSS_C_NO_CREDENTIAL) {
        ret = worker_fail(w, "nothing delegated", 0, 0);
        goto done;
    }
    snprintf(text, sizeof(text), "thread %d context %d to the acceptor",
             w->index, k);
    if (round_trip(w, x.ictx, x.actx, text) != 0) {
        goto done;
    }
    snprintf(text, sizeof(text), "thread %d context %d to the initiator",
             w->index, k);
    if (round_trip(w, x.actx, x.ictx, text) != 0) {
        goto done;
    }
    ret = 0;

done:
    gsstest_exchange_free(&x);
    return ret;
}

static void *
work(void *arg)
{
    struct worker *w = arg;
    int k;

    for (k = 0; k < w->sh->contexts; k++) {
        if (one_context(w, k) != 0) {
            break;
        }
        w->done++;
    }
    return NULL;
}

/* One round: every thread its contexts; all of them checked out. */
static void
run_round(struct worker *w)
{
    int i;

    for (i = 0; i < THREADS; i++) {
        w[i].done = 0;
        w[i].why[0] = '\0';
        ck_assert_int_eq(pthread_create(&w[i].thread, NULL, work, &w[i]), 0);
    }
    for (i = 0; i < THREADS; i++) {
        ck_assert_int_eq(pthread_join(w[i].thread, NULL), 0);
    }
    for (i = 0; i < THREADS; i++) {
        ck_assert_msg(w[i].done == w[i].sh->contexts, "%s", w[i].why);
    }
}

static size_t heap_in_use(void);

/* Heap growth over n bare NTLMSSP contexts (no CredSSP): the control. */
static size_t
ntlm_control_growth(const struct shared *sh, int n)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    struct gsstest_exchange x;
    OM_uint32 major, minor;
    size_t before = 0;
    int i;

    major = gsstest_password_cred(&minor, TEST_NTLM_DOMAIN "\\bob",
                                  sh->password[1], &gsstest_ntlmssp_oid,
                                  &cred);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    /* One first: the mechanism's one-time state is not growth. */
    for (i = 0; i <= n; i++) {
        if (i == 1) {
            before = heap_in_use();
        }
        ck_assert_int_eq(gsstest_exchange(&x, cred, sh->acceptor,
                                          sh->target, &gsstest_ntlmssp_oid,
                                          GSS_C_MUTUAL_FLAG),
                         0);
        ck_assert_uint_eq(x.accept_major, GSS_S_COMPLETE);
        gsstest_exchange_free(&x);
    }
    gss_release_cred(&minor, &cred);
    return heap_in_use() - before;
}

static size_t
heap_in_use(void)
{
#if MEASURE_HEAP
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

START_TEST(test_threads_exchanges)
{
    static struct worker w[THREADS];
    struct shared sh;
    const char *env = getenv("CREDSSP_THREADS_CONTEXTS");
    OM_uint32 major, minor;
    size_t first, second, control;
    int i, k;

    memset(&sh, 0, sizeof(sh));
    sh.contexts = env != NULL ? atoi(env) : DEFAULT_CONTEXTS;
    ck_assert_int_ge(sh.contexts, 1);
    ck_assert_int_le(sh.contexts, MAX_CONTEXTS);
    sh.password[0] = test_realm_password("alice");
    sh.password[1] = test_realm_password("bob");
    ck_assert_ptr_nonnull(sh.password[0]);
    ck_assert_ptr_nonnull(sh.password[1]);
    test_realm_write_config("threads.conf",
                            "[delegation]\n"
                            " AllowFreshCredentials = TERMSRV/localhost\n"
                            " AllowFreshCredentialsWhenNTLMOnly = "
                            "TERMSRV/localhost\n");
    major = gsstest_password_cred(&minor, "alice@" TEST_REALM,
                                  sh.password[0], GSS_C_NO_OID, &sh.common);
    ck_assert_uint_eq(major, GSS_S_COMPLETE);
    ck_assert_uint_eq(gsstest_import_name(&minor, "TERMSRV@localhost",
                                          GSS_C_NT_HOSTBASED_SERVICE,
                                          &sh.target),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_acquire_cred(&minor, GSS_C_NO_NAME,
                                       GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                       GSS_C_ACCEPT, &sh.acceptor, NULL,
                                       NULL),
                      GSS_S_COMPLETE);

    memset(w, 0, sizeof(w));
    for (i = 0; i < THREADS; i++) {
        w[i].sh = &sh;
        w[i].index = i;
        for (k = 0; k < 2; k++) {
            major = gsstest_password_cred(
                &minor, k == 0 ? "alice@" TEST_REALM : TEST_NTLM_DOMAIN "\\bob",
                sh.password[k], GSS_C_NO_OID, &w[i].own[k]);
            ck_assert_uint_eq(major, GSS_S_COMPLETE);
        }
    }

    run_round(w);
    first = heap_in_use();
    run_round(w);
    second = heap_in_use();
    /* Half of each round's contexts are NTLM. */
    control = MEASURE_HEAP ? ntlm_control_growth(&sh, THREADS *
                                                          sh.contexts / 2)
                           : 0;
    fprintf(stderr, "# %d threads x %d contexts, twice; heap in use after "
                    "the first round %zu, after the second %zu; %d bare "
                    "NTLMSSP contexts grow it by %zu\n",
            THREADS, sh.contexts, first, second, THREADS * sh.contexts / 2,
            control);
    if (MEASURE_HEAP) {
        ck_assert_uint_le(second, first + control + HEAP_SLACK);
    }

    for (i = 0; i < THREADS; i++) {
        gss_release_cred(&minor, &w[i].own[0]);
        gss_release_cred(&minor, &w[i].own[1]);
    }
    gss_release_name(&minor, &sh.target);
    gss_release_cred(&minor, &sh.common);
    gss_release_cred(&minor, &sh.acceptor);
    for (i = 0; i < 2; i++) {
        explicit_bzero(sh.password[i], strlen(sh.password[i]));
        free(sh.password[i]);
    }
    test_realm_reset_config();
}
END_TEST

static Suite *
threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc;

    tc = test_realm_tcase(s, "concurrent", TCASE_TIMEOUT);
    tcase_add_test(tc, test_threads_exchanges);
    return s;
}

int
main(void)
{
    return check_main_run(threads_suite());
}
