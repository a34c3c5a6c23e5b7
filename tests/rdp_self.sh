#!/bin/bash
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# credssp-rdp-check against credssp-rdp-server over loopback, through the
# real mechglue with the built plugin, in a throwaway realm of our own
# (tests/realm.sh): X.224 negotiation, CredSSP in raw wire mode and the
# HYBRID_EX Early User Authorization Result, with Kerberos and NTLM, with
# and without delegation, and refusals.  Each case starts the server with
# --once on a port it picks itself (--port 0, "listening:" line) and
# asserts both programs' exit codes and output lines.
#
# Environment (make check's AM_TESTS_ENVIRONMENT): top_srcdir,
# top_builddir, CREDSSP_PLUGIN and what tests/realm.sh reads.
# CREDSSP_RDP_SELF_KEEP=1 keeps the work directory.
#
# One "PASS: <case>" or "FAIL: <case>" line per case; exit 0 when all
# pass, 1 on any failure.
set -u
umask 077

SERVER_START_TIMEOUT=10 # seconds until the server prints its port
SERVER_LIFETIME=60      # timeout(1) around every server
CLIENT_TIMEOUT=30       # timeout(1) around every client

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CHECK=$top_builddir/tools/credssp-rdp-check
SERVER=$top_builddir/tools/credssp-rdp-server
if [ -z "${CREDSSP_PLUGIN:-}" ]; then
    CREDSSP_PLUGIN=$top_builddir/.libs/credssp.so
fi
for f in "$CHECK" "$SERVER" "$CREDSSP_PLUGIN"; do
    if [ ! -e "$f" ]; then
        echo "FAIL: $f is missing (build first)"
        exit 1
    fi
done
export CREDSSP_PLUGIN

WORK=$(mktemp -d "${TMPDIR:-/tmp}/credssp-rdp-self.XXXXXX") || {
    echo "FAIL: mktemp"
    exit 1
}
REALM_DIR=$WORK/realm
REALM_UP=no
SERVER_PID=""
FAILED=0
PASSED=0

