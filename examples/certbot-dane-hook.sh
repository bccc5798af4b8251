#!/bin/sh
# Checks a mail host's TLSA records around a certbot renewal with `postfix-config tlsa --dns`
# (docs/certificates-and-dane.md, "Renewals and TLSA records").
#
#   before  Before `certbot renew`: exits 1 when renewing now would break delivery by DANE clients
#           (no DNSSEC-validated TLSA record would match the renewed chain), 2 when DNS cannot be asked.
#           certbot reports a failing --pre-hook but renews anyway, so put the check in front of the renewal:
#               certbot-dane-hook.sh before mail.example.com /etc/postfix/next.key && certbot renew
#   after   As a certbot deploy hook (certbot sets RENEWED_LINEAGE): exits 1 when no published record
#           authenticates the renewed chain (DANE clients defer mail to the host until one is published).
#               install -m 0755 certbot-dane-hook.sh /usr/local/sbin/certbot-dane-hook.sh
#               certbot renew --deploy-hook '/usr/local/sbin/certbot-dane-hook.sh after mail.example.com'
#
# Usage: certbot-dane-hook.sh before|after HOST [NEXT_KEY]
#   HOST       the MX host name (records at _25._tcp.HOST)
#   NEXT_KEY   the key of the next certificate (tlsa --next-key), when you roll keys yourself
# Environment: RENEWED_LINEAGE (set by certbot; default /etc/letsencrypt/live/HOST), RESOLVER (ADDR[:PORT];
# default the nameservers of /etc/resolv.conf, as Postfix), POSTFIX_CONFIG (default: postfix-config on PATH).
set -eu

mode=${1:-}
host=${2:-}
next_key=${3:-}
case "$mode" in
    before|after) ;;
    *) echo "usage: $0 before|after HOST [NEXT_KEY]" >&2; exit 2 ;;
esac
[ -n "$host" ] || { echo "usage: $0 before|after HOST [NEXT_KEY]" >&2; exit 2; }

lineage=${RENEWED_LINEAGE:-/etc/letsencrypt/live/$host}
set -- tlsa "$lineage/fullchain.pem" --host "$host" --dns
[ -z "$next_key" ] || set -- "$@" --next-key "$next_key"
[ -z "${RESOLVER:-}" ] || set -- "$@" --resolver "$RESOLVER"

# Exit code 0: nothing to do; 1: something to do (the report says what); 2: the chain or DNS could not be read.
rc=0
report=$("${POSTFIX_CONFIG:-postfix-config}" "$@" 2>&1) || rc=$?
printf '%s\n' "$report" >&2
if [ "$rc" -ge 2 ]; then
    echo "certbot-dane-hook: the TLSA records of $host could not be checked (exit code $rc)." >&2
    exit 2
fi

if [ "$mode" = before ]; then
    if printf '%s\n' "$report" | grep -q '^renewal: *safe'; then
        echo "certbot-dane-hook: renewing is safe for $host." >&2
        exit 0
    fi
    echo "certbot-dane-hook: do NOT renew now: no published TLSA record of $host would match the renewed chain. Publish the records to add, wait twice the TTL, then renew." >&2
    exit 1
fi

if printf '%s\n' "$report" | grep -q '^current chain: authenticated'; then
    echo "certbot-dane-hook: the renewed chain of $host is authenticated by a published TLSA record." >&2
    exit 0
fi
echo "certbot-dane-hook: the renewed chain of $host matches NO published TLSA record: DANE clients defer mail to $host. Publish the records to add now." >&2
exit 1
