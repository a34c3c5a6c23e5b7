/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * CREDSSP_TRACE=<file>: a line per protocol decision, for administrators
 * and tests (STYLE.md 4.13).  Unset means no output and one branch of cost.
 *
 * Every trace point is a TRACE_CREDSSP_* macro below; code never formats
 * trace text inline.  Trace text is an interface (tests read it): change
 * it deliberately.  Secrets never reach a trace: passwords, keys, nonces
 * and wrapped fields are not arguments of any trace point.
 *
 * Line format:
 *   <unix time>.<usec> [<pid>] <role> ctx=<id>: <message>
 */
#ifndef CREDSSP_MECH_TRACE_H
#define CREDSSP_MECH_TRACE_H

#include <stddef.h>

/* 1 when tracing is on (reads CREDSSP_TRACE once, with secure_getenv). */
int credssp_trace_enabled(void);

/* Switch tracing to path (NULL: off) at run time. Returns 0 or errno. */
int credssp_trace_set_file(const char *path);

/* Write one line; ctx identifies the context (any stable pointer), role is
 * "initiator", "acceptor" or "-". */
void credssp_trace(const void *ctx, const char *role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CREDSSP_TRACE_POINT(ctx, role, ...)                                  \
    do {                                                                     \
        if (credssp_trace_enabled()) {                                       \
            credssp_trace((ctx), (role), __VA_ARGS__);                       \
        }                                                                    \
    } while (0)

/* ---- configuration and credentials ---- */
#define TRACE_CREDSSP_CONFIG_LOADED(file, found)                             \
    CREDSSP_TRACE_POINT(NULL, "-", "configuration %s %s", (file),            \
                        (found) ? "loaded" : "absent, using defaults")
#define TRACE_CREDSSP_CONFIG_ERROR(file, line, text)                         \
    CREDSSP_TRACE_POINT(NULL, "-", "configuration error at %s:%u: %s",       \
                        (file), (unsigned)(line), (text))
#define TRACE_CREDSSP_CRED_ACQUIRED(cred, usage, kind, user)                 \
    CREDSSP_TRACE_POINT((cred), "-", "credential acquired: usage %s, "       \
                        "kind %s, user %s", (usage), (kind), (user))
#define TRACE_CREDSSP_SAVED(file, what)                                      \
    CREDSSP_TRACE_POINT(NULL, "-", "saved credentials %s %s", (file), (what))
#define TRACE_CREDSSP_INNER_CRED(cred, mechs)                                \
    CREDSSP_TRACE_POINT((cred), "-", "inner credential for %s", (mechs))

/* ---- the exchange ---- */
#define TRACE_CREDSSP_STATE(ctx, role, from, to)                             \
    CREDSSP_TRACE_POINT((ctx), (role), "state %s -> %s", (from), (to))
#define TRACE_CREDSSP_TOKEN_IN(ctx, role, len)                               \
    CREDSSP_TRACE_POINT((ctx), (role), "token in: %zu bytes", (size_t)(len))
#define TRACE_CREDSSP_TOKEN_OUT(ctx, role, len)                              \
    CREDSSP_TRACE_POINT((ctx), (role), "token out: %zu bytes", (size_t)(len))
#define TRACE_CREDSSP_TLS_DONE(ctx, role, version, cipher)                   \
    CREDSSP_TRACE_POINT((ctx), (role), "TLS established: %s, %s",            \
                        (version), (cipher))
#define TRACE_CREDSSP_TLS_ERROR(ctx, role, text)                             \
    CREDSSP_TRACE_POINT((ctx), (role), "TLS error: %s", (text))
#define TRACE_CREDSSP_VERSION(ctx, role, ours, peer, effective)              \
    CREDSSP_TRACE_POINT((ctx), (role), "CredSSP version: ours %d, peer %d, " \
                        "effective %d", (ours), (peer), (effective))
#define TRACE_CREDSSP_INNER_MECH(ctx, role, mech)                            \
    CREDSSP_TRACE_POINT((ctx), (role), "inner mechanism: %s", (mech))
#define TRACE_CREDSSP_INNER_RELEASED(ctx, role)                              \
    CREDSSP_TRACE_POINT((ctx), (role), "inner context released at "         \
                        "establishment (names and lifetime kept)")
#define TRACE_CREDSSP_INNER_ERROR(ctx, role, major, minor, text)             \
    CREDSSP_TRACE_POINT((ctx), (role), "inner context error %08x/%08x: %s",  \
                        (unsigned)(major), (unsigned)(minor), (text))
#define TRACE_CREDSSP_MESSAGE(ctx, role, dir, fields)                        \
    CREDSSP_TRACE_POINT((ctx), (role), "TSRequest %s: %s", (dir), (fields))
#define TRACE_CREDSSP_REPEATED_TOKEN(ctx, role, len)                         \
    CREDSSP_TRACE_POINT((ctx), (role), "inner token repeated by the peer "  \
                        "(%zu bytes): ignored", (size_t)(len))
#define TRACE_CREDSSP_EARLY_DATA(ctx, role, len)                             \
    CREDSSP_TRACE_POINT((ctx), (role), "application data after the last "   \
                        "TSRequest: %zu bytes kept", (size_t)(len))
#define TRACE_CREDSSP_PUBKEY(ctx, role, what)                                \
    CREDSSP_TRACE_POINT((ctx), (role), "pubKeyAuth: %s", (what))
#define TRACE_CREDSSP_ERROR_CODE(ctx, role, dir, status)                     \
    CREDSSP_TRACE_POINT((ctx), (role), "errorCode %s: 0x%08x", (dir),        \
                        (unsigned)(status))
#define TRACE_CREDSSP_DELEGATION(ctx, role, what, domain, user)              \
    CREDSSP_TRACE_POINT((ctx), (role), "delegation: %s (user %s%s%s)",       \
                        (what), (domain), *(domain) != '\0' ? "\\" : "",     \
                        (user))
#define TRACE_CREDSSP_POLICY(ctx, role, text)                                \
    CREDSSP_TRACE_POINT((ctx), (role), "policy: %s", (text))
#define TRACE_CREDSSP_CLIENT_NAME(ctx, role, name)                           \
    CREDSSP_TRACE_POINT((ctx), (role), "client authenticated as %s", (name))
#define TRACE_CREDSSP_FAILED(ctx, role, minor, name)                         \
    CREDSSP_TRACE_POINT((ctx), (role), "context failed: %s (0x%08x)",        \
                        (name), (unsigned)(minor))

#endif /* CREDSSP_MECH_TRACE_H */
