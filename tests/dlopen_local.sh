#!/bin/bash
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# Runs tests/dlopen_local (a consumer that opens libgssapi_krb5 with
# RTLD_LOCAL and is not linked against it; DESIGN.md 5.1) inside a
# throwaway realm of its own.  Also checks that the program really has no
# libgssapi_krb5 among its dependencies.
#
# Environment (make check's AM_TESTS_ENVIRONMENT): top_srcdir,
# top_builddir, CREDSSP_PLUGIN, GSSNTLMSSP_SO and what tests/realm.sh reads.
set -u
umask 077

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
PROG=$top_builddir/tests/dlopen_local
TIMEOUT=90

if [ ! -x "$PROG" ]; then
    echo "FAIL: $PROG is not built"
    exit 1
fi
if [ -z "${CREDSSP_PLUGIN:-}" ]; then
    CREDSSP_PLUGIN=$top_builddir/.libs/credssp.so
fi
if [ ! -f "$CREDSSP_PLUGIN" ]; then
    echo "FAIL: the built plugin $CREDSSP_PLUGIN is missing"
    exit 1
fi
export CREDSSP_PLUGIN

# The dynamic section, not ldd: ldd would also list libraries pulled in
# by sanitizer runtimes.  (readelf is in binutils, which gcc needs.)
if command -v readelf >/dev/null; then
    if readelf -d "$PROG" | grep -q 'NEEDED.*libgssapi'; then
        echo "FAIL: $PROG is linked against libgssapi:"
        readelf -d "$PROG" | grep NEEDED
        exit 1
    fi
    echo "PASS: tests/dlopen_local does not link libgssapi_krb5"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/credssp-dlopen.XXXXXX") || exit 1
REALM_UP=no
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ "$REALM_UP" = yes ]; then
        "$top_srcdir/tests/realm.sh" stop "$WORK" || rc=1
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

REALM_UP=yes
"$top_srcdir/tests/realm.sh" start "$WORK" || {
    echo "FAIL: the test realm did not start"
    exit 1
}
# Only the realm's variables: the program dlopen()s libgssapi_krb5 itself.
# shellcheck source=/dev/null
. "$WORK/env"
# A configuration of our own (defaults), not /etc/gss/credssp.conf.
: >"$WORK/credssp.conf"
export CREDSSP_CONFIG=$WORK/credssp.conf

timeout -s TERM "$TIMEOUT" "$PROG"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "FAIL: tests/dlopen_local did not finish within ${TIMEOUT}s"
fi
exit "$rc"
