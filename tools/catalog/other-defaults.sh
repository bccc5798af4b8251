#!/usr/bin/env bash
# Writes src/PostfixConfig/Catalog/Data/other-defaults.txt: the defaults of the parameters outside TLS
# (the ones Catalog/Data/tls-parameters.txt does not describe), as postconf -d prints them, per release.
#
#   tools/catalog/other-defaults.sh POSTCONF [POSTCONF...]
#
# Each POSTCONF is a postconf program of one release, e.g. Debian's /usr/sbin/postconf and the
# releases built by tools/postfix-releases/build.sh (their bin/postconf). Lines of releases not given
# take the values of the release line before them (3.5 those of 3.4, 3.9 those of 3.8).
#
# Defaults that depend on the host or on how Postfix was built (myhostname, mynetworks, the
# directories, ...) are not copied from this machine: they are written as "(host)" with a neutral
# stand-in value (tools/catalog/other_defaults.py). A parameter is taken as such when it is in that
# script's table, when its default is an absolute path in every release, or when Debian's build and the
# upstream builds of the release lines around it disagree (alias_maps, daemon_directory, ...).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || { echo "usage: tools/catalog/other-defaults.sh POSTCONF [POSTCONF...]" >&2; exit 2; }

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
: > "$empty/main.cf"
for pc in "$@"; do
    v=$("$pc" -c "$empty" -h mail_version 2>/dev/null)
    echo "== $v $pc"
    "$pc" -c "$empty" -d 2>/dev/null
done | python3 tools/catalog/other_defaults.py src/PostfixConfig/Catalog/Data/tls-parameters.txt src/PostfixConfig/Catalog/Data/other-defaults.txt
