# Shared by dnssec-lab.sh and mta-sts-lab.sh (sourced, not run): the teardown by process id, the bounded
# waits, and the two throw-away Postfix instances (a receiver and a sender) each lab starts.
# The sourcing script sets lab (its work folder), res (its results folder) and log() first.

# ---------------------------------------------------------------- teardown (by process id)
pids=()
postfix_dirs=()
teardown() {
    local status=$?
    trap - EXIT INT TERM
    for dir in "${postfix_dirs[@]}"; do
        timeout 30 postfix -c "$dir" stop >/dev/null 2>&1 || true
        local master
        master=$(cat "$(postconf -c "$dir" -h queue_directory)/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
        if [ -n "$master" ]; then
            for _ in $(seq 1 100); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$master" 2>/dev/null || true
        fi
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    # Whatever Postfix process of this lab is left (its environment names a config directory of the lab).
    local left=""
    for p in /proc/[0-9]*; do
        if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -q "^MAIL_CONFIG=$lab/"; then
            kill -9 "${p#/proc/}" 2>/dev/null && left="$left ${p#/proc/}"
        fi
    done
    [ -z "$left" ] || log "killed leftover Postfix processes:$left"
    local alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    echo "${alive:-none}" >"$res/leftover-pids.txt"
    echo "$status" >"$res/exit-status.txt"
    exit $status
}
trap teardown EXIT
trap 'exit 143' INT TERM

# ---------------------------------------------------------------- bounded waits
wait_port() { # ADDR PORT [udp]: until something answers (a TCP connection, or a DNS answer over UDP), 30 s at most
    for _ in $(seq 1 150); do
        if [ "${3:-tcp}" = udp ]; then
            dig +time=1 +tries=1 @"$1" -p "$2" . SOA >/dev/null 2>&1 && return 0
        else
            (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        fi
        sleep 0.2
    done
    log "nothing answers on $1 port $2/${3:-tcp}"
    return 1
}
wait_log() { # FILE PATTERN SECONDS
    for _ in $(seq 1 $(($3 * 5))); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

# ---------------------------------------------------------------- two Postfix instances
# master.cf of both instances (the receiver adds its smtpd listener).
services='pickup    unix  n       -       n       60      1       pickup
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
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd'
harness() { # NAME: the settings of a throw-away instance under $lab/NAME
    cat <<EOT

# Lab harness (not rendered by postfix-config): paths, addresses and routing of this instance
compatibility_level = 3.6
queue_directory = $lab/$1/spool
data_directory = $lab/$1/lib
inet_protocols = ipv4
alias_maps =
alias_database =
maillog_file = $lab/log/$1.maillog
maillog_file_prefixes = $lab
syslog_name = $1
EOT
}
instance_dirs() { # makes $lab/receiver and $lab/sender
    local name
    for name in receiver sender; do
        mkdir -p "$lab/$name"/{etc,spool,lib}
        chown postfix "$lab/$name/lib"
        chmod 755 "$lab/$name" "$lab/$name"/{etc,spool}
    done
}
write_receiver() { # COMMENT INTERFACES MYHOSTNAME MYDESTINATION KEY CHAIN: $lab/receiver/etc, one smtpd on port 25
    {
        echo "# $1"
        harness receiver
        cat <<EOT
inet_interfaces = $2
myhostname = $3
mydestination = $4
local_recipient_maps =
local_transport = discard:
mynetworks = 127.0.0.0/8
smtpd_tls_chain_files = $5, $6
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
EOT
    } >"$lab/receiver/etc/main.cf"
    printf '%s\nsmtp      inet  n       -       n       -       -       smtpd\n' "$services" >"$lab/receiver/etc/master.cf"
}
finish_sender() { # after postfix-config rendered $lab/sender/etc: the harness settings and master.cf
    {
        harness sender
        cat <<EOT
inet_interfaces = 127.0.0.1
myhostname = sender.test
mydestination =
mynetworks = 127.0.0.0/8
smtp_connect_timeout = 10s
EOT
    } >>"$lab/sender/etc/main.cf"
    printf '%s\n' "$services" >"$lab/sender/etc/master.cf"
}
start_instances() { # starts the receiver and the sender (teardown stops them)
    local name
    for name in receiver sender; do
        postfix_dirs+=("$lab/$name/etc")
        if ! timeout 60 postfix -c "$lab/$name/etc" start >>"$lab/log/postfix-start.log" 2>&1; then
            # postfix(1) tells only a terminal what is wrong.
            timeout 60 script -qc "postfix -c $lab/$name/etc check" /dev/null >>"$lab/log/postfix-start.log" 2>&1 || true
            log "the $name Postfix does not start: $(tail -n 3 "$lab/log/postfix-start.log" | tr '\r\n' '  ')"
            exit 1
        fi
    done
}
