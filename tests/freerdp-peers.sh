# Copyright (C) the gss-credssp contributors; see COPYING.
# shellcheck shell=bash disable=SC2034
#
# Sourced by tests/freerdp.sh: starting, driving and stopping the FreeRDP
# peers (Debian's FreeRDP 2.11 and FreeRDP 3.10 from bookworm-backports)
# and the Xvfb display they need.  Not a test by itself.
#
# What the peers need, learnt by running them:
#   - An X display, even for xfreerdp +auth-only (FreeRDP 2 opens it before
#     anything else) and for the shadow servers.  One Xvfb serves all: it
#     picks a free display itself (-displayfd), listens on no TCP port and
#     no socket file (-nolisten tcp -nolisten unix: the abstract socket
#     only), and must run with -noreset: without it, the X server resets
#     when its last client leaves and the next shadow server cannot open
#     the display.
#   - Their own HOME (FreeRDP writes known-host and certificate files
#     there), a KRB5_CONFIG naming only the test realm and a KRB5CCNAME of
#     their own; nothing else of the caller's environment (env -i).
#   - NTLM accounts in a SAM file of "user:DOMAIN::NT-hash:::" lines, as
#     winpr-hash -f sam prints them; user and domain must both match.
#     FreeRDP 3 takes a Kerberos keytab with /keytab:.
#   - Logs: the WLog console appender writes through stdio, so a server's
#     output to a file sits in a buffer until it exits; stdbuf -oL makes it
#     line-buffered.  The NLA and connection lines are DEBUG and selected
#     with WLOG_FILTER; FreeRDP 2.11 matches a filter only in the
#     wildcard form ("com.freerdp.core.*:DEBUG"), not a full tag.
#   - The exit status of xfreerdp +auth-only says nothing reliable (it
#     goes on past NLA into the RDP connection, and FreeRDP 3 reports a
#     refused logon with "exit status 0" and exits 132): cases judge it by
#     its log lines only.
#
# Every process runs under timeout(1), is recorded by the PID of that
# timeout process, and is stopped by that PID (SIGTERM, forwarded to the
# program, then SIGKILL).
#
# Globals read: WORK, XVFB, PEER_LIFETIME, PEER_START_TIMEOUT,
# PEER_CLIENT_TIMEOUT, PORT_MIN, PORT_SPAN, PORT_ATTEMPTS, KRB5_CONF_FILE.

FREERDP_LOG_FILTER='com.freerdp.core.*:DEBUG,com.winpr.negotiate:DEBUG'

# Every background process: the PID of its timeout(1) wrapper.
BG_PIDS=()

XVFB_PID=""
XVFB_DISPLAY=""

