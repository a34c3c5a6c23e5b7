#!/bin/bash
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# Smoke test of the benchmark (issue 8): starts a throwaway realm
# (tests/realm.sh), runs "credssp-bench --quick" and checks that every
# expected figure is printed once as "name number unit".  It never
# asserts a timing, a ratio or a size: speed is not a test.
#
# Environment (set by make check's AM_TESTS_ENVIRONMENT): top_srcdir,
# top_builddir, CREDSSP_PLUGIN, GSSNTLMSSP_SO and what tests/realm.sh
# reads.  CREDSSP_BENCH_SMOKE_KEEP=1 keeps the work directory.
set -u
umask 077

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
BENCH=$top_builddir/tests/bench/credssp-bench
WORK=""
REALM_UP=no

cleanup() {
    if [ "$REALM_UP" = yes ]; then
        "$top_srcdir/tests/realm.sh" stop "$WORK" >/dev/null 2>&1 || true
    fi
    if [ -n "$WORK" ]; then
        if [ "${CREDSSP_BENCH_SMOKE_KEEP:-0}" = 1 ]; then
            echo "bench_smoke: work directory kept: $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ ! -x "$BENCH" ]; then
    echo "FAIL: $BENCH is not built"
    exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/credssp-bench-smoke.XXXXXX")
if ! "$top_srcdir/tests/realm.sh" start "$WORK" 2>"$WORK/realm.log"; then
    cat "$WORK/realm.log"
    echo "FAIL: the realm did not start"
    exit 1
fi
REALM_UP=yes
# shellcheck disable=SC1091
. "$WORK/env"

if ! "$BENCH" --quick >"$WORK/out" 2>"$WORK/err"; then
    cat "$WORK/out" "$WORK/err"
    echo "FAIL: credssp-bench --quick exited with an error"
    exit 1
fi

expected=""
for k in credssp_krb5 credssp_ntlm spnego_krb5 spnego_ntlm tls13; do
    for f in rate median p90 cpu legs_in legs_out legs bytes_in bytes_out; do
        expected="$expected ctx.$k.$f"
    done
    expected="$expected mem.$k.initiator mem.$k.acceptor"
done
for inner in krb5 ntlm; do
    for r in ctx_wall ctx_cpu bytes_in bytes_out bytes; do
        expected="$expected ratio.$r.$inner"
    done
    # One size per token: 7 with TLS 1.3.
    for t in 1 2 3 4 5 6 7; do
        expected="$expected ctx.credssp_$inner.token$t"
    done
done
for s in 32 1k 16k 1m; do
    for impl in credssp krb5 tls; do
        expected="$expected wrap.$impl.$s"
    done
    expected="$expected mic.credssp.$s mic.krb5.$s"
    expected="$expected ratio.wrap_tput.$s ratio.wrap_cost.$s"
done
# Thread scaling and where its time went, at 1 and 2 threads.
for k in credssp_krb5 credssp_ntlm spnego_krb5 spnego_ntlm tls13; do
    expected="$expected threads.$k.1 threads.$k.2 ratio.threads.$k"
    for f in cpu_us busy vcsw ivcsw; do
        expected="$expected threads.$k.$f.1 threads.$k.$f.2"
    done
done
if [ -r /proc/stat ]; then
    expected="$expected threads.steal.1 threads.steal.2"
fi
expected="$expected check.credssp.unwrap_1m_token mem.iconv_utf16_pair"

failed=0
n=0
for name in $expected; do
    n=$((n + 1))
    if ! awk -v n="$name" '
        $1 == n { seen++
                  if ($2 ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ &&
                      NF >= 3) ok++ }
        END { exit !(seen == 1 && ok == 1) }' "$WORK/out"; then
        echo "FAIL: figure $name missing, repeated or not a number:"
        grep -F -- "$name " "$WORK/out" || true
        failed=1
    fi
done
if [ "$failed" -ne 0 ]; then
    echo "---- credssp-bench output"
    cat "$WORK/out" "$WORK/err"
    exit 1
fi
echo "PASS: credssp-bench --quick printed all $n figures"
exit 0
