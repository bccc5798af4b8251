#!/usr/bin/env bash
# A DNSSEC lab on loopback, for the DANE tests (tests/PostfixConfig.IntegrationTests/Dns/DnssecLabTests.cs).
#
#   unshare --net --mount -- bash tests/lab/dnssec-lab.sh --cli PATH/TO/postfix-config --out DIR [--phase dns|all] [--exec CMD]
#
# Runs only inside a private network namespace (it refuses otherwise), as root. It brings up lo,
# bind-mounts its own resolv.conf over /etc/resolv.conf (visible only in its mount namespace), and:
#   - signs zones at run time (ldns-keygen, ldns-signzone): a root ".", "test." and four mail domains:
#       dane-ok.test    signed, TLSA 3 1 1 + 2 1 1 that match the receiver's key and intermediate
#       dane-bad.test   signed, TLSA 3 1 1 of another key (mismatch)
#       unsigned.test   not signed (no DS in test.), with a wrong TLSA record that must be ignored
#       bogus.test      signed with a DS in test., then every signature but the DNSKEY one corrupted
#   - starts nsd (authoritative, 127.0.0.2), unbound validating with the lab root's trust anchor
#     (127.0.0.1, the lab's resolv.conf), unbound without validation (127.0.0.3);
#   - starts a receiving Postfix with a throw-away certificate (MX hosts 127.0.0.11-14 port 25) and a
#     sending Postfix whose main.cf postfix-config renders from tests/lab/sender.yaml (dane + dnssec);
#   - sends one message to each domain, runs posttls-finger -l dane, postfix-config probe --mx --dane,
#     lint --check-dns, status --check-dns and tlsa --dns; writes every output under DIR/results;
#   - then points the sender at the non-validating resolver and sends to dane-ok.test again;
#   - stops every server by process id (also on a signal), waits for them (bounded), and checks
#     that none is left.
# Every wait is bounded. Nothing listens outside the namespace; nothing resolves through the host's resolver.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cli=""
out=""
phase=all
exec_cmd=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cli) cli=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --phase) phase=$2; shift 2 ;;
        --exec) exec_cmd=$2; shift 2 ;;
        *) echo "dnssec-lab: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "dnssec-lab: --out DIR is required" >&2; exit 2; }
[ "$phase" = dns ] || [ -x "$cli" ] || { echo "dnssec-lab: --cli must name the postfix-config program" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "dnssec-lab: must run as root" >&2; exit 2; }
if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
    echo "dnssec-lab: refusing to run in the host's network namespace; start it with unshare --net --mount" >&2
    exit 2
fi

lab=$(cd "$out" && pwd)
res=$lab/results
mkdir -p "$lab"/{dns,zones,run,log,pki} "$res"
chmod 755 "$lab"
log() { echo "dnssec-lab: $*" >&2; }

# teardown by process id (trapped), wait_port, wait_log and the two Postfix instances
. "$here/lab-lib.sh"

# ---------------------------------------------------------------- network and resolv.conf
ip link set lo up
# Postfix binds inet_interfaces only to addresses an interface has: give lo the MX addresses.
for a in 11 12 13 14; do ip addr add "127.0.0.$a/32" dev lo; done
printf 'nameserver 127.0.0.1\n' >"$lab/dns/resolv.conf"
printf 'nameserver 127.0.0.3\n' >"$lab/dns/resolv-nonvalidating.conf"
cp "$lab/dns/resolv.conf" "$lab/dns/resolv-current.conf"
mount --bind "$lab/dns/resolv-current.conf" /etc/resolv.conf

# ---------------------------------------------------------------- PKI (openssl): root, intermediate, the receiver's key
pki=$lab/pki
ossl() { openssl "$@" 2>>"$lab/log/openssl.log"; }
ossl ecparam -name prime256v1 -genkey -noout -out "$pki/root.key"
ossl req -x509 -new -key "$pki/root.key" -subj "/CN=DNSSEC Lab Root" -days 3 -out "$pki/root.pem" \
    -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign
