/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Saved credentials (the Windows "saved" kind of the delegation policy):
 * a file with one entry per target, read when a context to that target
 * starts.  Format, one entry per line; blank lines and lines starting with
 * '#' are ignored:
 *
 *     SPN  USER  PASSWORD
 *
 * SPN is "service/host" (matched exactly, ASCII case-insensitive), USER as
 * for gss_acquire_cred_with_password, PASSWORD the rest of the line after
 * the blanks that follow USER.  The file must be a regular file owned by
 * the effective user and readable by nobody else (mode 0600 or stricter).
 */
#ifndef CREDSSP_MECH_SAVED_H
#define CREDSSP_MECH_SAVED_H

#include "common/err.h"
#include "common/secret.h"

/* The entry for spn: 0 with *user and *password set (the caller frees
 * them), 0 with *user NULL when there is none, CREDSSP_ERR_SAVED_CREDS_FILE
 * for a file that is unreadable, malformed, not regular, not ours or open
 * to others, or ENOMEM.  The file's bytes are wiped after reading. */
CREDSSP_MUST_CHECK int credssp_saved_lookup(const char *path,
                                            const char *spn, char **user,
                                            struct credssp_secret **password);

#endif /* CREDSSP_MECH_SAVED_H */
