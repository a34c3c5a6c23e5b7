/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The throwaway test realm for Check programs (tests/realm.sh does the
 * work).  Use it as an unchecked fixture, so the realm lives in the parent
 * process and is stopped even when a forked test crashes:
 *
 *     tcase_add_unchecked_fixture(tc, test_realm_setup, test_realm_teardown);
 *     tcase_add_checked_fixture(tc, test_realm_require, NULL);
 *
 * test_realm_tcase adds a test case set up so.  test_realm_require fails
 * each test (never skips it) when the realm did not start.  After a successful start every variable of DIR/env
 * (KRB5_CONFIG, GSS_MECH_CONFIG, NTLM_USER_FILE, CREDSSP_REALM, ...) is
 * set in this process, so forked test children inherit them.
 */
#ifndef CREDSSP_TESTS_REALM_H
#define CREDSSP_TESTS_REALM_H

#include <check.h>

/* The realm name and the NTLM domain realm.sh creates. */
#define TEST_REALM "CREDSSP.TEST"
#define TEST_NTLM_DOMAIN "CREDSSP"

/* Start the realm in a fresh temporary directory: 0, or -1 with a message
 * on stderr.  Starting twice is a no-op. */
int test_realm_start(void);

/* Stop the KDC and remove the directory.  Idempotent; also runs at exit. */
void test_realm_stop(void);

/* Fixture wrappers: setup records the result of test_realm_start. */
void test_realm_setup(void);
void test_realm_teardown(void);

/* Checked fixture: ck_assert that the realm is up. */
void test_realm_require(void);

/* A new test case NAME of S with TIMEOUT seconds per test, the realm as
 * its unchecked fixture and test_realm_require, test_realm_reset_config
 * as its checked one. */
TCase *test_realm_tcase(Suite *s, const char *name, int timeout);

/* The realm directory, or NULL when the realm is not running. */
const char *test_realm_dir(void);

/* USER's password read from DIR/passwords, malloc()ed (free it), or NULL. */
char *test_realm_password(const char *user);

/* Write TEXT to DIR/NAME and point CREDSSP_CONFIG at it (the mechanism
 * reads it at credential acquisition); ck_assert that it was written. */
void test_realm_write_config(const char *name, const char *text);

/* Unset CREDSSP_CONFIG; also a checked fixture's teardown. */
void test_realm_reset_config(void);

#endif /* CREDSSP_TESTS_REALM_H */
