#!/bin/sh
# Copyright (C) the gss-credssp contributors; see COPYING.
#
# The plugin exports exactly the names in mech/credssp.map, and no object
# other than mech/spi.c refers to any of those names: internal code must
# reach the mechglue through mech/glue.c, never by a plain call that could
# resolve to our own export (DESIGN.md 5.1).
set -eu

: "${top_builddir:?}" "${CREDSSP_MAP:?}" "${CREDSSP_PLUGIN:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0
sed -n 's/^[[:space:]]*\(gss[a-z_]*\);$/\1/p' "$CREDSSP_MAP" | sort >"$tmp/map"
if [ ! -s "$tmp/map" ]; then
    echo "FAIL: no exported names found in $CREDSSP_MAP"
    exit 1
fi

nm -D --defined-only "$CREDSSP_PLUGIN" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
    sed 's/@.*//' | sort >"$tmp/exported"
if cmp -s "$tmp/map" "$tmp/exported"; then
    echo "PASS: credssp.so exports exactly the $(wc -l <"$tmp/map") names of credssp.map"
else
    echo "FAIL: credssp.so exports differ from credssp.map:"
    diff "$tmp/map" "$tmp/exported" || true
    fail=1
fi

# Undefined references of every internal object (the convenience archives).
found=0
for lib in "$top_builddir"/.libs/libcredssp_*.a; do
    [ -f "$lib" ] || continue
    found=1
    nm -u "$lib" 2>/dev/null | awk 'NF == 2 {print $2}' | sort -u >"$tmp/undef"
    bad=$(comm -12 "$tmp/map" "$tmp/undef")
    if [ -n "$bad" ]; then
        echo "FAIL: $(basename "$lib") calls exported names directly:" $bad
        fail=1
    fi
done
if [ "$found" = 0 ]; then
    echo "FAIL: no internal archives found under $top_builddir/.libs"
    fail=1
elif [ "$fail" = 0 ]; then
    echo "PASS: no internal object calls an exported gss_* name"
fi

exit "$fail"
