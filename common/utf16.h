/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * UTF-8 <-> UTF-16LE for the credential strings of MS-CSSP (TSPasswordCreds
 * and friends carry UTF-16LE without a terminating NUL).  Invalid input is
 * refused, never replaced: overlong UTF-8, encoded surrogates, code points
 * above U+10FFFF, unpaired UTF-16 surrogates, an odd UTF-16 length, and
 * U+0000 (which would silently truncate a name) are all errors.
 */
#ifndef CREDSSP_COMMON_UTF16_H
#define CREDSSP_COMMON_UTF16_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* UTF-8 text of len bytes -> UTF-16LE in out (no terminator).  wipe != 0
 * for secrets: every intermediate buffer is wiped.  Returns 0,
 * CREDSSP_ERR_UTF8 or ENOMEM; out is untouched on failure. */
CREDSSP_MUST_CHECK int credssp_utf8_to_utf16le(const char *in, size_t len,
                                               int wipe,
                                               struct credssp_buf *out);

/* UTF-16LE of len bytes -> UTF-8 in out, followed by a NUL that out->len
 * does not count.  Returns 0, CREDSSP_ERR_UTF16 or ENOMEM. */
CREDSSP_MUST_CHECK int credssp_utf16le_to_utf8(const uint8_t *in, size_t len,
                                               int wipe,
                                               struct credssp_buf *out);

#endif /* CREDSSP_COMMON_UTF16_H */
