/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Secret wiping and constant-time comparison.  The wiping primitive is
 * chosen by configure: explicit_bzero where the C library has it, else a
 * memset followed by a compiler barrier.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/zap.h"

void
credssp_zap(void *ptr, size_t len)
{
    if (ptr == NULL || len == 0) {
        return;
    }
#ifdef HAVE_EXPLICIT_BZERO
    explicit_bzero(ptr, len);
#else
    memset(ptr, 0, len);
    __asm__ __volatile__("" : : "r"(ptr) : "memory");
#endif
}

void
credssp_zapfree(void *ptr, size_t len)
{
    if (ptr == NULL) {
        return;
    }
    credssp_zap(ptr, len);
    free(ptr);
}

int
credssp_ct_equal(const void *a, const void *b, size_t len)
{
    const volatile unsigned char *x = a;
    const volatile unsigned char *y = b;
    unsigned char diff = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        diff |= x[i] ^ y[i];
    }
    return diff == 0;
}
