#!/bin/bash
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# The stock gss-client and gss-server (Debian package krb5-gss-samples)
# over loopback with the built plugin, through the real mechglue, against
# a throwaway realm of our own (tests/realm.sh).  Each case starts one
# gss-server -once on a free port, runs gss-client's whole default exchange
# (context, wrap, MIC, inquiries: no -nw/-nm/-nx) and asserts exact lines
# of both programs' output and of the acceptor's CREDSSP_TRACE.
#
# The mechanism is always named in braces: gss-client's dotted-OID parser
# silently falls back to Kerberos (DESIGN.md 4.1), so every case also
# asserts that the server saw the CredSSP OID.
#
# Environment (set by make check's AM_TESTS_ENVIRONMENT): top_srcdir,
# CREDSSP_PLUGIN, GSSNTLMSSP_SO, GSS_CLIENT, GSS_SERVER (else PATH), and
# what tests/realm.sh reads.  CREDSSP_STOCK_KEEP=1 keeps the work directory.
#
# One "PASS: <case>" or "FAIL: <case>" line per case; exit 0 when all
# pass, 1 on any failure, 77 (skip) without gss-client/gss-server.
set -u
umask 077

MECH_BRACES='{2 25 7174002494213204233}'
MECH_LINE='Accepted connection using mechanism OID { 2 25 7174002494213204233 }.'
SERVICE=host
TARGET=host@localhost
PORT_MIN=20000
PORT_SPAN=12000
PORT_ATTEMPTS=5
SERVER_START_TIMEOUT=10 # seconds until gss-server listens
SERVER_EXIT_TIMEOUT=15  # seconds for gss-server -once to exit after a client
SERVER_LIFETIME=120     # timeout(1) around every gss-server
CLIENT_TIMEOUT=60       # timeout(1) around every gss-client

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PATH=$PATH:/usr/sbin:/sbin

find_sample() {
    local path=$1 name=$2
    if [ -z "$path" ] || [ ! -x "$path" ]; then
        path=$(command -v "$name" 2>/dev/null || true)
    fi
    printf '%s' "$path"
}
GSS_CLIENT=$(find_sample "${GSS_CLIENT:-}" gss-client)
GSS_SERVER=$(find_sample "${GSS_SERVER:-}" gss-server)
if [ -z "$GSS_CLIENT" ] || [ -z "$GSS_SERVER" ]; then
    echo "SKIP: gss-client/gss-server not found (Debian package krb5-gss-samples)"
    exit 77
fi
if [ -z "${CREDSSP_PLUGIN:-}" ] && [ -n "${top_builddir:-}" ]; then
    CREDSSP_PLUGIN=$top_builddir/.libs/credssp.so
fi
if [ -z "${CREDSSP_PLUGIN:-}" ] || [ ! -f "$CREDSSP_PLUGIN" ]; then
    echo "FAIL: the built plugin ${CREDSSP_PLUGIN:-(CREDSSP_PLUGIN unset)} is missing"
    exit 1
fi
export CREDSSP_PLUGIN
for tool in timeout od awk; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found"
        exit 1
    }
done

# A plugin built with --enable-sanitizers needs the sanitizer runtimes
# loaded first in the (uninstrumented) stock programs.  Their own leaks are
# not ours to report: LeakSanitizer is off for them.
STOCK=()
SAN_PRELOAD=$(ldd "$CREDSSP_PLUGIN" 2>/dev/null |
    awk '$1 ~ /^lib(asan|ubsan)\.so/ && $3 ~ /^\// { printf "%s%s", sep, $3; sep = " " }')
if [ -n "$SAN_PRELOAD" ]; then
    STOCK=(env "LD_PRELOAD=$SAN_PRELOAD"
        "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/credssp-stock.XXXXXX") || {
    echo "FAIL: mktemp"
    exit 1
}
REALM_DIR=$WORK/realm
REALM_UP=no
SERVER_PID=""
SERVER_PORT=""
FAILED=0
PASSED=0
ALICE_PW=""
BOB_PW=""

