/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Wiping memory that held secrets, and comparing secrets in constant time.
 * The one place that decides how memory is wiped (STYLE.md 4.12).
 */
#ifndef CREDSSP_COMMON_ZAP_H
#define CREDSSP_COMMON_ZAP_H

#include <stddef.h>

/* Overwrite len bytes at ptr with zeros; never optimised away. */
void credssp_zap(void *ptr, size_t len);

/* Wipe len bytes at ptr, then free(ptr).  Accepts NULL. */
void credssp_zapfree(void *ptr, size_t len);

/* 1 when the len bytes at a and b are equal, else 0; time independent of
 * where they differ. */
int credssp_ct_equal(const void *a, const void *b, size_t len);

#endif /* CREDSSP_COMMON_ZAP_H */
