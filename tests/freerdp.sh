#!/bin/bash
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# Interop with real FreeRDP peers over loopback, through the real mechglue
# and the built plugin, against a throwaway realm of our own
# (tests/realm.sh):
#
#   our acceptor (tools/credssp-rdp-server --once) <- xfreerdp (FreeRDP 2)
#       and xfreerdp3 (FreeRDP 3), +auth-only: NTLM with the right
#       password (the identity and the kind of delegated credentials our
#       server reports), a wrong password, an unknown user; Kerberos from
#       xfreerdp3 (TERMSRV/localhost in the realm's keytab), and NTLM from
#       xfreerdp3 over HYBRID_EX (Early User Authorization Result);
#   our initiator (tools/credssp-rdp-check) -> freerdp-shadow-cli
#       (FreeRDP 2) and freerdp-shadow-cli3 (FreeRDP 3): NTLM with the
#       right and a wrong password, Kerberos against freerdp-shadow-cli3
#       /keytab:; and the NLA wall time against each server, NTLM, and
#       Kerberos against freerdp-shadow-cli3 (time: lines, the median of
#       CREDSSP_FREERDP_RUNS runs, default 5).
#
# Each case asserts the exact exit status of our tool, its decisive output
# lines, and the FreeRDP peer's own log lines (NLA state changes and
# errors); xfreerdp's exit status is not used (tests/freerdp-peers.sh says
# why).  Everything listens on 127.0.0.1 on free ports, every process runs
# under timeout(1) and is stopped by its PID, and a case whose peer is not
# installed is reported "SKIP:", never passed.
#
# Environment (set by make check's AM_TESTS_ENVIRONMENT): top_srcdir,
# top_builddir, CREDSSP_PLUGIN, GSSNTLMSSP_SO and what tests/realm.sh reads.
# CREDSSP_FREERDP_KEEP=1 keeps the work directory; CREDSSP_FREERDP_RUNS
# sets the number of timed runs.
#
# One "PASS:", "FAIL:" or "SKIP:" line per case; exit 0 when none failed
# (77 when every case was skipped), 1 on any failure.
set -u
umask 077

PORT_MIN=20000
PORT_SPAN=12000
PORT_ATTEMPTS=5
PEER_START_TIMEOUT=20   # seconds until Xvfb / a server is up
PEER_LIFETIME=600       # timeout(1) around Xvfb and the shadow servers
PEER_CLIENT_TIMEOUT=30  # timeout(1) around every xfreerdp
OUR_TIMEOUT=30          # timeout(1) around every run of our tools
SERVER_EXIT_TIMEOUT=15  # seconds for credssp-rdp-server --once to exit
LOG_WAIT=5              # seconds a peer's log line may lag behind
RUNS=${CREDSSP_FREERDP_RUNS:-5}

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
PATH=$PATH:/usr/sbin:/sbin

# shellcheck source=tests/freerdp-peers.sh
. "$top_srcdir/tests/freerdp-peers.sh"

RDP_CHECK=${CREDSSP_RDP_CHECK:-$top_builddir/tools/credssp-rdp-check}
RDP_SERVER=${CREDSSP_RDP_SERVER:-$top_builddir/tools/credssp-rdp-server}
XVFB=$(command -v Xvfb 2>/dev/null || true)
XFREERDP2=$(command -v xfreerdp 2>/dev/null || true)
XFREERDP3=$(command -v xfreerdp3 2>/dev/null || true)
SHADOW2=$(command -v freerdp-shadow-cli 2>/dev/null || true)
SHADOW3=$(command -v freerdp-shadow-cli3 2>/dev/null || true)
WINPR_HASH=$(command -v winpr-hash3 2>/dev/null ||
    command -v winpr-hash 2>/dev/null || true)

PASSED=0
FAILED=0
SKIPPED=0

skip_case() {
    echo "SKIP: $1 ($2)"
    SKIPPED=$((SKIPPED + 1))
}

for tool in timeout od awk stdbuf; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found"
        exit 1
    }