ossl ecparam -name prime256v1 -genkey -noout -out "$pki/int.key"
ossl req -new -key "$pki/int.key" -subj "/CN=DNSSEC Lab Intermediate" -out "$pki/int.csr"
printf 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$pki/int.ext"
ossl x509 -req -in "$pki/int.csr" -CA "$pki/root.pem" -CAkey "$pki/root.key" -CAcreateserial -days 3 -extfile "$pki/int.ext" -out "$pki/int.pem"
for k in mx other next; do ossl ecparam -name prime256v1 -genkey -noout -out "$pki/$k.key.sec1"; ossl pkey -in "$pki/$k.key.sec1" -out "$pki/$k.key"; done
ossl req -new -key "$pki/mx.key" -subj "/CN=mx.dane-ok.test" -out "$pki/mx.csr"
printf 'subjectAltName=DNS:mx.dane-ok.test,DNS:mx.dane-bad.test,DNS:mx.unsigned.test,DNS:mx.bogus.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:false\n' >"$pki/mx.ext"
ossl x509 -req -in "$pki/mx.csr" -CA "$pki/int.pem" -CAkey "$pki/int.key" -CAcreateserial -days 2 -extfile "$pki/mx.ext" -out "$pki/mx.pem"
cat "$pki/mx.pem" "$pki/int.pem" >"$pki/fullchain.pem"
chmod 600 "$pki"/*.key
spki() { openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | openssl dgst -sha256 -r | cut -d' ' -f1; }
spki_cert() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER 2>/dev/null | openssl dgst -sha256 -r | cut -d' ' -f1; }
mx311=$(spki "$pki/mx.key")
int211=$(spki_cert "$pki/int.pem")
other311=$(spki "$pki/other.key")
next311=$(spki "$pki/next.key")
printf '%s\n' "3 1 1 $mx311" "2 1 1 $int211" >"$res/tlsa-dane-ok.txt"
printf '3 1 1 %s\n' "$next311" >"$res/tlsa-next.txt"
printf '3 1 1 %s\n' "$other311" >"$res/tlsa-other.txt"

# ---------------------------------------------------------------- zones, signed at run time
zones=$lab/zones
serial=$(date +%Y%m%d)01
soa() { printf '$TTL 300\n%s IN SOA ns.test. hostmaster.test. %s 3600 600 86400 300\n%s IN NS ns.test.\n' "$1" "$serial" "$1"; }
mail_zone() { # NAME ADDRESS TLSA...
    local name=$1 address=$2; shift 2
    soa "$name." >"$zones/$name.zone"
    printf '%s. IN MX 10 mx.%s.\nmx.%s. IN A %s\n' "$name" "$name" "$name" "$address" >>"$zones/$name.zone"
    for t in "$@"; do printf '_25._tcp.mx.%s. IN TLSA %s\n' "$name" "$t" >>"$zones/$name.zone"; done
}
mail_zone dane-ok.test 127.0.0.11 "3 1 1 $mx311" "2 1 1 $int211"
mail_zone dane-bad.test 127.0.0.12 "3 1 1 $other311"
mail_zone unsigned.test 127.0.0.13 "3 1 1 $other311"
mail_zone bogus.test 127.0.0.14 "3 1 1 $mx311"

sign() { # ZONE-NAME FILE-BASE: one ECDSA P-256 key (KSK flag) signs the zone; prints the DS file
    local name=$1 base=$2 key
    (cd "$lab/dns" && key=$(ldns-keygen -a ECDSAP256SHA256 -k "$name") && echo "$key" >"$base.keyname")
    key=$(cat "$lab/dns/$base.keyname")
    ldns-signzone -n -f "$zones/$base.signed" "$zones/$base.zone" "$lab/dns/$key" >/dev/null
    echo "$lab/dns/$key.ds"
}
ds_ok=$(sign dane-ok.test dane-ok.test)
ds_bad=$(sign dane-bad.test dane-bad.test)
ds_bogus=$(sign bogus.test bogus.test)
# Break bogus.test: flip one character in the middle of every RRSIG except the DNSKEY set's, so
# the keys still validate against the DS but no data does (validating resolvers answer SERVFAIL).
awk -F'\t' 'BEGIN { OFS = "\t" }
    $4 == "RRSIG" { split($5, f, " "); if (f[1] != "DNSKEY") { n = length($5); m = int(n * 2 / 3);
        c = substr($5, m, 1); r = (c == "A") ? "B" : "A"; $5 = substr($5, 1, m - 1) r substr($5, m + 1) } }
    { print }' "$zones/bogus.test.signed" >"$zones/bogus.test.broken" && mv "$zones/bogus.test.broken" "$zones/bogus.test.signed"
cp "$zones/unsigned.test.zone" "$zones/unsigned.test.signed"

soa test. >"$zones/test.zone"
printf 'ns.test. IN A 127.0.0.2\n' >>"$zones/test.zone"
for d in dane-ok dane-bad unsigned bogus; do printf '%s.test. IN NS ns.test.\n' "$d" >>"$zones/test.zone"; done
cat "$ds_ok" "$ds_bad" "$ds_bogus" >>"$zones/test.zone"
ds_test=$(sign test. test)
soa . >"$zones/root.zone"
printf 'test. IN NS ns.test.\nns.test. IN A 127.0.0.2\n' >>"$zones/root.zone"
cat "$ds_test" >>"$zones/root.zone"
ds_root=$(sign . root)
cp "$ds_root" "$lab/dns/root.ds"
printf '. 3600000 IN NS ns.test.\nns.test. 3600000 IN A 127.0.0.2\n' >"$lab/dns/root.hints"

# ---------------------------------------------------------------- nsd (authoritative) and two unbounds
cat >"$lab/dns/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.2
    port: 53
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$zones"
    database: ""
    zonelistfile: "$lab/run/nsd-zone.list"
    xfrdfile: "$lab/run/nsd-xfrd.state"
    xfrdir: "$lab/run"
    pidfile: "$lab/run/nsd.pid"
    logfile: "$lab/log/nsd.log"
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
EOF
for z in root:. test:test. dane-ok.test:dane-ok.test. dane-bad.test:dane-bad.test. unsigned.test:unsigned.test. bogus.test:bogus.test.; do
    printf 'zone:\n    name: "%s"\n    zonefile: "%s.signed"\n' "${z#*:}" "${z%%:*}" >>"$lab/dns/nsd.conf"
done
nsd-checkconf "$lab/dns/nsd.conf"
nsd -d -c "$lab/dns/nsd.conf" >>"$lab/log/nsd.log" 2>&1 &
pids+=($!)
echo $! >"$lab/run/nsd.lab-pid"

unbound_conf() { # ADDRESS NAME VALIDATING
    cat <<EOF
server:
    interface: $1
    port: 53
    do-ip6: no
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$lab/dns"
    pidfile: "$lab/run/$2.pid"
    logfile: "$lab/log/$2.log"
    use-syslog: no
    verbosity: 1
    log-servfail: yes
    num-threads: 1
    so-reuseport: no
    access-control: 127.0.0.0/8 allow
    root-hints: "$lab/dns/root.hints"
    do-not-query-localhost: no
    local-zone: "test." nodefault
    harden-referral-path: no
    qname-minimisation: no
EOF
    if [ "$3" = yes ]; then
        printf '    module-config: "validator iterator"\n    trust-anchor-file: "%s"\n    val-log-level: 2\n' "$lab/dns/root.ds"
    else
        printf '    module-config: "iterator"\n'
    fi
    printf 'remote-control:\n    control-enable: no\n'
}
unbound_conf 127.0.0.1 unbound yes >"$lab/dns/unbound.conf"
unbound_conf 127.0.0.3 unbound-plain no >"$lab/dns/unbound-plain.conf"
unbound-checkconf "$lab/dns/unbound.conf" >/dev/null
unbound -d -c "$lab/dns/unbound.conf" >>"$lab/log/unbound.log" 2>&1 &
pids+=($!)
unbound -d -c "$lab/dns/unbound-plain.conf" >>"$lab/log/unbound-plain.log" 2>&1 &
pids+=($!)
wait_port 127.0.0.2 53 udp
wait_port 127.0.0.1 53 udp
wait_port 127.0.0.3 53 udp
log "DNS up: nsd 127.0.0.2, validating unbound 127.0.0.1, plain unbound 127.0.0.3"
for q in ". NS" "dane-ok.test MX" "_25._tcp.mx.dane-ok.test TLSA" "unsigned.test MX" "bogus.test MX"; do
    # shellcheck disable=SC2086
    dig +dnssec +time=3 +tries=1 @127.0.0.1 $q >"$res/dig-$(echo "$q" | sed 's/[ .\/]/_/g').txt" 2>&1 || true
done

if [ -n "$exec_cmd" ]; then
    bash -c "$exec_cmd" || true # for a person debugging the lab: a command run once DNS is up
fi
if [ "$phase" = dns ]; then
    log "phase dns: done"
    exit 0
fi

# ---------------------------------------------------------------- two Postfix instances
instance_dirs

write_receiver "The receiving MX hosts of the lab: one smtpd on 127.0.0.11-14 port 25, a throw-away certificate." \
    "127.0.0.11, 127.0.0.12, 127.0.0.13, 127.0.0.14" mx.dane-ok.test "dane-ok.test, dane-bad.test, unsigned.test, bogus.test" \
    "$pki/mx.key" "$pki/fullchain.pem"

"$cli" render "$here/sender.yaml" --out "$lab/sender/etc" >"$res/render.txt" 2>&1
finish_sender
postconf -c "$lab/sender/etc" -h smtp_tls_security_level smtp_dns_support_level >"$res/sender-levels.txt"

start_instances
for a in 11 12 13 14; do wait_port "127.0.0.$a" 25 tcp; done
log "Postfix up: receiver on 127.0.0.11-14:25, sender $lab/sender/etc"

# ---------------------------------------------------------------- deliveries
send() { # RECIPIENT
    printf 'From: <sender@sender.test>\nTo: <%s>\nSubject: DNSSEC lab\n\nDANE lab message.\n' "$1" |
        timeout 30 sendmail -C "$lab/sender/etc" -f sender@sender.test -- "$1"
}
domains="dane-ok.test dane-bad.test unsigned.test bogus.test"
for d in $domains; do send "user@$d"; done
for d in $domains; do
    wait_log "$lab/log/sender.maillog" "to=<user@$d>.*status=" 90 || log "no delivery status for user@$d within 90 s"
done
cp "$lab/log/sender.maillog" "$res/sender-phase1.maillog"

# ---------------------------------------------------------------- what the tools say, per domain
for d in $domains; do
    MAIL_CONFIG=$lab/sender/etc timeout 60 posttls-finger -c -l dane -L summary,certmatch "$d" >"$res/finger-$d.txt" 2>&1 || true
    set +e
    timeout 120 "$cli" probe "$d" --mx --dane --format json --timeout 10 >"$res/probe-$d.json" 2>"$res/probe-$d.err"
    echo $? >"$res/probe-$d.rc"
    timeout 120 "$cli" probe "$d" --mx --dane --timeout 10 >"$res/probe-$d.txt" 2>&1
    set -e
done
# The JSON reports against the schema they are documented by (python3-jsonschema, as the unit tests use it).
for d in $domains; do
    python3 - "$here/../../schema/probe-report.schema.json" "$res/probe-$d.json" >"$res/schema-$d.txt" 2>&1 <<'PY' || true
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
print("\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors) if errors else "valid")
PY
done
run() { # NAME ARGS...: the CLI's output and exit code under results/NAME.*
    local name=$1; shift
    set +e
    timeout 120 "$cli" "$@" >"$res/$name.out" 2>"$res/$name.err"
    echo $? >"$res/$name.rc"
    set -e
}
run lint-validating lint "$lab/sender/etc/main.cf" --check-dns
run lint-plain lint "$lab/sender/etc/main.cf" --check-dns --resolver 127.0.0.3
run lint-nsd lint "$lab/sender/etc/main.cf" --check-dns --resolver 127.0.0.2
run status-validating status "$lab/sender/etc/main.cf" --check-dns
run status-validating-json status "$lab/sender/etc/main.cf" --check-dns --format json
run status-plain status "$lab/sender/etc/main.cf" --check-dns --resolver 127.0.0.3
run tlsa-dns-ok tlsa "$pki/fullchain.pem" --host mx.dane-ok.test --next-key "$pki/next.key" --dns
run tlsa-dns-bad tlsa "$pki/fullchain.pem" --host mx.dane-bad.test --dns
run tlsa-dns-unsigned tlsa "$pki/fullchain.pem" --host mx.unsigned.test --dns
run tlsa-dns-bogus tlsa "$pki/fullchain.pem" --host mx.bogus.test --dns
run tlsa-key-next tlsa --key "$pki/next.key" --host mx.dane-ok.test

# ---------------------------------------------------------------- phase 2: the same sender behind a resolver that does not validate
mount --bind "$lab/dns/resolv-nonvalidating.conf" /etc/resolv.conf
timeout 60 postfix -c "$lab/sender/etc" reload >>"$lab/log/postfix-start.log" 2>&1
sleep 1
send "user2@dane-ok.test"
wait_log "$lab/log/sender.maillog" "to=<user2@dane-ok.test>.*status=" 90 || log "no delivery status for user2@dane-ok.test within 90 s"
cp "$lab/log/sender.maillog" "$res/sender.maillog"
cp "$lab/log/receiver.maillog" "$res/receiver.maillog"
run lint-after-switch lint "$lab/sender/etc/main.cf" --check-dns
run status-after-switch status "$lab/sender/etc/main.cf" --check-dns --format json
log "done"
