#!/usr/bin/env bash
# A second, throwaway Postfix beside the system one, for trying a configuration (docs/apply.md, "A second
# Postfix for trying a configuration"). Everything lives under one folder; it listens on loopback only and never touches
# /etc/postfix or the system queue.
#
#   tools/scratch-postfix.sh init  DIR [PORT]   make DIR/etc (main.cf, master.cf), DIR/spool, DIR/lib;
#                                               smtpd on 127.0.0.1:PORT (default 2525), mail discarded
#   tools/scratch-postfix.sh start DIR          postfix -c DIR/etc start, wait until the port answers
#   tools/scratch-postfix.sh stop  DIR          postfix -c DIR/etc stop
#
# Then point the tool at it: postfix-config apply my.yaml --config-dir DIR/etc, or render into DIR/etc.
# Run as root (Postfix's master must start as root to drop to the postfix user).
# What makes it work: its own config_directory, queue_directory and data_directory (the data folder
# owned by postfix, the others by root); chroot "n" in every master.cf line (the scratch queue has no
# copy of /etc and the libraries for a chroot); inet_interfaces = 127.0.0.1; and, as root, no change
# to /etc/postfix/main.cf (alternate_config_directories is checked only for non-root callers).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
case "$cmd" in
init)
    port=${3:-2525}
    mkdir -p "$dir/etc" "$dir/spool" "$dir/lib"
    dir=$(cd "$dir" && pwd)
    chmod 755 "$dir" "$dir/etc" "$dir/spool" "$dir/lib"
    chown postfix "$dir/lib"
    cat > "$dir/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/lib
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = scratch.example
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = \$mydestination
alias_maps =
alias_database =
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
# Accepted mail goes nowhere: count it in the log (status=sent ... discard).
default_transport = discard
MAIN
    cat > "$dir/etc/master.cf" <<MASTER
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$port inet n  -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
    echo "$dir/etc (smtpd on 127.0.0.1:$port)"
    ;;
start)
    postfix -c "$dir/etc" start
    port=$(awk '/^127\.0\.0\.1:[0-9]+ +inet/ { sub(/^127\.0\.0\.1:/, "", $1); print $1; exit }' "$dir/etc/master.cf")
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && exit 0
        sleep 0.1
    done
    echo "scratch-postfix: nothing listens on 127.0.0.1:$port after 10 s; see $dir/maillog" >&2; exit 1
    ;;
stop)
    postfix -c "$dir/etc" stop
    ;;
*) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
