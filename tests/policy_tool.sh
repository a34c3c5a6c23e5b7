#!/bin/sh
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# credssp-policy(8): exact outputs and exit codes of check, show, lint and
# import-reg, usage errors, and a registry export (UTF-16LE with BOM and
# CRLF, as reg export writes it) carried over to [delegation] and read back.
# Golden files are in tests/golden/.  Every case prints PASS: or FAIL:.
set -u

: "${top_srcdir:?}" "${top_builddir:?}"
tool="$top_builddir/tools/credssp-policy"
golden="$top_srcdir/tests/golden"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Hermetic: never read the host's /etc/gss/credssp.conf.  Work in $tmp so
# that the file names in the outputs are short and stable.
CREDSSP_CONFIG="$tmp/absent.conf"
export CREDSSP_CONFIG
cd "$tmp" || exit 1
cp "$golden/policy.conf" policy.conf

fail=0
count=0

pass() {
    count=$((count + 1))
    echo "PASS: $1"
}

failed() {
    count=$((count + 1))
    fail=1
    echo "FAIL: $1"
}

# run: the tool with stdout in out, stderr in err, exit status in rc.
run() {
    "$tool" "$@" >out 2>err
    rc=$?
}

# expect NAME RC STDOUT [ARG]...: one run; exit status and the whole
# standard output (one line, or empty) must match.
expect() {
    name=$1
    want_rc=$2
    want=$3
    shift 3
    run "$@"
    if [ "$want" = "" ]; then
        : >want
    else
        printf '%s\n' "$want" >want
    fi
    if [ "$rc" = "$want_rc" ] && cmp -s want out; then
        pass "$name"
    else
        failed "$name (exit $rc, want $want_rc)"
        diff want out
        cat err
    fi
}

# expect_file NAME RC WHICH FILE [ARG]...: WHICH (out or err) must equal
# FILE byte for byte.
expect_file() {
    name=$1
    want_rc=$2
    which=$3
    file=$4
    shift 4
    run "$@"
    if [ "$rc" = "$want_rc" ] && cmp -s "$file" "$which"; then
        pass "$name"
    else
        failed "$name (exit $rc, want $want_rc)"
        diff "$file" "$which"
        cat err
    fi
}

# usage NAME [ARG]...: exit 2, nothing on stdout, "Try" hint on stderr.
usage() {
    name=$1
    shift
    run "$@"
    if [ "$rc" = 2 ] && [ ! -s out ] && grep -q "^Try '" err; then
        pass "usage: $name"
    else
        failed "usage: $name (exit $rc)"
        cat out err
    fi
}

if [ ! -x "$tool" ]; then
    echo "FAIL: $tool not built"
    exit 1
fi

# ---------------------------------------------------------------- check
c="--config policy.conf"
expect "check: allow by a configured pattern" 0 \
    "allow: AllowFreshCredentials matched TERMSRV/*.example.com (line 6)" \
    check $c --target TERMSRV/web.example.com --kind fresh \
    --server-auth kerberos
expect "check: a certificate counts as strong" 0 \
    "allow: AllowFreshCredentials matched TERMSRV/*.example.com (line 6)" \
    check $c -t termsrv/A.B.Example.COM -k fresh -a certificate
expect "check: Deny beats Allow" 1 \
    "deny: delegation of fresh credentials to TERMSRV/db1.example.com denied: DenyFreshCredentials entry TERMSRV/db1.example.com (line 12)" \
    check $c --target TERMSRV/db1.example.com --kind fresh \
    --server-auth kerberos
expect "check: Kerberos-only allow list, Kerberos" 0 \
    "allow: AllowDefaultCredentials matched HTTP/*.example.com (line 10)" \
    check $c --target HTTP/web.example.com --kind default \
    --server-auth kerberos
expect "check: Kerberos-only allow list, NTLM only" 1 \
    "deny: delegation of default credentials to HTTP/web.example.com denied: no AllowDefCredentialsWhenNTLMOnly entry matches (the server was authenticated by NTLM only)" \
    check $c --target HTTP/web.example.com --kind default --server-auth ntlm
expect "check: disabled NTLM list" 1 \
    "deny: delegation of fresh credentials to TERMSRV/web.example.com denied: AllowFreshCredentialsWhenNTLMOnly is disabled (the server was authenticated by NTLM only)" \
    check $c --target TERMSRV/web.example.com --kind fresh --server-auth ntlm
expect "check: ConcatenateDefaults 0 drops the OS default" 1 \
    "deny: delegation of fresh credentials to TERMSRV/other.example.net denied: no AllowFreshCredentials entry matches" \
    check $c --target TERMSRV/other.example.net --kind fresh \
    --server-auth kerberos