# Stop the running gss-server (the timeout(1) around it forwards SIGTERM).
stop_server() {
    local i
    [ -n "$SERVER_PID" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
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
    if [ "${CREDSSP_STOCK_KEEP:-0}" = 1 ]; then
        echo "# work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

random_port() {
    local r
    r=$(od -An -tu4 -N4 /dev/urandom | tr -d ' \n')
    echo $((PORT_MIN + r % PORT_SPAN))
}

# listener_inodes PORT: socket inodes of TCP listeners on PORT.
listener_inodes() {
    local hex
    hex=$(printf '%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v hex="$hex" '
        $2 ~ ":" hex "$" && $4 == "0A" { print $10 }'
}

# sockets_on_port PORT: TCP listeners and UDP sockets bound to PORT.
sockets_on_port() {
    local hex
    hex=$(printf '%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 \
        2>/dev/null | awk -v hex="$hex" '
        $2 ~ ":" hex "$" && ($4 == "0A" || $4 == "07") { n++ }
        END { print n + 0 }'
}

# server_listening PORT: the gss-server under $SERVER_PID holds a listener
# on PORT (not some other process that took the port meanwhile).
server_listening() {
    local port=$1 child inode fd
    child=$(tr -s ' ' '\n' <"/proc/$SERVER_PID/task/$SERVER_PID/children" \
        2>/dev/null | head -n 1)
    if [ -z "$child" ] && command -v pgrep >/dev/null; then
        child=$(pgrep -P "$SERVER_PID" | head -n 1)
    fi
    [ -n "$child" ] || return 1
    for inode in $(listener_inodes "$port"); do
        for fd in /proc/"$child"/fd/*; do
            if [ "$(readlink "$fd" 2>/dev/null)" = "socket:[$inode]" ]; then
                return 0
            fi
        done
    done
    return 1
}

# start_server DIR: gss-server -once for one case, logging into DIR.  Sets
# SERVER_PID (the timeout(1) process) and SERVER_PORT.
start_server() {
    local dir=$1 attempt port i
    for ((attempt = 1; attempt <= PORT_ATTEMPTS; attempt++)); do
        port=$(random_port)
        if [ "$(sockets_on_port "$port")" -ne 0 ]; then
            continue
        fi
        rm -f "$dir/server.log" "$dir/server.out" "$dir/server.err" \
            "$dir/server.trace"
        CREDSSP_CONFIG=$WORK/server.conf CREDSSP_TRACE=$dir/server.trace \
            timeout -s TERM "$SERVER_LIFETIME" "${STOCK[@]}" "$GSS_SERVER" \
            -port "$port" \
            -once -verbose -logfile "$dir/server.log" "$SERVICE" \
            </dev/null >"$dir/server.out" 2>"$dir/server.err" &
        SERVER_PID=$!
        for ((i = 0; i < SERVER_START_TIMEOUT * 10; i++)); do
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                break
            fi
            if server_listening "$port"; then
                SERVER_PORT=$port
                return 0
            fi
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "# gss-server did not listen on $port within" \
                "${SERVER_START_TIMEOUT}s"
            stop_server
            return 1
        fi
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
        if ! grep -q 'Address already in use' "$dir/server.err"; then
            echo "# gss-server exited at start-up:"
            sed 's/^/#   /' "$dir/server.err"
            return 1
        fi
    done
    echo "# no free port for gss-server after $PORT_ATTEMPTS attempts"
    return 1
}

# wait_server: let gss-server -once finish its connection and exit; sets
# SERVER_RC to its exit status (124 when it had to be stopped).
SERVER_RC=0
wait_server() {
    local i
    for ((i = 0; i < SERVER_EXIT_TIMEOUT * 10; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        stop_server
        SERVER_RC=124
        return
    fi
    wait "$SERVER_PID" 2>/dev/null
    SERVER_RC=$?
    SERVER_PID=""
}

# ---- assertions: each failure is recorded in CASE_ERRORS ----
CASE_ERRORS=()

fail_because() {
    CASE_ERRORS+=("$*")
}

# has_line FILE LINE: FILE has exactly LINE as a whole line.
has_line() {
    grep -Fxq -- "$2" "$1" 2>/dev/null
}

expect_line() {
    has_line "$1" "$2" || fail_because "$(basename "$1") lacks the line: $2"
}

expect_no_line() {
    if has_line "$1" "$2"; then
        fail_because "$(basename "$1") has the line: $2"
    fi
}

# The messages of the acceptor's trace lines, without time, pid and ctx.
acceptor_trace() {
    sed -n 's/^[0-9.]* \[[0-9]*\] acceptor ctx=[^:]*: //p' "$1" 2>/dev/null
}

expect_trace() {
    acceptor_trace "$1" | grep -Fxq -- "$2" ||
        fail_because "acceptor trace lacks: $2"
}

expect_no_trace_prefix() {
    if acceptor_trace "$1" | grep -Fq -- "$2"; then
        fail_because "acceptor trace has: $(acceptor_trace "$1" |
            grep -F -- "$2" | head -n 1)"
    fi
}

# No password of the realm (nor a wrong one derived from it) in any file
# the case produced.
expect_no_password() {
    local dir=$1 f pw
    for f in "$dir"/*; do
        [ -f "$f" ] || continue
        for pw in "$ALICE_PW" "$BOB_PW"; do
            if grep -Fq -- "$pw" "$f"; then
                fail_because "a password appears in $(basename "$f")"
            fi
        done
    done
}

# Print a failed case's files into the test log, passwords masked.
show_case() {
    local dir=$1 f
    for f in client.out client.trace server.out server.err server.log \
        server.trace; do
        [ -f "$dir/$f" ] || continue
        echo "# ---- $f"
        grep -v '^[0-9a-f][0-9a-f] ' "$dir/$f" |
            sed -e "s/$ALICE_PW/***/g" -e "s/$BOB_PW/***/g" \
                -e 's/^/#   /' | tail -n 60
    done
}

finish_case() {
    local name=$1 dir=$2 t0=$3 e
    local secs
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}')
    if [ "${#CASE_ERRORS[@]}" -eq 0 ]; then
        echo "PASS: $name (${secs}s)"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL: $name (${secs}s)"
        for e in "${CASE_ERRORS[@]}"; do
            echo "#   $e"
        done
        show_case "$dir"
        FAILED=$((FAILED + 1))
    fi
}

# run_case NAME KIND USER DISPLAY PASSWORD DELEG CONFIG
#   KIND     ok | logon_failure | policy_refused
#   USER     gss-client -user; DISPLAY: the name the server must see
#   DELEG    yes: pass -d
#   CONFIG   the initiator's CREDSSP_CONFIG
run_case() {
    local name=$1 kind=$2 user=$3 display=$4 pw=$5 deleg=$6 config=$7
    local dir msg t0 crc src inner duser
    local -a dflag=()
    CASE_ERRORS=()
    t0=$(date +%s.%N)
    dir=$WORK/case$((PASSED + FAILED + 1))
    mkdir "$dir"
    msg="stock gss-client says hello: $name"
    [ "$deleg" = yes ] && dflag=(-d)
    # The delegation trace names TSPasswordCreds' domain and user:
    # "CREDSSP\alice" for NTLM, the principal (empty domain) for Kerberos.
    duser=$display
    case $user in
    *\\*)
        inner=NTLMSSP
        ;;
    *)
        inner=krb5
        ;;
    esac

    if ! start_server "$dir"; then
        fail_because "gss-server did not start"
        finish_case "$name" "$dir" "$t0"
        return
    fi
    CREDSSP_CONFIG=$config CREDSSP_TRACE=$dir/client.trace \
        timeout -s TERM "$CLIENT_TIMEOUT" "${STOCK[@]}" "$GSS_CLIENT" \
        -port "$SERVER_PORT" \
        -mech "$MECH_BRACES" -user "$user" -pass "$pw" "${dflag[@]}" \
        127.0.0.1 "$TARGET" "$msg" </dev/null >"$dir/client.out" 2>&1
    crc=$?
    wait_server
    src=$SERVER_RC

    case $kind in
    ok)
        [ "$crc" -eq 0 ] || fail_because "gss-client exited $crc"
        [ "$src" -eq 0 ] || fail_because "gss-server exited $src"
        # Server: CredSSP (not krb5) ran, who it saw, what it received.
        expect_line "$dir/server.log" "$MECH_LINE"
        expect_line "$dir/server.out" "Accepted connection: \"$display\""
        expect_line "$dir/server.log" "Received message: \"$msg\""
        # Client: the mechanism it inquired, the server's signed reply.
        grep -Exq 'Mechanism \{ 2 25 7174002494213204233 \} supports [0-9]+ names' \
            "$dir/client.out" ||
            fail_because "client.out lacks: Mechanism { 2 25 7174002494213204233 } supports N names"
        expect_line "$dir/client.out" "Signature verified."
        # The acceptor's view, from its trace.
        expect_trace "$dir/server.trace" \
            "CredSSP version: ours 6, peer 6, effective 6"
        expect_trace "$dir/server.trace" "inner mechanism: $inner"
        expect_trace "$dir/server.trace" "client authenticated as $display"
        expect_trace "$dir/server.trace" "state CREDENTIALS -> DONE"
        if [ "$deleg" = yes ]; then
            expect_line "$dir/server.log" "context flag: GSS_C_DELEG_FLAG"
            expect_line "$dir/client.out" "context flag: GSS_C_DELEG_FLAG"
            expect_trace "$dir/server.trace" \
                "delegation: password credentials received (user $duser)"
        else
            expect_no_line "$dir/server.log" "context flag: GSS_C_DELEG_FLAG"
            expect_no_line "$dir/client.out" "context flag: GSS_C_DELEG_FLAG"
            expect_trace "$dir/server.trace" \
                "delegation: empty credentials received (user -)"
        fi
        ;;
    logon_failure)
        [ "$crc" -ne 0 ] || fail_because "gss-client exited 0"
        expect_line "$dir/client.out" "GSS-API error initializing context: Server refused the logon (STATUS_LOGON_FAILURE)"
        expect_no_line "$dir/server.log" "$MECH_LINE"
        expect_no_line "$dir/server.out" "Accepted connection: \"$display\""
        expect_no_line "$dir/server.log" "Received message: \"$msg\""
        expect_trace "$dir/server.trace" "errorCode sent: 0xc000006d"
        expect_no_trace_prefix "$dir/server.trace" "client authenticated as"
        expect_no_trace_prefix "$dir/server.trace" "delegation:"
        ;;
    policy_refused)
        # The OS-default policy allows fresh credentials to TERMSRV/* only:
        # the client stops after pubKeyAuth and sends no credential.
        [ "$crc" -ne 0 ] || fail_because "gss-client exited 0"
        expect_line "$dir/client.out" "GSS-API error initializing context: Credential delegation refused by policy (SEC_E_DELEGATION_POLICY): delegation of fresh credentials to host/localhost denied: no AllowFreshCredentials entry matches"
        expect_no_line "$dir/server.log" "$MECH_LINE"
        expect_no_line "$dir/server.log" "Received message: \"$msg\""
        expect_trace "$dir/server.trace" "inner mechanism: $inner"
        expect_trace "$dir/server.trace" "client authenticated as $display"
        expect_no_trace_prefix "$dir/server.trace" "delegation:"
        expect_no_trace_prefix "$dir/server.trace" "state CREDENTIALS -> DONE"
        ;;
    esac
    [ -s "$dir/server.trace" ] || fail_because "the acceptor wrote no trace"
    expect_no_password "$dir"
    finish_case "$name" "$dir" "$t0"
}

