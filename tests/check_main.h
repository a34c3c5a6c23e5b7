/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The main() of a Check program (STYLE.md 4.15):
 *
 *     int
 *     main(void)
 *     {
 *         return check_main_run(foo_suite());
 *     }
 *
 * runs the suite with srunner_run_all(sr, CK_ENV), so CK_RUN_SUITE,
 * CK_RUN_CASE and CK_VERBOSITY work from the command line.
 */
#ifndef CREDSSP_TESTS_CHECK_MAIN_H
#define CREDSSP_TESTS_CHECK_MAIN_H

#include <stdlib.h>

#include <check.h>

/* Run suite (taken over): EXIT_SUCCESS when no test failed. */
static inline int
check_main_run(Suite *suite)
{
    SRunner *sr = srunner_create(suite);
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* CREDSSP_TESTS_CHECK_MAIN_H */