expect "check: port pattern" 0 \
    "allow: AllowFreshCredentials matched TERMSRV/gw.example.org:3389 (line 7)" \
    check $c --target TERMSRV/gw.example.org:3389 --kind fresh \
    --server-auth kerberos
expect "check: port pattern, other port" 1 \
    "deny: delegation of fresh credentials to TERMSRV/gw.example.org:3390 denied: no AllowFreshCredentials entry matches" \
    check $c --target TERMSRV/gw.example.org:3390 --kind fresh \
    --server-auth kerberos
expect "check: IPv6 compared as an address" 0 \
    "allow: AllowSavedCredentials matched TERMSRV/[2001:db8::10] (line 11)" \
    check $c --target 'TERMSRV/[2001:db8:0::10]' --kind saved \
    --server-auth kerberos
expect "check: concatenated OS default" 0 \
    "allow: AllowSavedCredentials matched TERMSRV/* (OS default)" \
    check $c --target TERMSRV/anything.example.net --kind saved \
    --server-auth certificate
CREDSSP_CONFIG=policy.conf
expect "check: CREDSSP_CONFIG names the file" 1 \
    "deny: delegation of fresh credentials to TERMSRV/db1.example.com denied: DenyFreshCredentials entry TERMSRV/db1.example.com (line 12)" \
    check --target TERMSRV/db1.example.com --kind fresh \
    --server-auth kerberos
CREDSSP_CONFIG="$tmp/absent.conf"

# No configuration file at all: Windows' unconfigured state.
expect "check: no config, fresh TERMSRV (OS default)" 0 \
    "allow: AllowFreshCredentials matched TERMSRV/* (OS default)" \
    check --target TERMSRV/host.example.com --kind fresh \
    --server-auth kerberos
expect "check: no config, saved NTLM only (OS default)" 0 \
    "allow: AllowSavedCredentialsWhenNTLMOnly matched TERMSRV/* (OS default)" \
    check --target TERMSRV/host.example.com --kind saved --server-auth ntlm
expect "check: no config, fresh HTTP" 1 \
    "deny: delegation of fresh credentials to HTTP/host.example.com denied: no AllowFreshCredentials entry matches" \
    check --config absent.conf --target HTTP/host.example.com --kind fresh \
    --server-auth kerberos
expect "check: no config, default credentials" 1 \
    "deny: delegation of default credentials to TERMSRV/host.example.com denied: no AllowDefaultCredentials entry matches" \
    check --target TERMSRV/host.example.com --kind default \
    --server-auth kerberos

