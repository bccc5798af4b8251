#!/usr/bin/env bash
# An MTA-STS lab on loopback, for tests/PostfixConfig.IntegrationTests/Dns/MtaStsLabTests.cs. It runs
# inside the DNSSEC lab's private network namespace, as that lab's --exec command once its DNS is up:
#
#   unshare --net --mount -- bash tests/lab/dnssec-lab.sh --phase dns --out DIR \
#       --exec "bash tests/lab/mta-sts-lab.sh --cli PATH/TO/postfix-config --out DIR/mta-sts"
#
# It refuses to run in the host's network namespace. In the namespace it:
#   - makes a throw-away CA (openssl), an HTTPS certificate for every mta-sts.DOMAIN and a receiver
#     certificate whose names cover some MX hosts and not others;
#   - renders, with postfix-config, what each lab domain publishes (publish: mta-sts.txt and
#     dns-records.zone), checks the policy files with postfix-mta-sts-resolver's own parser and the
#     zone files with ldns-read-zone, and serves the records from its own unbound on 127.0.0.4
#     (the namespace's /etc/resolv.conf is bind-mounted to point there);
#   - serves each mta-sts.txt from a small HTTPS server on 127.0.0.20:443 (python3 ssl), under the CA;
#   - runs the real postfix-mta-sts-resolver (mta-sts-daemon, on 127.0.0.1:8461) with SSL_CERT_FILE
#     set to the lab CA, a receiving Postfix on 127.0.0.21-25 and a sending Postfix whose main.cf
#     postfix-config renders from an mta_sts: section (smtp_tls_CAfile = the lab CA);
#   - sends one message to each domain and keeps the logs under DIR/results;
#   - stops every process it started by process id (also on a signal), bounded, and records leftovers.
# The lab domains (MX mx.DOMAIN, the receiver's certificate names in brackets):
#   sts-ok.test             enforce, mx: mx.sts-ok.test                (covered)   -> delivered, Verified TLS
#   sts-mxout.test          enforce, mx: mx.elsewhere.test             (MX covered, not in the policy) -> deferred
#   sts-mxout-testing.test  testing, mx: mx.elsewhere.test             -> delivered
#   sts-badcert.test        enforce, mx: mx.sts-badcert.test           (certificate lacks the name) -> deferred
#   sts-badcert-testing.test testing, mx: mx.sts-badcert-testing.test  (lacks the name) -> delivered
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cli=""
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cli) cli=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "mta-sts-lab: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] && [ -x "$cli" ] || { echo "mta-sts-lab: --cli PROGRAM and --out DIR are required" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "mta-sts-lab: must run as root" >&2; exit 2; }
if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
    echo "mta-sts-lab: refusing to run in the host's network namespace (run it as the DNSSEC lab's --exec)" >&2
    exit 2
fi

mkdir -p "$out"
lab=$(cd "$out" && pwd)
res=$lab/results
mkdir -p "$lab"/{dns,run,log,pki,www,publish,empty} "$res"
chmod 755 "$lab"
log() { echo "mta-sts-lab: $*" >&2; echo "$*" >>"$res/progress.txt"; }
# The resolver is a python3 program: the interpreter of its #! line has its module.
resolver_python=$(head -n 1 /usr/bin/mta-sts-daemon | sed 's/^#! *//; s/ .*//')

# teardown by process id (trapped), wait_port, wait_log and the two Postfix instances
. "$here/lab-lib.sh"

for a in 4 20 21 22 23 24 25; do ip addr add "127.0.0.$a/32" dev lo 2>/dev/null || true; done

# domain, mode, policy mx, receiver address, whether the receiver's certificate names mx.DOMAIN
domains=(
    "sts-ok.test enforce mx.sts-ok.test 21 yes"
    "sts-mxout.test enforce mx.elsewhere.test 22 yes"
    "sts-mxout-testing.test testing mx.elsewhere.test 23 yes"
    "sts-badcert.test enforce mx.sts-badcert.test 24 no"
    "sts-badcert-testing.test testing mx.sts-badcert-testing.test 25 no"
)

# ---------------------------------------------------------------- PKI: a throw-away CA, the HTTPS and the receiver's certificates
pki=$lab/pki
ossl() { openssl "$@" 2>>"$lab/log/openssl.log"; }
ossl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key"
ossl req -x509 -new -key "$pki/ca.key" -subj "/CN=MTA-STS Lab CA" -days 3 -out "$pki/ca.pem" \
    -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign
leaf() { # NAME SAN-LIST
    ossl ecparam -name prime256v1 -genkey -noout -out "$pki/$1.key.sec1"
    ossl pkey -in "$pki/$1.key.sec1" -out "$pki/$1.key"
    ossl req -new -key "$pki/$1.key" -subj "/CN=$1" -out "$pki/$1.csr"
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:false\n' "$2" >"$pki/$1.ext"
    ossl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 -extfile "$pki/$1.ext" -out "$pki/$1.pem"
}
https_names=""
mx_names=""
for entry in "${domains[@]}"; do
    read -r d _ _ _ covered <<<"$entry"
    https_names="$https_names,DNS:mta-sts.$d"
    [ "$covered" = no ] || mx_names="$mx_names,DNS:mx.$d"