done
for tool in "$RDP_CHECK" "$RDP_SERVER"; do
    if [ ! -x "$tool" ]; then
        echo "FAIL: $tool is not built"
        exit 1
    fi
done
if [ -z "${CREDSSP_PLUGIN:-}" ]; then
    CREDSSP_PLUGIN=$top_builddir/.libs/credssp.so
fi
if [ ! -f "$CREDSSP_PLUGIN" ]; then
    echo "FAIL: the built plugin $CREDSSP_PLUGIN is missing"
    exit 1
fi
export CREDSSP_PLUGIN

# ---- the case list; cases whose peer is missing are skipped up front ----
C2=xfreerdp
C3=xfreerdp3
S2=freerdp-shadow-cli
S3=freerdp-shadow-cli3
CASES_SERVER2=("our server <- $C2: NTLM alice"
    "our server <- $C2: NTLM alice, wrong password"
    "our server <- $C2: NTLM unknown user")
CASES_SERVER3=("our server <- $C3: NTLM alice"
    "our server <- $C3: NTLM alice, wrong password"
    "our server <- $C3: NTLM unknown user"
    "our server <- $C3: Kerberos alice"
    "our server <- $C3: NTLM alice, HYBRID_EX")
CASES_CLIENT2=("our client -> $S2: NTLM alice"
    "our client -> $S2: NTLM alice, wrong password"
    "our client -> $S2: NLA timing, NTLM alice")
CASES_CLIENT3=("our client -> $S3: NTLM alice"
    "our client -> $S3: NTLM alice, wrong password"
    "our client -> $S3: Kerberos alice"
    "our client -> $S3: NLA timing, NTLM alice"
    "our client -> $S3: NLA timing, Kerberos alice")

# skip_all REASON CASES...: report each of CASES as skipped.
skip_all() {
    local reason=$1 c
    shift
    for c in "$@"; do
        skip_case "$c" "$reason"
    done
}

HAVE_X=yes
if [ -z "$XVFB" ]; then
    HAVE_X=no
fi

# ---- work directory, realm, cleanup ----
WORK=$(mktemp -d "${TMPDIR:-/tmp}/credssp-freerdp.XXXXXX") || {
    echo "FAIL: mktemp"
    exit 1
}
REALM_DIR=$WORK/realm
REALM_UP=no
OUR_SERVER_PID=""

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_all_bg
    if [ "$REALM_UP" = yes ]; then
        "$top_srcdir/tests/realm.sh" stop "$REALM_DIR" || rc=1
    fi
    if [ "${CREDSSP_FREERDP_KEEP:-0}" = 1 ]; then
        echo "# work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- assertions: each failure is recorded in CASE_ERRORS ----
CASE_ERRORS=()
CASE_DIR=""
CASE_T0=""
CASE_NAME=""

fail_because() {
    CASE_ERRORS+=("$*")
}

begin_case() {
    CASE_NAME=$1
    CASE_ERRORS=()
    CASE_T0=$(date +%s.%N)
    CASE_DIR=$WORK/case$((PASSED + FAILED + 1))
    mkdir -p "$CASE_DIR"
}

# expect_line FILE LINE: FILE has exactly LINE as a whole line.
expect_line() {
    grep -Fxq -- "$2" "$1" 2>/dev/null ||
        fail_because "$(basename "$1") lacks the line: $2"
}

# expect_prefix FILE PREFIX: FILE has a line starting with PREFIX.
expect_prefix() {
    grep -q -- "^$2" "$1" 2>/dev/null ||
        fail_because "$(basename "$1") lacks a line starting: $2"
}

# expect_peer FILE OFFSET REGEX: the peer's log has a line after OFFSET
# matching REGEX (waiting up to LOG_WAIT seconds for it).
expect_peer() {
    wait_log "$1" "$2" "$3" "$LOG_WAIT" ||
        fail_because "$(basename "$1") lacks a line matching: $3"
}

# expect_no_peer FILE OFFSET REGEX: no line after OFFSET matches REGEX.
expect_no_peer() {
    if log_since "$1" "$2" | grep -Eq -- "$3"; then
        fail_because "$(basename "$1") has: $(log_since "$1" "$2" |
            grep -E -- "$3" | head -n 1 | cut -c1-200)"
    fi
}

