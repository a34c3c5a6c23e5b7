/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * What every fuzz target shares (STYLE.md 4.16): the libFuzzer entry point
 * each tests/fuzz/fuzz_<target>.c defines, and the check a target uses for
 * a property that must hold.  A target is linked either with libFuzzer
 * (configure --enable-fuzzing) or with tests/fuzz/replay.c, which feeds it
 * the files of tests/fuzz/<target>.in/ and <target>.repro/ in make check.
 */
#ifndef CREDSSP_TESTS_FUZZ_FUZZ_H
#define CREDSSP_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The largest input any target looks at; bigger inputs are ignored. */
#define FUZZ_MAX_INPUT (128 * 1024)

/* Called by libFuzzer or by the replay main once per input; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test failed: report it and abort(), so
 * libFuzzer saves the input and the replay fails. */
#define FUZZ_CHECK(cond)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__,     \
                    __LINE__, #cond);                                        \
            abort();                                                         \
        }                                                                    \
    } while (0)

#endif /* CREDSSP_TESTS_FUZZ_FUZZ_H */