stop_server() {
    local i
    [ -n "$SERVER_PID" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_server
    if [ "$REALM_UP" = yes ]; then
        "$top_srcdir/tests/realm.sh" stop "$REALM_DIR" || rc=1
    fi
    if [ "${CREDSSP_RDP_SELF_KEEP:-0}" = 1 ]; then
        echo "# work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mkdir "$REALM_DIR"
if ! "$top_srcdir/tests/realm.sh" start "$REALM_DIR" >"$WORK/realm.log" 2>&1; then
    echo "FAIL: the test realm did not start"
    sed 's/^/# /' "$WORK/realm.log"
    exit 1
fi
REALM_UP=yes
# shellcheck disable=SC1091
. "$REALM_DIR/env"
unset KRB5CCNAME_OVERRIDE
printf 'not-the-password\n' >"$WORK/wrong.password"
cat >"$WORK/client.conf" <<CONF
[delegation]
    AllowFreshCredentials = TERMSRV/localhost
    AllowFreshCredentialsWhenNTLMOnly = TERMSRV/localhost
CONF
: >"$WORK/server.conf"

# start_server DIR [ARGS...]: credssp-rdp-server --once --port 0.  Sets
# SERVER_PID and SERVER_PORT.
start_server() {
    local dir=$1 i
    shift
    SERVER_PORT=""
    CREDSSP_CONFIG=$WORK/server.conf CREDSSP_TRACE=$dir/server.trace \
        timeout -s TERM "$SERVER_LIFETIME" "$SERVER" --listen 127.0.0.1 \
        --port 0 --once "$@" </dev/null >"$dir/server.out" \
        2>"$dir/server.err" &
    SERVER_PID=$!
    for ((i = 0; i < SERVER_START_TIMEOUT * 10; i++)); do
        SERVER_PORT=$(sed -n 's/^listening: 127\.0\.0\.1 port \([0-9]*\)$/\1/p' \
            "$dir/server.out" 2>/dev/null)
        [ -n "$SERVER_PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    return 1
}

# wait_server: the server's exit code in SERVER_RC (124: it had to be
# stopped).
wait_server() {
    local i
    for ((i = 0; i < 150; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        stop_server
        SERVER_RC=124
        return
    fi
    wait "$SERVER_PID"
    SERVER_RC=$?
    SERVER_PID=""
}

# has FILE LINE: FILE has exactly the line LINE.
has() {
    grep -qxF -- "$2" "$1"
}

# run_case NAME CLIENT_RC SERVER_RC "CLIENT LINES" "SERVER LINES" ARGS...
#   The lines are |-separated; a line starting with ! must be absent.
#   SERVER_RC "none": the client must not even connect.
run_case() {
    local name=$1 want_c=$2 want_s=$3 clines=$4 slines=$5 dir line why=""
    shift 5
    dir=$WORK/$name
    mkdir "$dir"
    if ! start_server "$dir"; then
        why="the server did not start"
    else
        CREDSSP_CONFIG=$WORK/client.conf CREDSSP_TRACE=$dir/client.trace \
            timeout -s TERM "$CLIENT_TIMEOUT" "$CHECK" --port "$SERVER_PORT" \
            "$@" localhost </dev/null >"$dir/client.out" 2>"$dir/client.err"
        CLIENT_RC=$?
        if [ "$want_s" = none ]; then
            # The client stopped before connecting.
            stop_server
            SERVER_RC=none
        else
            wait_server
        fi
        [ "$CLIENT_RC" = "$want_c" ] ||
            why="$why client exited $CLIENT_RC, not $want_c;"
        [ "$SERVER_RC" = "$want_s" ] ||
            why="$why server exited $SERVER_RC, not $want_s;"
        IFS='|' read -r -a lines <<<"$clines"
        for line in "${lines[@]}"; do
            if [ "${line:0:1}" = '!' ]; then
                ! grep -q -- "${line:1}" "$dir/client.out" ||
                    why="$why client printed \"${line:1}\";"
            else
                has "$dir/client.out" "$line" ||
                    why="$why client lacks \"$line\";"
            fi
        done
        IFS='|' read -r -a lines <<<"$slines"
        for line in "${lines[@]}"; do
            if [ "${line:0:1}" = '!' ]; then
                ! grep -q -- "${line:1}" "$dir/server.out" ||
                    why="$why server printed \"${line:1}\";"
            else
                has "$dir/server.out" "$line" ||
                    why="$why server lacks \"$line\";"
            fi
        done
        # No password ever in what either tool prints.
        if grep -qF -f "$CREDSSP_ALICE_PASSWORD_FILE" "$dir/client.out" \
            "$dir/client.err" "$dir/server.out" "$dir/server.err"; then
            why="$why a password was printed;"
        fi
    fi
    if [ -z "$why" ]; then
        echo "PASS: $name"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL: $name:$why"
        for f in client.out client.err server.out server.err; do
            [ -f "$dir/$f" ] && sed "s/^/# $f: /" "$dir/$f"
        done
        FAILED=$((FAILED + 1))
    fi
}

NTLM=(--user "$CREDSSP_ALICE_NTLM_NAME" --password-file
    "$CREDSSP_ALICE_PASSWORD_FILE")
KRB=(--user "$CREDSSP_ALICE_PRINCIPAL" --password-file
    "$CREDSSP_ALICE_PASSWORD_FILE")
WRONG=(--user "$CREDSSP_ALICE_NTLM_NAME" --password-file
    "$WORK/wrong.password")
COMMON_OK="protocol: HYBRID_EX|credssp-version: 6|authorization: success|result: ok"

run_case ntlm-delegated 0 0 \
    "$COMMON_OK|inner-mech: ntlmssp|tls: TLS1.3 TLS_AES_256_GCM_SHA384" \
    "protocol: HYBRID_EX|client: $CREDSSP_ALICE_NTLM_NAME|inner-mech: ntlmssp|delegated: password|result: ok" \
    "${NTLM[@]}" --inner ntlmssp --delegate
run_case ntlm-not-delegated 0 0 "$COMMON_OK|inner-mech: ntlmssp" \
    "client: $CREDSSP_ALICE_NTLM_NAME|delegated: none|result: ok" \
    "${NTLM[@]}"
run_case krb5-delegated 0 0 "$COMMON_OK|inner-mech: krb5" \
    "client: $CREDSSP_ALICE_PRINCIPAL|inner-mech: krb5|delegated: password|result: ok" \
    "${KRB[@]}" --delegate
run_case krb5-not-delegated 0 0 "$COMMON_OK|inner-mech: krb5" \
    "client: $CREDSSP_ALICE_PRINCIPAL|delegated: none|result: ok" \
    "${KRB[@]}" --inner spnego

# Default credentials: a ticket from kinit, no password given.
KINIT=${KINIT:-kinit}
if "$KINIT" "$CREDSSP_ALICE_PRINCIPAL" <"$CREDSSP_ALICE_PASSWORD_FILE" \
    >"$WORK/kinit.log" 2>&1; then
    run_case krb5-default-credentials 0 0 "$COMMON_OK|inner-mech: krb5" \
        "client: $CREDSSP_ALICE_PRINCIPAL|delegated: none|result: ok" \
        --target TERMSRV/localhost
else
    echo "FAIL: krb5-default-credentials: kinit failed"
    sed 's/^/# /' "$WORK/kinit.log"
    FAILED=$((FAILED + 1))
fi

run_case ntlm-wrong-password 1 1 \
    "protocol: HYBRID_EX|result: refused: Unspecified GSS failure.  Minor code may provide more information; Server refused the logon (STATUS_LOGON_FAILURE)|!result: ok" \
    "protocol: HYBRID_EX|!client:|!result: ok" \
    "${WRONG[@]}" --delegate
run_case krb5-wrong-password 1 none "!result: ok|!protocol:" "!protocol:" \
    --user "$CREDSSP_ALICE_PRINCIPAL" --password-file "$WORK/wrong.password"

# Usage: --help exits 0, a missing host exits 2.
if "$CHECK" --help | grep -q '^usage: credssp-rdp-check' &&
    "$SERVER" --help | grep -q '^usage: credssp-rdp-server' &&
    { "$CHECK" >/dev/null 2>&1; [ $? = 2 ]; }; then
    echo "PASS: usage"
    PASSED=$((PASSED + 1))
else
    echo "FAIL: usage"
    FAILED=$((FAILED + 1))
fi

echo "# $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