# ---- the realm and the configurations ----
mkdir "$REALM_DIR"
REALM_UP=yes
if ! "$top_srcdir/tests/realm.sh" start "$REALM_DIR"; then
    echo "FAIL: the test realm did not start"
    exit 1
fi
# shellcheck source=/dev/null
. "$REALM_DIR/env"
ALICE_PW=$(cat "$CREDSSP_ALICE_PASSWORD_FILE")
BOB_PW=$(cat "$CREDSSP_BOB_PASSWORD_FILE")
# Hermetic: neither side reads /etc/gss/credssp.conf.  The acceptor runs
# on defaults; the initiator's policy lets fresh credentials go to the
# target (the OS default names TERMSRV/* only), also NTLM-authenticated.
: >"$WORK/server.conf"
cat >"$WORK/client.conf" <<EOF
[delegation]
    AllowFreshCredentials = host/localhost
    AllowFreshCredentialsWhenNTLMOnly = host/localhost
EOF

echo "# gss-client: $GSS_CLIENT, gss-server: $GSS_SERVER"
echo "# plugin: $CREDSSP_PLUGIN"
[ -z "$SAN_PRELOAD" ] || echo "# sanitized plugin: LD_PRELOAD=$SAN_PRELOAD"
T0=$(date +%s)

A_KRB=$CREDSSP_ALICE_PRINCIPAL
A_NTLM=$CREDSSP_ALICE_NTLM_NAME
B_KRB=$CREDSSP_BOB_PRINCIPAL
C=$WORK/client.conf

run_case "Kerberos alice -d" ok "$A_KRB" "$A_KRB" "$ALICE_PW" yes "$C"
run_case "Kerberos alice" ok "$A_KRB" "$A_KRB" "$ALICE_PW" no "$C"
run_case "NTLM alice -d" ok "$A_NTLM" "$A_NTLM" "$ALICE_PW" yes "$C"
run_case "NTLM alice" ok "$A_NTLM" "$A_NTLM" "$ALICE_PW" no "$C"
run_case "Kerberos bob -d" ok "$B_KRB" "$B_KRB" "$BOB_PW" yes "$C"
run_case "NTLM alice wrong password" logon_failure "$A_NTLM" "$A_NTLM" \
    "Not-$ALICE_PW" no "$C"
run_case "Kerberos alice -d under the default policy" policy_refused \
    "$A_KRB" "$A_KRB" "$ALICE_PW" yes "$WORK/server.conf"

echo "# $PASSED passed, $FAILED failed in $(($(date +%s) - T0))s"
[ "$FAILED" -eq 0 ]