cat >restricted.conf <<'EOF'
[delegation]
    AllowFreshCredentials = TERMSRV/*
    RestrictedRemoteAdministration = 1
EOF
expect "check: RestrictedRemoteAdministration" 1 \
    "restricted: delegation of fresh credentials to TERMSRV/host.example.com restricted: RestrictedRemoteAdministration is set, empty credentials are sent (line 3)" \
    check --config restricted.conf --target TERMSRV/host.example.com \
    --kind fresh --server-auth kerberos

# ------------------------------------------------------------------ lint
expect "lint: clean file" 0 "" lint --config policy.conf
expect "lint: no file is clean" 0 "" lint --config absent.conf

cat >bad.conf <<'EOF'
[delegation]
    AllowFreshCredentials = TERMSRV/*
    AllowFreshCredentials = ""
    AllowEncryptionOracle = 3
    AllowFreshCredentials = TERMSRV/a*b
    Frobnicate = 1
    AllowEncryptionOracle = 1
    AllowEncryptionOracle = 2
    ConcatenateDefaults_AllowFresh = maybe
    RestrictedRemoteAdministration = 1
EOF
cat >bad.want <<'EOF'
bad.conf:3: AllowFreshCredentials: an empty value (disabled) must be the only entry of the list
bad.conf:4: AllowEncryptionOracle must be 0, 1 or 2, not "3"
bad.conf:5: AllowFreshCredentials: invalid SPN pattern "TERMSRV/a*b"
bad.conf:6: unknown key "Frobnicate" in [delegation]
bad.conf:8: AllowEncryptionOracle given twice (first on line 7)
bad.conf:9: ConcatenateDefaults_AllowFresh must be 0, 1, true or false, not "maybe"
EOF
expect_file "lint: every [delegation] problem, by line" 1 out bad.want \
    lint --config bad.conf

printf '[delegation]\n    AllowSavedCredentials = TERMSRV/*\n' >pattern.conf
printf '    DenySavedCredentials = TERMSRV/bad host\n' >>pattern.conf
expect "lint: invalid pattern" 1 \
    'pattern.conf:3: DenySavedCredentials: invalid SPN pattern "TERMSRV/bad host"' \
    lint --config pattern.conf
printf '[tls]\n    priority = NORMAL\n    bogus = 1\n' >tls.conf
expect "lint: error outside [delegation]" 1 \
    "tls.conf:3: unknown key bogus in [tls]" lint --config tls.conf
printf '# comment\n[frobnicate]\n    x = 1\n' >section.conf
expect "lint: unknown section" 1 \
    "section.conf:2: unknown section [frobnicate]" \
    lint --config section.conf
expect "check: configuration error" 2 "" \
    check --config bad.conf --target TERMSRV/h --kind fresh \
    --server-auth kerberos
if [ "$(cat err)" = 'bad.conf:4: AllowEncryptionOracle must be 0, 1 or 2, not "3"' ]; then
    pass "check: configuration error on stderr"
else
    failed "check: configuration error on stderr"
    cat err
fi
expect "show: configuration error" 2 "" show --config tls.conf

# ------------------------------------------------------------------ show
expect_file "show: sample configuration" 0 out "$golden/policy-show.out" \
    show --config policy.conf
cat >defaults.want <<'EOF'
configuration: absent.conf (not present: OS defaults)
AllowDefaultCredentials: not configured, concatenate 1 (default)
    (empty)
AllowDefCredentialsWhenNTLMOnly: not configured, concatenate 1 (default)
    (empty)
AllowFreshCredentials: not configured, concatenate 1 (default)
    TERMSRV/* (OS default)
AllowFreshCredentialsWhenNTLMOnly: not configured, concatenate 1 (default)
    TERMSRV/* (OS default)
AllowSavedCredentials: not configured, concatenate 1 (default)
    TERMSRV/* (OS default)
AllowSavedCredentialsWhenNTLMOnly: not configured, concatenate 1 (default)
    TERMSRV/* (OS default)
DenyDefaultCredentials: not configured, concatenate 1 (default)
    (empty)
DenyFreshCredentials: not configured, concatenate 1 (default)
    (empty)
DenySavedCredentials: not configured, concatenate 1 (default)
    (empty)
AllowEncryptionOracle: 1 Mitigated (default)
RestrictedRemoteAdministration: 0 (default)
EOF
expect_file "show: OS defaults without a file" 0 out defaults.want \
    show --config absent.conf

# ------------------------------------------------------------ import-reg
# The export as reg export writes it: UTF-16LE, BOM, CRLF.
{
    printf '\377\376'
    sed 's/$/\r/' "$golden/credssp-policy.reg.utf8" |
        iconv -f UTF-8 -t UTF-16LE
} >credssp-policy.reg
cat >import.err <<'EOF'
credssp-policy.reg:14: warning: AllowProtectedCreds is not a setting of gss-credssp; ignored
EOF
expect_file "import-reg: UTF-16LE export" 0 out "$golden/import.out" \
    import-reg credssp-policy.reg
cp out import.conf
if cmp -s import.err err; then
    pass "import-reg: warnings"
else
    failed "import-reg: warnings"
    diff import.err err
fi
cp "$golden/credssp-policy.reg.utf8" utf8.reg
expect_file "import-reg: UTF-8 export with LF" 0 out "$golden/import.out" \
    import-reg utf8.reg
# Two exports joined with copy /b: the second has its own BOM and header.
utf16() {
    printf '\377\376'
    sed 's/$/\r/' | iconv -f UTF-8 -t UTF-16LE
}
sed '/CredSSP.Parameters/,$d' "$golden/credssp-policy.reg.utf8" |
    utf16 >joined.reg
{
    echo "Windows Registry Editor Version 5.00"
    echo
    sed -n '/CredSSP.Parameters/,$p' "$golden/credssp-policy.reg.utf8"
} | utf16 >>joined.reg
expect_file "import-reg: exports joined with copy /b" 0 out \
    "$golden/import.out" import-reg joined.reg
expect "import-reg: output passes lint" 0 "" lint --config import.conf
expect_file "import-reg: output through show" 0 out \
    "$golden/import-show.out" show --config import.conf
expect "import-reg: output through check" 1 \
    "deny: delegation of fresh credentials to TERMSRV/dc1.corp.example.com denied: DenyFreshCredentials entry TERMSRV/dc1.corp.example.com (line 11)" \
    check --config import.conf --target TERMSRV/dc1.corp.example.com \
    --kind fresh --server-auth kerberos

# Malformed exports: file:line: message on stderr, nothing on stdout.
# bad_reg NAME LINE MESSAGE: reads the UTF-8 text of bad.txt, makes a
# UTF-16LE export of it and expects MESSAGE for LINE.
bad_reg() {
    {
        printf '\377\376'
        sed 's/$/\r/' bad.txt | iconv -f UTF-8 -t UTF-16LE
    } >bad.reg
    expect "import-reg: $1" 2 "" import-reg bad.reg
    where="bad.reg:$2:"
    if [ "$2" = 0 ]; then
        where="bad.reg:"
    fi
    if [ "$(cat err)" = "$where $3" ]; then
        pass "import-reg: $1, message"
    else
        failed "import-reg: $1, message"
        cat err
    fi
}

key='[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation'
printf 'REGEDIT5\n' >bad.txt
bad_reg "wrong header" 1 \
    'not a registry export: expected "Windows Registry Editor Version 5.00"'
printf 'Windows Registry Editor Version 5.00\n\n"A"=dword:1\n' >bad.txt
bad_reg "value before a key" 3 "value before the first key"
printf 'Windows Registry Editor Version 5.00\n\n%s]\n"AllowFreshCredentials"=dword:00000002\n' \
    "$key" >bad.txt
bad_reg "enable value out of range" 4 \
    "AllowFreshCredentials must be 0 to 1, not 2"
printf 'Windows Registry Editor Version 5.00\n\n%s]\n"AllowFreshCredentials"="1"\n' \
    "$key" >bad.txt
bad_reg "enable value not a DWORD" 4 "AllowFreshCredentials must be a DWORD"
printf 'Windows Registry Editor Version 5.00\n\n%s\\AllowFreshCredentials]\n"1"="TERMSRV/*"\n"2"="TERMSRV/a*b"\n' \
    "$key" >bad.txt
bad_reg "invalid pattern" 5 \
    'AllowFreshCredentials entry "2": invalid SPN pattern "TERMSRV/a*b"'
printf 'Windows Registry Editor Version 5.00\n\n%s\\AllowFreshCredentials]\n"1"="TERMSRV/*\n' \
    "$key" >bad.txt
bad_reg "unterminated string" 4 "unterminated string"
printf 'Windows Registry Editor Version 5.00\n\n%s]\n"AllowFreshCredentials"=-\n' \
    "$key" >bad.txt
bad_reg "value deletion" 4 "value deletions are not supported"
printf 'Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software]\n' \
    >bad.txt
bad_reg "no delegation key" 0 \
    'no key HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation or HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'

# A lone surrogate (U+D800) on line 3 of a UTF-16LE file.
{
    printf '\377\376'
    printf 'Windows Registry Editor Version 5.00\r\n\r\n' |
        iconv -f UTF-8 -t UTF-16LE
    printf '\000\330\r\000\n\000'
} >surrogate.reg
expect "import-reg: invalid UTF-16" 2 "" import-reg surrogate.reg
if [ "$(cat err)" = "surrogate.reg:3: invalid UTF-16LE text" ]; then
    pass "import-reg: invalid UTF-16, message"
else
    failed "import-reg: invalid UTF-16, message"
    cat err
fi
printf 'Windows Registry Editor Version 5.00\n\n\377\n' >latin1.reg
expect "import-reg: invalid UTF-8" 2 "" import-reg latin1.reg
expect "import-reg: missing file" 2 "" import-reg missing.reg

# ---------------------------------------------------------------- usage
usage "no command"
usage "unknown command" frobnicate
usage "unknown option" show --frobnicate
usage "unknown short option" check -x
usage "missing option argument" show --config
usage "empty --config" show --config ''
usage "--config twice" lint --config a --config b
usage "operand to show" show extra
usage "check without --target" check --kind fresh --server-auth kerberos
usage "check without --kind" check --target TERMSRV/h \
    --server-auth kerberos
usage "check, bad --kind" check --target TERMSRV/h --kind stale \
    --server-auth kerberos
usage "check, bad --server-auth" check --target TERMSRV/h --kind fresh \
    --server-auth negotiate
usage "check, wildcard target" check --target 'TERMSRV/*' --kind fresh \
    --server-auth kerberos
usage "check, malformed target" check --target 'no-slash' --kind fresh \
    --server-auth kerberos
usage "import-reg without FILE" import-reg
usage "import-reg with two FILEs" import-reg a.reg b.reg
usage "import-reg --config" import-reg --config x a.reg
for cmd in "" check show lint import-reg; do
    run $cmd --help
    if [ "$rc" = 0 ] && head -n 1 out | grep -q "^Usage: credssp-policy"; then
        pass "help: ${cmd:-main}"
    else
        failed "help: ${cmd:-main} (exit $rc)"
    fi
done

echo "$count cases, $([ "$fail" = 0 ] && echo "all passed" || echo "some failed")"
exit "$fail"
