#!/usr/bin/env bash
# Builds every Postfix source tarball of the release suite once, into a cache outside the checkout.
#
#   tools/postfix-releases/build.sh            build what is missing, print one build tree per line
#   tools/postfix-releases/build.sh --list     print the trees that exist (build nothing)
#
# Sources:  $POSTFIX_SRC_DIR, by default ../shared/postfix-src next to the checkout (postfix-*.tar.gz).
# Cache:    $POSTFIX_BUILD_CACHE, by default /var/cache/postfixconfig/postfix-builds; one tree per
#           tarball, named by the tarball's sha256, with bin/ (postconf, postfix, postmap, ...),
#           libexec/ (master, smtpd, ... and the postfix-script family), conf/ (the stock main.cf,
#           master.cf, postfix-files) and mail_version (what the built postconf -d says). A tree is
#           reused when present; it appears only when its build succeeded (built aside, then renamed).
# Build dependencies (build-essential libssl-dev libdb-dev m4 libnsl-dev libicu-dev) are installed
# with apt-get when missing. The recipe is the one verified in the sources' README:
#   make makefiles CCARGS='-DUSE_TLS -DHAS_DB -DNO_NIS' AUXLIBS='-lssl -lcrypto -ldb' shared=no dynamicmaps=no
#   make -j2
# The tests (tests/PostfixConfig.ReleaseTests) find the trees the same way, or take the list in
# POSTFIX_RELEASE_DIRS (colon-separated).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
src_dir="${POSTFIX_SRC_DIR:-$repo/../shared/postfix-src}"
cache="${POSTFIX_BUILD_CACHE:-/var/cache/postfixconfig/postfix-builds}"
list_only=no
case "${1:-}" in
    --list) list_only=yes ;;
    "") ;;
    *) echo "usage: $0 [--list]" >&2; exit 2 ;;
esac

if [ ! -d "$src_dir" ]; then
    echo "build.sh: no Postfix sources at $src_dir (set POSTFIX_SRC_DIR)" >&2
    exit 2
fi
shopt -s nullglob
tarballs=("$src_dir"/postfix-*.tar.gz)
if [ ${#tarballs[@]} -eq 0 ]; then
    echo "build.sh: no postfix-*.tar.gz in $src_dir" >&2
    exit 2
fi

if [ "$list_only" = yes ]; then
    for t in "${tarballs[@]}"; do
        sha=$(sha256sum "$t" | cut -d' ' -f1)
        [ -x "$cache/$sha/bin/postconf" ] && echo "$cache/$sha"
    done
    exit 0
fi

deps=(build-essential libssl-dev libdb-dev m4 libnsl-dev libicu-dev)
install_deps() {
    local missing=()
    for p in "${deps[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "build.sh: installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
            || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
    fi
}

mkdir -p "$cache"
# One build at a time per cache (another run waits, then finds the trees built).
exec 9>"$cache/.lock"
flock -w 1800 9 || { echo "build.sh: $cache/.lock held for 30 minutes" >&2; exit 2; }

deps_checked=no
for t in "${tarballs[@]}"; do
    sha=$(sha256sum "$t" | cut -d' ' -f1)
    tree="$cache/$sha"
    if [ -x "$tree/bin/postconf" ] && [ -s "$tree/mail_version" ]; then
        echo "build.sh: $(basename "$t"): cached ($(cat "$tree/mail_version")) in $tree" >&2
        echo "$tree"
        continue
    fi
    if [ "$deps_checked" = no ]; then
        install_deps
        deps_checked=yes
    fi
    work=$(mktemp -d "$cache/.build-XXXXXX")
    trap 'rm -rf "$work"' EXIT
    started=$(date +%s)
    echo "build.sh: building $(basename "$t") ..." >&2
    tar -xzf "$t" -C "$work"
    top=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    log="$work/build.log"
    if ! (cd "$top" \
            && make makefiles CCARGS='-DUSE_TLS -DHAS_DB -DNO_NIS' AUXLIBS='-lssl -lcrypto -ldb' shared=no dynamicmaps=no \
            && make -j2) >"$log" 2>&1; then
        echo "build.sh: building $(basename "$t") failed; the last lines of the log:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
    out="$work/tree"
    mkdir -p "$out/bin" "$out/libexec" "$out/conf"
    cp -p "$top"/bin/* "$out/bin/"
    cp -p "$top"/libexec/* "$out/libexec/"
    cp -p "$top"/conf/* "$out/conf/"
    # postfix(1) runs these from daemon_directory, as an installed Postfix has them there.
    for s in postfix-script postfix-tls-script postfix-wrapper postmulti-script post-install; do
        [ -f "$top/conf/$s" ] && install -m 755 "$top/conf/$s" "$out/libexec/$s"
    done
    [ -f "$top/makedefs.out" ] && cp -p "$top/makedefs.out" "$out/conf/"
    cp -p "$top/conf/main.cf" "$out/conf/main.cf.proto"
    cp -p "$top/conf/master.cf" "$out/conf/master.cf.proto"
    "$out/bin/postconf" -d -h mail_version > "$out/mail_version"
    basename "$t" > "$out/source"
    echo "$sha" > "$out/sha256"
    chown -R root:root "$out"
    chmod -R go-w "$out"
    # As an installation sets them (postfix-files): postdrop and postqueue set-gid postdrop, so that
    # sendmail can queue mail and postfix check has nothing to say about them.
    if getent group postdrop >/dev/null; then
        chgrp postdrop "$out/bin/postdrop" "$out/bin/postqueue"
        chmod 2755 "$out/bin/postdrop" "$out/bin/postqueue"
    else
        echo "build.sh: no postdrop group (install Debian's postfix package first); postdrop and postqueue stay unprivileged" >&2
    fi
    chmod 755 "$out"
    mv "$out" "$tree"
    rm -rf "$work"
    trap - EXIT
    echo "build.sh: $(basename "$t") built ($(cat "$tree/mail_version")) in $(( $(date +%s) - started )) s: $tree" >&2
    echo "$tree"
done