# stop_bg PID: stop one process started by start_bg, wait for it.
stop_bg() {
    local pid=$1 i
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

# stop_all_bg: stop every process still recorded, newest first.
stop_all_bg() {
    local i
    for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do
        stop_bg "${BG_PIDS[$i]}"
    done
    BG_PIDS=()
}

# forget_bg PID: PID was stopped or reaped; drop it from BG_PIDS.
forget_bg() {
    local pid=$1 p
    local -a keep=()
    for p in "${BG_PIDS[@]}"; do
        [ "$p" = "$pid" ] || keep+=("$p")
    done
    BG_PIDS=("${keep[@]}")
}

random_port() {
    local r
    r=$(od -An -tu4 -N4 /dev/urandom | tr -d ' \n')
    echo $((PORT_MIN + r % PORT_SPAN))
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

# child_of PID: the program timeout(1) PID runs.
child_of() {
    local child
    child=$(tr -s ' ' '\n' <"/proc/$1/task/$1/children" 2>/dev/null |
        head -n 1)
    if [ -z "$child" ] && command -v pgrep >/dev/null; then
        child=$(pgrep -P "$1" | head -n 1)
    fi
    printf '%s' "$child"
}

# listening PID PORT: the program under timeout(1) PID holds a TCP
# listener on 127.0.0.1:PORT (not another process that took the port).
listening() {
    local pid=$1 port=$2 child hex inode fd
    child=$(child_of "$pid")
    [ -n "$child" ] || return 1
    hex=$(printf '0100007F:%04X' "$port")
    while read -r inode; do
        for fd in /proc/"$child"/fd/*; do
            if [ "$(readlink "$fd" 2>/dev/null)" = "socket:[$inode]" ]; then
                return 0
            fi
        done
    done < <(awk -v a="$hex" '$2 == a && $4 == "0A" { print $10 }' \
        /proc/net/tcp 2>/dev/null)
    return 1
}

# log_lines FILE: how many lines FILE has (0 when missing).
log_lines() {
    if [ -f "$1" ]; then
        wc -l <"$1" | tr -d ' '
    else
        echo 0
    fi
}

# log_since FILE OFFSET: FILE from line OFFSET+1 on.
log_since() {
    tail -n +"$(($2 + 1))" "$1" 2>/dev/null
}

# wait_log FILE OFFSET PATTERN SECONDS: wait until a line after OFFSET
# matches the extended regular expression PATTERN.
wait_log() {
    local file=$1 off=$2 pattern=$3 secs=$4 i
    for ((i = 0; i <= secs * 10; i++)); do
        if log_since "$file" "$off" | grep -Eq -- "$pattern"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# peer_env HOME: the whole environment of a FreeRDP process.
peer_env() {
    local home=$1
    mkdir -p "$home"
    PEER_ENV=(env -i PATH=/usr/local/bin:/usr/bin:/bin
        "HOME=$home" "DISPLAY=$XVFB_DISPLAY"
        "KRB5_CONFIG=$KRB5_CONF_FILE" "KRB5CCNAME=FILE:$home/krb5cc"
        KRB5RCACHETYPE=none
        WLOG_LEVEL=WARN "WLOG_FILTER=$FREERDP_LOG_FILTER")
}

# start_xvfb DIR: one Xvfb for every FreeRDP process.  Sets XVFB_PID and
# XVFB_DISPLAY.
start_xvfb() {
    local dir=$1 i n
    : >"$dir/xvfb.display"
    timeout -s TERM "$PEER_LIFETIME" "$XVFB" -displayfd 3 \
        -nolisten tcp -nolisten unix -noreset -screen 0 640x480x24 \
        3>"$dir/xvfb.display" </dev/null >"$dir/xvfb.log" 2>&1 &
    XVFB_PID=$!
    BG_PIDS+=("$XVFB_PID")
    for ((i = 0; i < PEER_START_TIMEOUT * 10; i++)); do
        n=$(tr -dc '0-9' <"$dir/xvfb.display")
        if [ -n "$n" ]; then
            XVFB_DISPLAY=:$n
            return 0
        fi
        kill -0 "$XVFB_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "# Xvfb did not start:"
    sed 's/^/#   /' "$dir/xvfb.log" | tail -n 20
    stop_bg "$XVFB_PID"
    forget_bg "$XVFB_PID"
    XVFB_PID=""
    return 1
}

# write_sam WINPR_HASH FILE DOMAIN USER:PASSWORD...: a SAM file.
write_sam() {
    local hash=$1 file=$2 domain=$3 entry line
    shift 3
    : >"$file"
    for entry in "$@"; do
        line=$("$hash" -u "${entry%%:*}" -d "$domain" -p "${entry#*:}" \
            -f sam 2>/dev/null) || return 1
        case $line in
        "${entry%%:*}:$domain::"*) printf '%s\n' "$line" >>"$file" ;;
        *) return 1 ;;
        esac
    done
}

# start_shadow PROGRAM DIR ARGS...: a FreeRDP shadow server on
# 127.0.0.1:<free port>, NLA only, logging to DIR/shadow.log.  Sets
# SHADOW_PID and SHADOW_PORT.
start_shadow() {
    local prog=$1 dir=$2 attempt port i
    shift 2
    SHADOW_PID=""
    SHADOW_PORT=""
    peer_env "$dir/home"
    for ((attempt = 1; attempt <= PORT_ATTEMPTS; attempt++)); do
        port=$(random_port)
        [ "$(sockets_on_port "$port")" -eq 0 ] || continue
        : >"$dir/shadow.log"
        timeout -s TERM "$PEER_LIFETIME" "${PEER_ENV[@]}" \
            stdbuf -oL -eL "$prog" /bind-address:127.0.0.1 /port:"$port" \
            /sec:nla "$@" </dev/null >"$dir/shadow.log" 2>&1 &
        SHADOW_PID=$!
        BG_PIDS+=("$SHADOW_PID")
        for ((i = 0; i < PEER_START_TIMEOUT * 10; i++)); do
            kill -0 "$SHADOW_PID" 2>/dev/null || break
            if listening "$SHADOW_PID" "$port"; then
                SHADOW_PORT=$port
                return 0
            fi
            sleep 0.1
        done
        stop_bg "$SHADOW_PID"
        forget_bg "$SHADOW_PID"
        SHADOW_PID=""
        # Another process took the port meanwhile (FreeRDP 3 says
        # "Problem creating TCP listener"): try another one.
        grep -Eqi -e 'address already in use|failed to (open|bind)' \
            -e 'problem creating tcp listener' "$dir/shadow.log" && continue
        break
    done
    echo "# $(basename "$prog") did not listen:"
    grep -v 'utils.image' "$dir/shadow.log" | sed 's/^/#   /' | tail -n 20
    return 1
}

# run_xfreerdp PROGRAM DIR SEC ARGS...: one xfreerdp +auth-only with the
# security protocol SEC only (/sec:nla: HYBRID; /sec:ext: HYBRID_EX, which
# FreeRDP 2 cannot connect with), its log in DIR/xfreerdp.log.  Sets
# XFREERDP_RC (124: timed out).
run_xfreerdp() {
    local prog=$1 dir=$2 sec=$3
    shift 3
    peer_env "$dir/home"
    timeout -s TERM "$PEER_CLIENT_TIMEOUT" "${PEER_ENV[@]}" "$prog" \
        /cert:ignore "$sec" +auth-only "$@" \
        </dev/null >"$dir/xfreerdp.log" 2>&1
    XFREERDP_RC=$?
}

# freerdp_version PROGRAM: "2.11.7" or similar, or "?".
freerdp_version() {
    local v
    peer_env "$WORK/version-home"
    v=$("${PEER_ENV[@]}" WLOG_LEVEL=INFO "$1" /version 2>&1 </dev/null |
        sed -n 's/.*FreeRDP version \([0-9][^ ]*\).*/\1/p' | head -n 1)
    printf '%s' "${v:-?}"
}