# No password of the realm in any file the case produced (xfreerdp has
# its password on the command line only).
expect_no_password() {
    local f pw
    for f in "$CASE_DIR"/*.out "$CASE_DIR"/*.err "$CASE_DIR"/*.trace \
        "$CASE_DIR"/*.log; do
        [ -f "$f" ] || continue
        for pw in "$ALICE_PW" "$BOB_PW"; do
            if grep -Fq -- "$pw" "$f"; then
                fail_because "a password appears in $(basename "$f")"
            fi
        done
    done
}

# show_file FILE [OFFSET]: a failed case's file in the test log, without
# hex dumps and image warnings, passwords masked.
show_file() {
    local f=$1 off=${2:-0}
    [ -f "$f" ] || return 0
    echo "# ---- $(basename "$f")"
    log_since "$f" "$off" |
        grep -Ev '\] - +[0-9a-f]{4} |utils\.image|log_build_warn' |
        sed -e "s/$ALICE_PW/***/g" -e "s/$BOB_PW/***/g" \
            -e 's/^/#   /' | cut -c1-220 | tail -n 60
}

# finish_case [PEER_LOG OFFSET]: PASS or FAIL with the case's files.
finish_case() {
    local peer_log=${1:-} off=${2:-0} secs e f
    expect_no_password
    secs=$(awk -v a="$CASE_T0" -v b="$(date +%s.%N)" \
        'BEGIN { printf "%.1f", b - a }')
    if [ "${#CASE_ERRORS[@]}" -eq 0 ]; then
        echo "PASS: $CASE_NAME (${secs}s)"
        PASSED=$((PASSED + 1))
        return
    fi
    echo "FAIL: $CASE_NAME (${secs}s)"
    for e in "${CASE_ERRORS[@]}"; do
        echo "#   $e"
    done
    for f in "$CASE_DIR"/*.out "$CASE_DIR"/*.err "$CASE_DIR"/*.trace \
        "$CASE_DIR"/xfreerdp.log; do
        show_file "$f"
    done
    [ -z "$peer_log" ] || show_file "$peer_log" "$off"
    FAILED=$((FAILED + 1))
}

# ---- our tools ----

# Our tools' environment: the realm's, plus a hermetic configuration.
our_env() {
    OUR_ENV=(env "CREDSSP_CONFIG=$1" "CREDSSP_TRACE=$2")
}

# start_our_server DIR: credssp-rdp-server --once on a port it picks
# (--port 0; its "listening:" line names it).  Sets OUR_SERVER_PID
# (timeout(1)) and OUR_SERVER_PORT.
start_our_server() {
    local dir=$1 i port
    OUR_SERVER_PID=""
    OUR_SERVER_PORT=""
    our_env "$WORK/server.conf" "$dir/server.trace"
    timeout -s TERM "$((OUR_TIMEOUT * 2))" "${OUR_ENV[@]}" \
        "$RDP_SERVER" --listen 127.0.0.1 --port 0 --once \
        --timeout "$OUR_TIMEOUT" \
        </dev/null >"$dir/server.out" 2>"$dir/server.err" &
    OUR_SERVER_PID=$!
    BG_PIDS+=("$OUR_SERVER_PID")
    for ((i = 0; i < PEER_START_TIMEOUT * 10; i++)); do
        port=$(sed -n 's/^listening: 127\.0\.0\.1 port \([0-9][0-9]*\)$/\1/p' \
            "$dir/server.out" 2>/dev/null | head -n 1)
        if [ -n "$port" ] && listening "$OUR_SERVER_PID" "$port"; then
            OUR_SERVER_PORT=$port
            return 0
        fi
        kill -0 "$OUR_SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    stop_bg "$OUR_SERVER_PID"
    forget_bg "$OUR_SERVER_PID"
    OUR_SERVER_PID=""
    return 1
}

# wait_our_server: let credssp-rdp-server --once exit; sets
# OUR_SERVER_RC (124 when it had to be stopped).
wait_our_server() {
    local i
    for ((i = 0; i < SERVER_EXIT_TIMEOUT * 10; i++)); do
        kill -0 "$OUR_SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$OUR_SERVER_PID" 2>/dev/null; then
        stop_bg "$OUR_SERVER_PID"
        OUR_SERVER_RC=124
    else
        wait "$OUR_SERVER_PID" 2>/dev/null
        OUR_SERVER_RC=$?
    fi
    forget_bg "$OUR_SERVER_PID"
    OUR_SERVER_PID=""
}

# run_our_client DIR PORT ARGS...: credssp-rdp-check against
# 127.0.0.1:PORT.  Sets OUR_CLIENT_RC and OUR_CLIENT_SECS.
run_our_client() {
    local dir=$1 port=$2 t0
    shift 2
    our_env "$WORK/client.conf" "$dir/client.trace"
    t0=$(date +%s.%N)
    timeout -s TERM "$OUR_TIMEOUT" "${OUR_ENV[@]}" "$RDP_CHECK" \
        --port "$port" --target localhost --timeout "$OUR_TIMEOUT" "$@" \
        127.0.0.1 </dev/null >"$dir/client.out" 2>"$dir/client.err"
    OUR_CLIENT_RC=$?
    OUR_CLIENT_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" \
        'BEGIN { printf "%.3f", b - a }')
}

# ---- the cases ----

# server_case NAME PROGRAM KIND USER DOMAIN PASSWORD [SEC [XFREERDP ARGS...]]
#   KIND  ntlm_ok | krb_ok | refused;  SEC  /sec:nla (default) | /sec:ext
server_case() {
    local name=$1 prog=$2 kind=$3 user=$4 domain=$5 pw=$6 v3=no
    local sec=${7:-/sec:nla} protocol=HYBRID
    shift 6
    [ $# -eq 0 ] || shift
    begin_case "$name"
    [ "$prog" = "$XFREERDP3" ] && v3=yes
    [ "$sec" = /sec:ext ] && protocol=HYBRID_EX
    if ! start_our_server "$CASE_DIR"; then
        fail_because "credssp-rdp-server did not start"
        finish_case
        return
    fi
    run_xfreerdp "$prog" "$CASE_DIR" "$sec" \
        /v:127.0.0.1:"$OUR_SERVER_PORT" /u:"$user" /d:"$domain" /p:"$pw" "$@"
    wait_our_server
    [ "$XFREERDP_RC" -ne 124 ] || fail_because "xfreerdp timed out"
    local x=$CASE_DIR/xfreerdp.log
    expect_line "$CASE_DIR/server.out" "protocol: $protocol"
    case $kind in
    ntlm_ok | krb_ok)
        [ "$OUR_SERVER_RC" -eq 0 ] ||
            fail_because "credssp-rdp-server exited $OUR_SERVER_RC"
        if [ "$kind" = ntlm_ok ]; then
            expect_line "$CASE_DIR/server.out" "client: $domain\\$user"
        else
            expect_line "$CASE_DIR/server.out" "client: $user@$domain"
        fi
        expect_line "$CASE_DIR/server.out" "delegated: password"
        expect_line "$CASE_DIR/server.out" "result: ok"
        if [ "$v3" = yes ]; then
            expect_peer "$x" 0 'NLA_STATE_AUTH_INFO.*--> NLA_STATE_FINAL'
            expect_no_peer "$x" 0 '<<----- error code'
            if [ "$protocol" = HYBRID_EX ]; then
                # The Early User Authorization Result our server sent.
                expect_peer "$x" 0 'Early User Auth active: SUCCESS'
            fi
        else
            expect_peer "$x" 0 'Client: Sending PubKeyAuth Token'
            expect_peer "$x" 0 'NLA\.authInfo \(length = [0-9]+\)'
            expect_no_peer "$x" 0 'NTSTATUS|Could not verify'
        fi
        ;;
    refused)
        [ "$OUR_SERVER_RC" -eq 1 ] ||
            fail_because "credssp-rdp-server exited $OUR_SERVER_RC, not 1"
        expect_prefix "$CASE_DIR/server.out" "result: refused: "
        if grep -q '^client: ' "$CASE_DIR/server.out" 2>/dev/null; then
            fail_because "credssp-rdp-server reported a client"
        fi
        if [ "$v3" = yes ]; then
            expect_peer "$x" 0 '<<----- error code STATUS_LOGON_FAILURE 0xc000006d'
            expect_peer "$x" 0 'ERRCONNECT_LOGON_FAILURE'
            expect_no_peer "$x" 0 'NLA_STATE_FINAL|----->> auth info'
        else
            expect_peer "$x" 0 'SPNEGO received NTSTATUS: STATUS_LOGON_FAILURE \[0xC000006D\] from server'
            expect_no_peer "$x" 0 'Client: Sending PubKeyAuth Token'
        fi
        ;;
    esac
    finish_case
}

# client_case NAME SHADOW_LOG KIND VERSION ARGS...
#   KIND  ok | refused | krb_ok; ARGS: credssp-rdp-check's credentials
client_case() {
    local name=$1 log=$2 kind=$3 ver=$4 off
    shift 4
    begin_case "$name"
    off=$(log_lines "$log")
    run_our_client "$CASE_DIR" "$SHADOW_PORT_OF" "$@"
    case $kind in
    ok | krb_ok)
        [ "$OUR_CLIENT_RC" -eq 0 ] ||
            fail_because "credssp-rdp-check exited $OUR_CLIENT_RC"
        expect_line "$CASE_DIR/client.out" "result: ok"
        if [ "$ver" = 3 ]; then
            expect_peer "$log" "$off" '<<----- auth info'
            expect_peer "$log" "$off" \
                'CONNECTION_STATE_NEGO --> CONNECTION_STATE_MCS_CREATE_REQUEST'
            if [ "$kind" = krb_ok ]; then
                expect_peer "$log" "$off" 'Accepted mechanism: Kerberos'
            fi
            expect_no_peer "$log" "$off" 'rdp_server_accept_nego\(\) fail|AcceptSecurityContext failed'
        else
            expect_peer "$log" "$off" 'Receive Encryption Credentials'
            expect_peer "$log" "$off" \
                'CONNECTION_STATE_INITIAL --> CONNECTION_STATE_NEGO'
            expect_no_peer "$log" "$off" 'client authentication failure'
        fi
        ;;
    refused)
        [ "$OUR_CLIENT_RC" -eq 1 ] ||
            fail_because "credssp-rdp-check exited $OUR_CLIENT_RC, not 1"
        expect_prefix "$CASE_DIR/client.out" "result: refused: "
        if [ "$ver" = 3 ]; then
            expect_peer "$log" "$off" 'AcceptSecurityContext failed with SEC_E_'
            expect_peer "$log" "$off" 'rdp_server_accept_nego\(\) fail'
            expect_no_peer "$log" "$off" '<<----- auth info'
        else
            expect_peer "$log" "$off" 'client authentication failure'
            expect_no_peer "$log" "$off" 'Receive Encryption Credentials'
        fi
        ;;
    esac
    finish_case "$log" "$off"
}

# time_case NAME SHADOW_LOG VERSION LABEL ARGS...: RUNS good logons; the
# median, minimum and maximum wall time of credssp-rdp-check (process
# start, TCP, X.224, TLS and CredSSP) in a "time:" line naming LABEL.
time_case() {
    local name=$1 log=$2 ver=$3 label=$4 i t off accepted n
    local -a secs=()
    shift 4
    begin_case "$name"
    off=$(log_lines "$log")
    accepted='Receive Encryption Credentials'
    [ "$ver" = 3 ] && accepted='<<----- auth info'
    for ((i = 1; i <= RUNS; i++)); do
        run_our_client "$CASE_DIR" "$SHADOW_PORT_OF" "$@"
        if [ "$OUR_CLIENT_RC" -ne 0 ]; then
            fail_because "run $i: credssp-rdp-check exited $OUR_CLIENT_RC"
            break
        fi
        secs+=("$OUR_CLIENT_SECS")
        # The server took every run's credentials (its line may lag).
        for ((t = 0; t <= LOG_WAIT * 10; t++)); do
            n=$(log_since "$log" "$off" | grep -c -- "$accepted")
            [ "$n" -lt "$i" ] || break
            sleep 0.1
        done
        if [ "$n" -ne "$i" ]; then
            fail_because "run $i: the server accepted $n logons"
            break
        fi
    done
    if [ "${#secs[@]}" -gt 0 ]; then
        printf '%s\n' "${secs[@]}" | sort -n | awk -v what="$label" '
            { v[NR] = $1 }
            END {
                m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                printf "time: %s: median %.3f s of %d runs (min %.3f, max %.3f)\n",
                    what, m, NR, v[1], v[NR]
            }'
    fi
    finish_case "$log" "$off"
}

# ---- start ----
if [ "$HAVE_X" = no ]; then
    skip_all "Xvfb not installed (Debian package xvfb)" \
        "${CASES_SERVER2[@]}" "${CASES_SERVER3[@]}" \
        "${CASES_CLIENT2[@]}" "${CASES_CLIENT3[@]}"
    exit 77
fi

mkdir "$REALM_DIR"
REALM_UP=yes
if ! "$top_srcdir/tests/realm.sh" start "$REALM_DIR"; then
    echo "FAIL: the test realm did not start"
    exit 1
fi
# shellcheck source=/dev/null
. "$REALM_DIR/env"
KRB5_CONF_FILE=$KRB5_CONFIG
ALICE_PW=$(cat "$CREDSSP_ALICE_PASSWORD_FILE")
BOB_PW=$(cat "$CREDSSP_BOB_PASSWORD_FILE")
DOMAIN=$CREDSSP_NTLM_DOMAIN
REALM=$CREDSSP_REALM
: >"$WORK/server.conf"
cat >"$WORK/client.conf" <<EOF
[delegation]
    AllowFreshCredentials = TERMSRV/localhost
    AllowFreshCredentialsWhenNTLMOnly = TERMSRV/localhost
EOF

if ! start_xvfb "$WORK"; then
    echo "FAIL: Xvfb did not start"
    exit 1
fi
echo "# Xvfb $XVFB_DISPLAY; plugin $CREDSSP_PLUGIN"
T0=$(date +%s)

# Our server <- xfreerdp (FreeRDP 2) and xfreerdp3 (FreeRDP 3).
if [ -z "$XFREERDP2" ]; then
    skip_all "xfreerdp not installed (Debian package freerdp2-x11)" \
        "${CASES_SERVER2[@]}"
else
    echo "# xfreerdp: FreeRDP $(freerdp_version "$XFREERDP2")"
    server_case "${CASES_SERVER2[0]}" "$XFREERDP2" ntlm_ok alice "$DOMAIN" \
        "$ALICE_PW"
    server_case "${CASES_SERVER2[1]}" "$XFREERDP2" refused alice "$DOMAIN" \
        "Not-$ALICE_PW"
    server_case "${CASES_SERVER2[2]}" "$XFREERDP2" refused mallory "$DOMAIN" \
        "$ALICE_PW"
fi
if [ -z "$XFREERDP3" ]; then
    skip_all "xfreerdp3 not installed (Debian package freerdp3-x11)" \
        "${CASES_SERVER3[@]}"
else
    echo "# xfreerdp3: FreeRDP $(freerdp_version "$XFREERDP3")"
    server_case "${CASES_SERVER3[0]}" "$XFREERDP3" ntlm_ok alice "$DOMAIN" \
        "$ALICE_PW"
    server_case "${CASES_SERVER3[1]}" "$XFREERDP3" refused alice "$DOMAIN" \
        "Not-$ALICE_PW"
    server_case "${CASES_SERVER3[2]}" "$XFREERDP3" refused mallory "$DOMAIN" \
        "$ALICE_PW"
    server_case "${CASES_SERVER3[3]}" "$XFREERDP3" krb_ok alice "$REALM" \
        "$ALICE_PW" /sec:nla /server-name:localhost
    server_case "${CASES_SERVER3[4]}" "$XFREERDP3" ntlm_ok alice "$DOMAIN" \
        "$ALICE_PW" /sec:ext
fi

# Our client -> freerdp-shadow-cli (FreeRDP 2) and freerdp-shadow-cli3.
NTLM_ALICE=(--delegate --user "$CREDSSP_ALICE_NTLM_NAME"
    --password-file "$CREDSSP_ALICE_PASSWORD_FILE")
printf 'Not-%s\n' "$ALICE_PW" >"$WORK/wrong.password"
NTLM_WRONG=(--delegate --user "$CREDSSP_ALICE_NTLM_NAME"
    --password-file "$WORK/wrong.password")
KRB_ALICE=(--delegate --user "$CREDSSP_ALICE_PRINCIPAL"
    --password-file "$CREDSSP_ALICE_PASSWORD_FILE")

# shadow_matrix PROGRAM VERSION CASES...
shadow_matrix() {
    local prog=$1 ver=$2 dir log label
    shift 2
    dir=$WORK/shadow$ver
    mkdir -p "$dir"
    log=$dir/shadow.log
    if [ -z "$WINPR_HASH" ] ||
        ! write_sam "$WINPR_HASH" "$dir/sam" "$DOMAIN" \
            "alice:$ALICE_PW" "bob:$BOB_PW"; then
        for c in "$@"; do
            begin_case "$c"
            fail_because "no SAM file (winpr-hash from winpr-utils)"
            finish_case
        done
        return
    fi
    local -a extra=(/sam-file:"$dir/sam")
    [ "$ver" = 3 ] && extra+=(/keytab:"$REALM_DIR/keytab")
    if ! start_shadow "$prog" "$dir" "${extra[@]}"; then
        for c in "$@"; do
            begin_case "$c"
            fail_because "$(basename "$prog") did not start"
            finish_case "$log" 0
        done
        return
    fi
    SHADOW_PORT_OF=$SHADOW_PORT
    SHADOW_VERSION=$(freerdp_version "$prog")
    echo "# $(basename "$prog"): FreeRDP $SHADOW_VERSION, port $SHADOW_PORT"
    label="NLA of credssp-rdp-check -> $(basename "$prog") (FreeRDP \
$SHADOW_VERSION), NTLM"
    client_case "$1" "$log" ok "$ver" "${NTLM_ALICE[@]}"
    client_case "$2" "$log" refused "$ver" "${NTLM_WRONG[@]}"
    if [ "$ver" = 3 ]; then
        client_case "$3" "$log" krb_ok "$ver" "${KRB_ALICE[@]}"
        time_case "$4" "$log" "$ver" "$label" "${NTLM_ALICE[@]}"
        time_case "$5" "$log" "$ver" "${label%NTLM}Kerberos" \
            "${KRB_ALICE[@]}"
    else
        time_case "$3" "$log" "$ver" "$label" "${NTLM_ALICE[@]}"
    fi
    stop_bg "$SHADOW_PID"
    forget_bg "$SHADOW_PID"
}

if [ -z "$SHADOW2" ]; then
    skip_all "freerdp-shadow-cli not installed (Debian package \
freerdp2-shadow-x11)" "${CASES_CLIENT2[@]}"
else
    shadow_matrix "$SHADOW2" 2 "${CASES_CLIENT2[@]}"
fi
if [ -z "$SHADOW3" ]; then
    skip_all "freerdp-shadow-cli3 not installed (Debian package \
freerdp3-shadow-x11)" "${CASES_CLIENT3[@]}"
else
    shadow_matrix "$SHADOW3" 3 "${CASES_CLIENT3[@]}"
fi

echo "# $PASSED passed, $FAILED failed, $SKIPPED skipped in" \
    "$(($(date +%s) - T0))s"
[ "$FAILED" -eq 0 ] || exit 1
[ "$PASSED" -gt 0 ] || exit 77
exit 0