done
leaf https "${https_names#,}"
leaf mx "${mx_names#,}"
chmod 600 "$pki"/*.key

# ---------------------------------------------------------------- what each domain publishes, rendered by postfix-config
zone_data=""
for entry in "${domains[@]}"; do
    read -r d mode mx _ _ <<<"$entry"
    mkdir -p "$lab/publish/$d"
    cat >"$lab/publish/$d/input.yaml" <<EOF
postfix_version: "3.7"
publish:
  domain: $d
  mta_sts:
    mode: $mode
    mx: [$mx]
    max_age: 86400
  tlsrpt:
    rua: [mailto:tls-reports@$d]
EOF
    set +e
    timeout 60 "$cli" render "$lab/publish/$d/input.yaml" --out "$lab/publish/$d" >"$res/publish-$d.render.txt" 2>&1
    echo $? >"$res/publish-$d.render.rc"
    set -e
    cp "$lab/publish/$d/mta-sts.txt" "$res/mta-sts-$d.txt"
    cp "$lab/publish/$d/dns-records.zone" "$res/dns-records-$d.zone"
    mkdir -p "$lab/www/mta-sts.$d/.well-known"
    cp "$lab/publish/$d/mta-sts.txt" "$lab/www/mta-sts.$d/.well-known/mta-sts.txt"
    # The judges of the published files: the resolver's own parser (and the checks its resolver
    # makes before it accepts a policy), and ldns-read-zone.
    "$resolver_python" - "$lab/publish/$d/mta-sts.txt" >"$res/parse-$d.txt" 2>&1 <<'PY' || true
import sys
from postfix_mta_sts_resolver.utils import parse_mta_sts_policy
raw = open(sys.argv[1], 'rb').read()
assert raw.endswith(b'\r\n') and b'\n' not in raw.replace(b'\r\n', b''), 'lines must end with CRLF'
pol = parse_mta_sts_policy(raw.decode('ascii'))
assert pol.get('version') == 'STSv1', pol
max_age = int(pol.get('max_age', '-1'))
assert 0 <= max_age <= 31557600, pol
assert pol['mode'] in ('none', 'testing', 'enforce'), pol
print(pol['mode'], max_age, ' '.join(pol['mx']))
PY
    set +e
    ldns-read-zone "$lab/publish/$d/dns-records.zone" >"$res/ldns-$d.txt" 2>&1
    echo $? >"$res/ldns-$d.rc"
    set -e
    # The rendered TXT records, as the lab's DNS serves them.
    while IFS= read -r line; do
        case "$line" in ''|';'*) continue ;; esac
        zone_data="$zone_data    local-data: '$line'"$'\n'
    done <"$lab/publish/$d/dns-records.zone"
done

# ---------------------------------------------------------------- DNS: an unbound of this lab on 127.0.0.4 with the lab's records
{
    cat <<EOF
server:
    interface: 127.0.0.4
    port: 53
    do-ip6: no
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$lab/dns"
    pidfile: "$lab/run/unbound.pid"
    logfile: "$lab/log/unbound.log"
    use-syslog: no
    verbosity: 1
    num-threads: 1
    so-reuseport: no
    access-control: 127.0.0.0/8 allow
    module-config: "iterator"
    local-zone: "test." static
    local-data: "mx.elsewhere.test. IN A 127.0.0.29"
EOF
    for entry in "${domains[@]}"; do
        read -r d _ _ octet _ <<<"$entry"
        printf '    local-data: "%s. IN MX 10 mx.%s."\n    local-data: "mx.%s. IN A 127.0.0.%s"\n    local-data: "mta-sts.%s. IN A 127.0.0.20"\n' \
            "$d" "$d" "$d" "$octet" "$d"
    done
    printf '%s' "$zone_data"
    printf 'remote-control:\n    control-enable: no\n'
} >"$lab/dns/unbound.conf"
unbound-checkconf "$lab/dns/unbound.conf" >"$lab/log/unbound-checkconf.log" 2>&1
unbound -d -c "$lab/dns/unbound.conf" >>"$lab/log/unbound.log" 2>&1 &
pids+=($!)
printf 'nameserver 127.0.0.4\n' >"$lab/dns/resolv.conf"
mount --bind "$lab/dns/resolv.conf" /etc/resolv.conf
for _ in $(seq 1 75); do dig +time=1 +tries=1 @127.0.0.4 sts-ok.test MX >/dev/null 2>&1 && break; sleep 0.2; done
for entry in "${domains[@]}"; do
    read -r d _ _ _ _ <<<"$entry"
    dig +time=2 +tries=1 +short "_mta-sts.$d" TXT >"$res/dig-$d.txt" 2>&1 || true
done

# ---------------------------------------------------------------- HTTPS: the policies on 127.0.0.20:443 under the lab CA
cat >"$lab/run/https.py" <<'PY'
import http.server, os, ssl, sys
root, cert, key = sys.argv[1:4]
class Policy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get('Host') or '').split(':')[0].lower()
        path = os.path.join(root, host, '.well-known', 'mta-sts.txt')
        if self.path != '/.well-known/mta-sts.txt' or '/' in host or not os.path.isfile(path):
            self.send_error(404)
            return
        body = open(path, 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        sys.stderr.write('https: ' + (fmt % args) + '\n')
        sys.stderr.flush()
server = http.server.ThreadingHTTPServer(('127.0.0.20', 443), Policy)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY
"$resolver_python" "$lab/run/https.py" "$lab/www" "$pki/https.pem" "$pki/https.key" >>"$lab/log/https.log" 2>&1 &
pids+=($!)
wait_port 127.0.0.20 443

# ---------------------------------------------------------------- the resolver (the Debian package's daemon), trusting the lab CA only
cat >"$lab/run/mta-sts-daemon.yml" <<EOF
host: 127.0.0.1
port: 8461
reuse_port: true  # 1.1.2 cannot listen with reuse_port false (responder.py leaves opts unset)
shutdown_timeout: 2
cache:
  type: internal
  options:
    cache_size: 100
default_zone:
  strict_testing: false
  timeout: 4
EOF
env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
    SSL_CERT_FILE="$pki/ca.pem" SSL_CERT_DIR="$lab/empty" \
    /usr/bin/mta-sts-daemon -c "$lab/run/mta-sts-daemon.yml" -v debug -l "$lab/log/mta-sts-daemon.log" >>"$lab/log/mta-sts-daemon.out" 2>&1 &
pids+=($!)
wait_port 127.0.0.1 8461
log "DNS on 127.0.0.4, HTTPS on 127.0.0.20:443, mta-sts-daemon on 127.0.0.1:8461"

# ---------------------------------------------------------------- two Postfix instances
instance_dirs
all_domains=""
for entry in "${domains[@]}"; do read -r d _ _ _ _ <<<"$entry"; all_domains="$all_domains, $d"; done
write_receiver "The receiving MX hosts of the MTA-STS lab: one smtpd on 127.0.0.21-25 port 25." \
    "127.0.0.21, 127.0.0.22, 127.0.0.23, 127.0.0.24, 127.0.0.25" mx.sts-ok.test "${all_domains#, }" "$pki/mx.key" "$pki/mx.pem"

# The sender: outbound MTA-STS as docs/mta-sts.md answers it, with the lab CA as the trust anchor.
cat >"$lab/sender.yaml" <<EOF
postfix_version: "3.7"
main:
  smtp_tls_security_level: may
  smtp_tls_CAfile: $pki/ca.pem
  smtp_tls_loglevel: 1
mta_sts:
  resolver: postfix-mta-sts-resolver
  address: inet:127.0.0.1:8461
EOF
set +e
timeout 60 "$cli" render "$lab/sender.yaml" --out "$lab/sender/etc" >"$res/render.txt" 2>&1
echo $? >"$res/render.rc"
set -e
finish_sender
postconf -c "$lab/sender/etc" -h smtp_tls_policy_maps smtp_tls_CAfile >"$res/sender-settings.txt"
for entry in "${domains[@]}"; do
    read -r d _ _ _ _ <<<"$entry"
    printf '%s ' "$d" >>"$res/postmap-answers.txt"
    timeout 30 postmap -c "$lab/sender/etc" -q "$d" socketmap:inet:127.0.0.1:8461:postfix >>"$res/postmap-answers.txt" 2>&1 || echo "(no answer)" >>"$res/postmap-answers.txt"
done

start_instances
for a in 21 22 23 24 25; do wait_port "127.0.0.$a" 25; done
log "Postfix up: receiver on 127.0.0.21-25:25, sender $lab/sender/etc"

# ---------------------------------------------------------------- deliveries
for entry in "${domains[@]}"; do
    read -r d _ _ _ _ <<<"$entry"
    printf 'From: <sender@sender.test>\nTo: <user@%s>\nSubject: MTA-STS lab\n\nMTA-STS lab message.\n' "$d" |
        timeout 30 sendmail -C "$lab/sender/etc" -f sender@sender.test -- "user@$d"
done
for entry in "${domains[@]}"; do
    read -r d _ _ _ _ <<<"$entry"
    wait_log "$lab/log/sender.maillog" "to=<user@$d>.*status=" 90 || log "no delivery status for user@$d within 90 s"
done
cp "$lab/log/sender.maillog" "$res/sender.maillog"
cp "$lab/log/receiver.maillog" "$res/receiver.maillog"
cp "$lab/log/mta-sts-daemon.log" "$res/mta-sts-daemon.log" 2>/dev/null || true
cp "$lab/log/https.log" "$res/https.log" 2>/dev/null || true
log "done"
