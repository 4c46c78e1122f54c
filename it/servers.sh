#!/usr/bin/env bash
# Real mail and DNS servers for mxcutover's integration tests, on 127.0.0.1 only.
#
#   it/servers.sh install        install the missing Debian packages (apt-get; sudo when not root)
#   it/servers.sh start DIR      start every server, each in its own subdirectory of DIR;
#                                writes DIR/servers.env (KEY=VALUE) once every port answers
#   it/servers.sh stop DIR       stop them by PID file (TERM, then KILL after a bounded wait)
#   it/servers.sh env DIR        print DIR/servers.env
#   it/servers.sh reload DIR     restart both NSDs on the same ports so they serve every
#                                DIR/nsd*/zones/*.zone as it is now; returns once all are served
#   it/servers.sh flush DIR      drop everything under test. from Unbound's caches
#   it/servers.sh oauth-start DIR URL   (or URL in MXCIT_OAUTH_INTROSPECTION_URL)
#                                start a third, small Dovecot ("dovecot-oauth") whose users log in
#                                only by XOAUTH2/OAUTHBEARER, checked by its oauth2 passdb against the
#                                token-introspection endpoint URL (RFC 7662, POST) that the test runs;
#                                writes DIR/servers.env (OAUTH_*); `stop DIR` stops it
#   it/servers.sh pg-start DIR   start a PostgreSQL server (Debian package postgresql; its own cluster
#                                made by initdb in a fresh directory, never the system's cluster) on a
#                                free loopback port (PG_PORT in the environment to choose); database and
#                                owner "mxcutover" with a generated password; writes DIR/servers.env
#                                (PG_*); `stop DIR` stops it (fast shutdown) and deletes its data
#
# Servers started (it/README.md has the layout of DIR and the keys of servers.env):
#   dovecot-legacy  IMAP (+STARTTLS) and LMTP; Maildir, separator '.', namespace prefix "INBOX."
#   dovecot-new     IMAP (+STARTTLS) and LMTP; Maildir LAYOUT=fs, separator '/', no prefix
#   postfix         legacy MTA: SMTP for example.test, delivers by LMTP into dovecot-legacy
#   postfix-new     new MTA: SMTP for example.test, delivers by LMTP into dovecot-new
#   nsd1, nsd2      authoritative DNS, zones = DIR/nsdN/zones/*.zone
#   unbound         recursive resolver; test. forwarded to nsd1, everything else refused
#
# Ports come from the environment (LEGACY_IMAP_PORT LEGACY_LMTP_PORT NEW_IMAP_PORT
# LEGACY_SMTP_PORT NSD1_PORT NSD2_PORT UNBOUND_PORT UNBOUND_CONTROL_PORT NEW_LMTP_PORT
# NEW_SMTP_PORT); any not given is
# picked here among ports free in /proc/net. Nothing listens on a fixed port and no system
# daemon (systemd unit, /etc config) is ever touched. MXCIT_LEGACY_SPECIAL_USE and
# MXCIT_NEW_SPECIAL_USE ("auto", the default, or "none"; see below) choose whether each Dovecot
# declares and auto-creates the special-use folders.
set -euo pipefail
# The daemons live in /usr/sbin, which a non-root PATH (or a JVM's) may lack.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

# ldnsutils: ldns-keygen/ldns-signzone, for the DNSSEC tests' signed zones.
# chromium, chromium-driver: the headless browser and its WebDriver for the console's browser tests
# (appliance *ConsoleIT, Selenium against /usr/bin/chromedriver; nothing is downloaded at test time).
# lintian: checks the Debian package the build makes (appliance DebianPackageIT, docs/debian-package.md).
# postgresql: the shared store of several appliance nodes (issue 16; `pg-start`, appliance *PostgresIT); only
# its binaries are used: the package's own cluster is never started (policy-rc.d below).
# prometheus: for its promtool only (appliance ObservabilityIT checks /metrics, MonitoringExamplesIT the alert
# rules); 19 MB download, 96 MB installed; its server is never started (policy-rc.d below, systemctl disable).
readonly PACKAGES=(dovecot-imapd dovecot-lmtpd postfix nsd unbound swaks isync dnsutils openssl systemd ldnsutils
  chromium chromium-driver lintian prometheus postgresql)
readonly BINARIES=(/usr/sbin/dovecot /usr/sbin/postfix /usr/sbin/nsd /usr/sbin/unbound
  /usr/sbin/unbound-control /usr/bin/dig /usr/bin/openssl /usr/bin/setpriv /usr/bin/chromium /usr/bin/chromedriver
  /usr/bin/lintian /usr/bin/promtool)
readonly PORT_VARS=(LEGACY_IMAP_PORT LEGACY_LMTP_PORT NEW_IMAP_PORT LEGACY_SMTP_PORT
  NSD1_PORT NSD2_PORT UNBOUND_PORT UNBOUND_CONTROL_PORT NEW_LMTP_PORT NEW_SMTP_PORT)
readonly DOMAIN=example.test
readonly USERS=(alice bob carol)
readonly OAUTH_USERS=(dave erin frank)
readonly MASTER_USER=master MASTER_PASSWORD=master-pw
# Mail files belong to this uid/gid (no passwd entry needed: Dovecot switches to it numerically).
readonly VMAIL_UID=${MXCIT_VMAIL_UID:-5000} VMAIL_GID=${MXCIT_VMAIL_GID:-5000}
readonly READY_TIMEOUT_S=${MXCIT_READY_TIMEOUT_S:-30}
# Special-use folders of each Dovecot: "auto" (default) declares Sent, Drafts, Trash, Junk and
# Archive with their RFC 6154 attribute and creates them in every account (auto = subscribe);
# "none" declares none: an account starts with INBOX only and no folder announces a role
# (a freshly provisioned account on many servers, or a legacy server whose clients guess roles by name).
readonly LEGACY_SPECIAL_USE=${MXCIT_LEGACY_SPECIAL_USE:-auto} NEW_SPECIAL_USE=${MXCIT_NEW_SPECIAL_USE:-auto}

die() { echo "servers.sh: $*" >&2; exit 1; }
log() { echo "servers.sh: $*" >&2; }
# MXCIT_TRACE=1 prints how long each start stage took (milliseconds since start).
T0=$(date +%s%N)
stage() { [ -z "${MXCIT_TRACE:-}" ] || log "$(( ($(date +%s%N) - T0) / 1000000 )) ms: $*"; }

# ---------------------------------------------------------------------------------------------
# install

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

cmd_install() {
  local missing sudo=""
  mapfile -t missing < <(missing_packages)
  if [ ${#missing[@]} -eq 0 ]; then
    log "all packages present (${PACKAGES[*]})"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]}"
  # Postfix must not write /etc/postfix/main.cf nor start: each test run has its own instance.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  # policy-rc.d 101 = "action forbidden": the packages' postinst scripts start no daemon.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# written by mxcutover it/servers.sh install, removed when it ends\nexit 101\n' \
      | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    own_policy=1
  fi
  local rc=0
  {
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q update &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "${missing[@]}"
  } || rc=$?
  [ "$own_policy" -eq 0 ] || $sudo rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get failed (exit $rc) installing ${missing[*]}"
  # On a machine booted with systemd the units may still have been enabled or started:
  # the tests run their own instances, so the system ones stay off.
  if [ -d /run/systemd/system ]; then
    local unit
    for unit in dovecot postfix nsd unbound unbound-resolvconf prometheus; do
      $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
  fi
  mapfile -t missing < <(missing_packages)
  [ ${#missing[@]} -eq 0 ] || die "still missing after install: ${missing[*]}"
  log "installed"
}

# ---------------------------------------------------------------------------------------------
# ports

# Every local port in use (TCP or UDP, v4 or v6), as 4-digit upper-case hex, space-separated.
# (mawk, Debian's default awk, cannot parse hex; comparing hex strings avoids converting.)
used_ports() {
  local f files=()
  for f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
    [ -r "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -eq 0 ] && return 0
  awk 'FNR > 1 { n = split($2, a, ":"); print toupper(a[n]) }' "${files[@]}" | sort -u | tr '\n' ' '
}

# Picks a port that is not in the space-separated list $1 and not in use ($2: used_ports).
pick_port() {
  local taken=" $1 " used=" $2 " port hex i
  for ((i = 0; i < 500; i++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    printf -v hex '%04X' "$port"
    case "$taken" in *" $port "*) continue ;; esac
    case "$used" in *" $hex "*) continue ;; esac
    echo "$port"
    return 0
  done
  die "no free port found"
}

# ---------------------------------------------------------------------------------------------
# helpers

# True when uid:gid can reach (search permission on every ancestor of) directory $3.
reachable_by() {
  setpriv --reuid="$1" --regid="$2" --clear-groups test -x "$3" 2>/dev/null
}

tcp_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when the DNS server on port $1 answers zone $2's SOA authoritatively.
dns_serves() {
  local out
  out=$(dig +norec +time=1 +tries=1 -p "$1" @127.0.0.1 "$2" SOA 2>/dev/null) || return 1
  grep -q 'status: NOERROR' <<<"$out" && grep -q 'flags: qr aa' <<<"$out"
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# Reads the PID a daemon wrote into its own pid file $1 (waiting for it to appear) and
# copies it to $2, the file `stop` reads.
record_pid() {
  local from=$1 to=$2 i pid=""
  for ((i = 0; i < 100; i++)); do
    if [ -s "$from" ]; then
      pid=$(tr -dc '0-9' <"$from")
      [ -n "$pid" ] && break
    fi
    sleep 0.1
  done
  [ -n "$pid" ] || return 1
  echo "$pid" >"$to"
}

# ---------------------------------------------------------------------------------------------
# configuration writers

write_cert() {
  local dir=$1
  mkdir -p "$dir"
  # EC key: generated in milliseconds, unlike RSA.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"
  chmod 600 "$dir/key.pem"
}

write_users() {
  local file=$1 u
  : >"$file"
  for u in "${USERS[@]}"; do echo "$u:{PLAIN}$u-pw" >>"$file"; done
  chmod 644 "$file"
}

# write_dovecot NAME DIR RUNDIR DATADIR IMAP_PORT LMTP_PORT(or "") SEPARATOR PREFIX LAYOUT SPECIAL_USE
write_dovecot() {
  local name=$1 dir=$2 run=$3 data=$4 imap=$5 lmtp=$6 sep=$7 prefix=$8 layout=$9 special_use=${10}
  local protocols="imap" lmtp_service="" mbox
  mkdir -p "$dir/state" "$run" "$data/mail"
  chmod 755 "$run"
  chown "$VMAIL_UID:$VMAIL_GID" "$data/mail"
  chmod 770 "$data/mail"
  write_users "$data/users"
  echo "$MASTER_USER:{PLAIN}$MASTER_PASSWORD" >"$data/master-users"
  chmod 644 "$data/master-users"
  if [ -n "$lmtp" ]; then
    protocols="imap lmtp"
    lmtp_service="service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp
  }
  unix_listener lmtp {
    mode = 0
  }
}"
  fi
  local dh=""
  [ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
  {
    cat <<EOF
# Dovecot "$name" for mxcutover integration tests (generated by it/servers.sh; Dovecot 2.3 syntax)
instance_name = mxcit-$name-$imap
base_dir = $run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = $protocols
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
shutdown_clients = yes

ssl = yes
ssl_cert = <$(dirname "$dir")/tls/cert.pem
ssl_key = <$(dirname "$dir")/tls/key.pem
$dh

# Tests log in with plain passwords over loopback; STARTTLS stays available.
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_master_user_separator = *
# LMTP recipients arrive as alice@$DOMAIN, IMAP logins as alice: both are user alice.
auth_username_format = %Ln
postmaster_address = postmaster@$DOMAIN

passdb {
  driver = passwd-file
  args = scheme=PLAIN $data/master-users
  master = yes
  result_success = continue
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN $data/users
}
# Every passdb user exists (allow_all_users=no checks the passdb), all under one mail uid.
userdb {
  driver = static
  args = uid=$VMAIL_UID gid=$VMAIL_GID home=$data/mail/%Ln
}
first_valid_uid = $VMAIL_UID
last_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID
last_valid_gid = $VMAIL_GID
mail_location = maildir:~/Maildir$layout
mail_fsync = always

# Quota (the "count" backend: no file of its own, counted from the indexes). No limit unless a
# user's passwd-file line gives one (extra field userdb_quota_rule=*:storage=20K), so a test can
# make one account refuse APPENDs for quota and raise it by rewriting that line.
mail_plugins = \$mail_plugins quota
protocol imap {
  mail_plugins = \$mail_plugins imap_quota
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
}

namespace inbox {
  inbox = yes
  separator = $sep
  prefix = $prefix
EOF
    [ "$special_use" = none ] || for mbox in Sent Drafts Trash Junk Archive; do
      cat <<EOF
  mailbox $mbox {
    special_use = \\$mbox
    auto = subscribe
  }
EOF
    done
    cat <<EOF
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
$lmtp_service
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
EOF
  } >"$dir/dovecot.conf"
}

# write_dovecot_oauth DIR RUNDIR DATADIR IMAP_PORT INTROSPECTION_URL
# A Dovecot whose only passdb is oauth2 (Dovecot 2.3): the user's token is POSTed (token=...) to the
# introspection URL, whose JSON answer must carry "username" equal to the login (domain stripped) and
# "active": true. No auth cache (a revoked token is refused at the next login) and no failure delay
# (a refused token costs no 2 s). Maildir LAYOUT=fs, separator '/', no special-use folders.
write_dovecot_oauth() {
  local dir=$1 run=$2 data=$3 imap=$4 url=$5 dh=""
  mkdir -p "$dir/state" "$run" "$data/mail"
  chmod 755 "$run"
  chown "$VMAIL_UID:$VMAIL_GID" "$data/mail"
  chmod 770 "$data/mail"
  [ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
  cat >"$dir/oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = $url
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 10000
EOF
  chmod 644 "$dir/oauth2.conf.ext"
  cat >"$dir/dovecot.conf" <<EOF
# Dovecot "oauth" for mxcutover integration tests (generated by it/servers.sh; Dovecot 2.3 syntax)
instance_name = mxcit-oauth-$imap
base_dir = $run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
shutdown_clients = yes

ssl = yes
ssl_cert = <$(dirname "$dir")/tls/cert.pem
ssl_key = <$(dirname "$dir")/tls/key.pem
$dh

disable_plaintext_auth = no
auth_mechanisms = xoauth2 oauthbearer
auth_username_format = %Ln
auth_failure_delay = 0
auth_cache_size = 0

passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=$VMAIL_UID gid=$VMAIL_GID home=$data/mail/%Ln
}
first_valid_uid = $VMAIL_UID
last_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID
last_valid_gid = $VMAIL_GID
mail_location = maildir:~/Maildir:LAYOUT=fs
mail_fsync = always

namespace inbox {
  inbox = yes
  separator = /
  prefix =
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
# No anvil auth penalty: refused tokens are the point of these tests, and each would delay the
# next failure from 127.0.0.1 by 2, 4, 8, 15 s.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
}

# write_postfix DIR DATA_DIR SMTP_PORT LMTP_PORT [SIDE]   SIDE: legacy (default) or new
write_postfix() {
  local dir=$1 data=$2 smtp=$3 lmtp=$4 side=${5:-legacy}
  mkdir -p "$dir/etc" "$dir/queue" "$data"
  chown postfix "$data"
  chmod 700 "$data"
  # The queue layout of postfix-files, made here so that `postfix start` can skip its
  # integrity check (quick-start): that check alone takes seconds.
  local q
  for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
    install -d -o postfix -m 700 "$dir/queue/$q"
  done
  install -d -o postfix -g postdrop -m 730 "$dir/queue/maildrop"
  install -d -o postfix -g postdrop -m 710 "$dir/queue/public"
  install -d -o root -m 755 "$dir/queue/pid"
  touch "$dir/queue/quick-start"
  cat >"$dir/etc/main.cf" <<EOF
# Postfix standing for the $side MTA in mxcutover integration tests (generated by it/servers.sh)
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = mx.$side.test
mydomain = $side.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP $side test MTA
# Accept only $DOMAIN (no open relay, not even for loopback) and hand it to Dovecot over LMTP;
# Dovecot refuses unknown users, which bounce.
smtpd_relay_restrictions = reject_unauth_destination
virtual_mailbox_domains = $DOMAIN
virtual_transport = lmtp:inet:127.0.0.1:$lmtp
default_transport = error:this test MTA delivers to $DOMAIN only
relay_transport = error:this test MTA delivers to $DOMAIN only
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
message_size_limit = 52428800
# Retry quickly while Dovecot restarts or a test breaks LMTP on purpose.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
EOF
  cat >"$dir/etc/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$smtp inet n    -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  # Postfix re-reads a config file until it is a second old (it could be mid-edit): backdate.
  touch -d '-1 minute' "$dir/etc/main.cf" "$dir/etc/master.cf"
}

seed_zone() {
  local zonedir=$1
  mkdir -p "$zonedir"
  # Parent zone: any other name under test. is NXDOMAIN, so no query leaves the machine.
  cat >"$zonedir/test.zone" <<'EOF'
$ORIGIN test.
$TTL 60
@       IN SOA  ns.test. hostmaster.test. ( 1 3600 600 86400 60 )
        IN NS   ns.test.
ns      IN A    127.0.0.1
EOF
  cat >"$zonedir/example.test.zone" <<'EOF'
$ORIGIN example.test.
$TTL 300
@       IN SOA  ns1.example.test. hostmaster.example.test. ( 1 3600 600 86400 60 )
        IN NS   ns1.example.test.
ns1     IN A    127.0.0.1
@    30 IN MX   10 mx.legacy.test.
@       IN TXT  "v=spf1 include:legacy.test -all"
EOF
}

# Rewrites nsd.conf so that it lists every *.zone in the zone dir (zone name = file name).
write_nsd_conf() {
  local dir=$1 port=$2 f zone
  {
    cat <<EOF
# NSD for mxcutover integration tests (generated by it/servers.sh; rewritten by reload)
server:
    ip-address: 127.0.0.1@$port
    port: $port
    do-ip6: no
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$dir/zones"
    zonelistfile: "$dir/zone.list"
    xfrdfile: "$dir/xfrd.state"
    xfrdir: "$dir"
    pidfile: "$dir/nsd.pid"
    logfile: "$dir/nsd.log"
    server-count: 1
    verbosity: 1
    hide-version: yes
    reuseport: no
remote-control:
    control-enable: no
EOF
    for f in "$dir"/zones/*.zone; do
      [ -e "$f" ] || continue
      zone=$(basename "$f" .zone)
      printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$zone" "$f"
    done
  } >"$dir/nsd.conf"
}

write_unbound_conf() {
  local dir=$1 port=$2 control=$3 nsd=$4
  cat >"$dir/unbound.conf" <<EOF
# Unbound for mxcutover integration tests (generated by it/servers.sh)
server:
    interface: 127.0.0.1@$port
    port: $port
    do-ip6: no
    interface-automatic: no
    outgoing-interface: 127.0.0.1
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    logfile: "$dir/unbound.log"
    use-syslog: no
    verbosity: 1
    num-threads: 1
    so-reuseport: no
    msg-cache-size: 4m
    rrset-cache-size: 8m
    # No DNSSEC: test. is unsigned and there is no trust anchor.
    module-config: "iterator"
    domain-insecure: "test."
    # Unbound answers test. itself (RFC 6761) unless told not to.
    local-zone: "test." nodefault
    do-not-query-localhost: no
    qname-minimisation: no
    cache-min-ttl: 0
    prefetch: no
    serve-expired: no
    infra-keep-probing: yes
    infra-host-ttl: 10
# Forwarding (not a stub) so Unbound never follows the zones' NS records to port 53.
forward-zone:
    name: "test."
    forward-addr: 127.0.0.1@$nsd
# Everything else goes to NSD too, which refuses it: no query reaches the Internet.
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$nsd
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: $control
    control-use-cert: no
EOF
}

# ---------------------------------------------------------------------------------------------
# start / stop

check_binaries() {
  local b missing=()
  for b in "${BINARIES[@]}"; do [ -x "$b" ] || missing+=("$b"); done
  # Exit code 3 tells the JUnit extension not to retry.
  if [ ${#missing[@]} -ne 0 ]; then
    log "missing ${missing[*]}: run 'it/servers.sh install' (installs ${PACKAGES[*]})"
    exit 3
  fi
}

start_nsd() {
  local dir=$1 out
  rm -f "$dir/nsd.pid"
  out=$(nsd -c "$dir/nsd.conf" 2>&1) || { echo "$out" >&2; return 1; }
  record_pid "$dir/nsd.pid" "$dir/server.pid"
}

# Waits (bounded) until every zone file in $1/zones is served on port $2.
wait_nsd() {
  local dir=$1 port=$2 deadline=$((SECONDS + READY_TIMEOUT_S)) f zone
  for f in "$dir"/zones/*.zone; do
    [ -e "$f" ] || continue
    zone=$(basename "$f" .zone)
    until dns_serves "$port" "$zone"; do
      if ((SECONDS >= deadline)); then
        log "NSD on port $port does not serve $zone (is $f a valid zone?); log $dir/nsd.log:"
        tail -n 20 "$dir/nsd.log" >&2 || true
        return 1
      fi
      sleep 0.05
    done
  done
}

wait_tcp() {
  local port=$1 what=$2 deadline=$((SECONDS + READY_TIMEOUT_S))
  until tcp_answers "$port"; do
    if ((SECONDS >= deadline)); then
      log "$what does not answer on 127.0.0.1:$port"
      return 1
    fi
    sleep 0.05
  done
}

show_logs() {
  local dir=$1 f
  for f in "$dir"/dovecot-legacy/dovecot.log "$dir"/dovecot-new/dovecot.log "$dir"/postfix/maillog \
    "$dir"/postfix/start.log "$dir"/postfix-new/maillog "$dir"/postfix-new/start.log \
    "$dir"/nsd1/nsd.log "$dir"/nsd2/nsd.log "$dir"/unbound/unbound.log; do
    [ -s "$f" ] || continue
    echo "---- $f (last lines)" >&2
    tail -n 15 "$f" >&2
  done
}

cmd_start() {
  local dir=$1
  check_binaries
  local side
  for side in "$LEGACY_SPECIAL_USE" "$NEW_SPECIAL_USE"; do
    case "$side" in auto | none) ;; *) die "MXCIT_LEGACY_SPECIAL_USE / MXCIT_NEW_SPECIAL_USE: 'auto' or 'none', not '$side'" ;; esac
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -e "$dir/servers.env" ] || compgen -G "$dir/*/server.pid" >/dev/null; then
    log "servers already started in $dir: stopping them first"
    cmd_stop "$dir"
  fi
  local started=$SECONDS t0
  t0=$(date +%s%N)

  local v taken="" used
  used=$(used_ports)
  for v in "${PORT_VARS[@]}"; do
    if [ -z "${!v:-}" ]; then
      printf -v "$v" '%s' "$(pick_port "$taken" "$used")"
    fi
    taken="$taken ${!v}"
  done

  # Sockets live in a short /tmp path (sun_path is 108 bytes; DIR may be deep in a checkout).
  local run
  run=$(mktemp -d /tmp/mxcit.XXXXXX)
  chmod 755 "$run"
  echo "$run" >"$dir/runtime-dir"

  # Dovecot's auth (user dovecot) reads the passwd files, the mail uid owns the Maildirs and
  # Postfix (user postfix) locks files in its data_directory: all must be able to reach them.
  # When DIR is under a private home (/root is 0700), they go to $run instead.
  local data_root="$dir"
  if ! reachable_by "$VMAIL_UID" "$VMAIL_GID" "$dir" || ! reachable_by "$(id -u dovecot)" "$(id -g dovecot)" "$dir" ||
    ! reachable_by "$(id -u postfix)" "$(id -g postfix)" "$dir"; then
    data_root="$run/data"
    log "$dir is not reachable by uid $VMAIL_UID, dovecot or postfix: mailboxes, passwd files and Postfix data go to $data_root"
  fi

  rm -rf "$dir/dovecot-legacy" "$dir/dovecot-new" "$dir/postfix" "$dir/postfix-new" "$dir/nsd1" "$dir/nsd2" "$dir/unbound" "$dir/tls"
  stage "ports picked"
  write_cert "$dir/tls"
  local legacy_data="$data_root/dovecot-legacy" new_data="$data_root/dovecot-new"
  mkdir -p "$dir/dovecot-legacy" "$dir/dovecot-new" "$legacy_data" "$new_data"
  write_dovecot legacy "$dir/dovecot-legacy" "$run/dovecot-legacy" "$legacy_data" \
    "$LEGACY_IMAP_PORT" "$LEGACY_LMTP_PORT" "." "INBOX." "" "$LEGACY_SPECIAL_USE"
  write_dovecot new "$dir/dovecot-new" "$run/dovecot-new" "$new_data" \
    "$NEW_IMAP_PORT" "$NEW_LMTP_PORT" "/" "" ":LAYOUT=fs" "$NEW_SPECIAL_USE"
  write_postfix "$dir/postfix" "$data_root/postfix/data" "$LEGACY_SMTP_PORT" "$LEGACY_LMTP_PORT"
  write_postfix "$dir/postfix-new" "$data_root/postfix-new/data" "$NEW_SMTP_PORT" "$NEW_LMTP_PORT" new
  local n
  for n in 1 2; do
    seed_zone "$dir/nsd$n/zones"
  done
  write_nsd_conf "$dir/nsd1" "$NSD1_PORT"
  write_nsd_conf "$dir/nsd2" "$NSD2_PORT"
  mkdir -p "$dir/unbound"
  write_unbound_conf "$dir/unbound" "$UNBOUND_PORT" "$UNBOUND_CONTROL_PORT" "$NSD1_PORT"

  stage "configuration written"
  # Launch all at once; each daemonizes and writes its own pid file.
  local failed=0 postfix_pid postfix_new_pid
  # Postfix in the background: its start script is the slowest part.
  postfix -c "$dir/postfix/etc" start >"$dir/postfix/start.log" 2>&1 &
  postfix_pid=$!
  postfix -c "$dir/postfix-new/etc" start >"$dir/postfix-new/start.log" 2>&1 &
  postfix_new_pid=$!
  dovecot -c "$dir/dovecot-legacy/dovecot.conf" 2>>"$dir/dovecot-legacy/dovecot.log" || failed=1
  dovecot -c "$dir/dovecot-new/dovecot.conf" 2>>"$dir/dovecot-new/dovecot.log" || failed=1
  start_nsd "$dir/nsd1" || failed=1
  start_nsd "$dir/nsd2" || failed=1
  unbound -c "$dir/unbound/unbound.conf" >>"$dir/unbound/start.log" 2>&1 || failed=1
  stage "dovecot, nsd, unbound launched"
  wait "$postfix_pid" || failed=1
  wait "$postfix_new_pid" || failed=1

  record_pid "$run/dovecot-legacy/master.pid" "$dir/dovecot-legacy/server.pid" || failed=1
  record_pid "$run/dovecot-new/master.pid" "$dir/dovecot-new/server.pid" || failed=1
  record_pid "$dir/unbound/unbound.pid" "$dir/unbound/server.pid" || failed=1
  record_pid "$dir/postfix/queue/pid/master.pid" "$dir/postfix/server.pid" || failed=1
  record_pid "$dir/postfix-new/queue/pid/master.pid" "$dir/postfix-new/server.pid" || failed=1

  stage "postfix launched, pid files recorded"
  if [ "$failed" -eq 0 ]; then
    wait_tcp "$LEGACY_IMAP_PORT" "Dovecot legacy IMAP" &&
      wait_tcp "$LEGACY_LMTP_PORT" "Dovecot legacy LMTP" &&
      wait_tcp "$NEW_IMAP_PORT" "Dovecot new IMAP" &&
      wait_tcp "$LEGACY_SMTP_PORT" "Postfix SMTP" &&
      wait_tcp "$NEW_LMTP_PORT" "Dovecot new LMTP" &&
      wait_tcp "$NEW_SMTP_PORT" "Postfix (new MTA) SMTP" &&
      stage "IMAP, LMTP and SMTP answer" &&
      wait_nsd "$dir/nsd1" "$NSD1_PORT" &&
      wait_nsd "$dir/nsd2" "$NSD2_PORT" &&
      wait_unbound "$dir/unbound" "$UNBOUND_PORT" || failed=1
  fi
  if [ "$failed" -ne 0 ]; then
    show_logs "$dir"
    cmd_stop "$dir"
    die "start failed (logs above, files kept in $dir)"
  fi

  local tmp="$dir/servers.env.tmp"
  cat >"$tmp" <<EOF
DOMAIN=$DOMAIN
HOST=127.0.0.1
MASTER_USER=$MASTER_USER
MASTER_PASSWORD=$MASTER_PASSWORD
USERS=$(IFS=,; echo "${USERS[*]}")
LEGACY_IMAP_PORT=$LEGACY_IMAP_PORT
LEGACY_LMTP_PORT=$LEGACY_LMTP_PORT
LEGACY_SEPARATOR=.
LEGACY_PREFIX=INBOX.
LEGACY_PASSWD_FILE=$legacy_data/users
LEGACY_MAIL_ROOT=$legacy_data/mail
LEGACY_LOG=$dir/dovecot-legacy/dovecot.log
NEW_IMAP_PORT=$NEW_IMAP_PORT
NEW_SEPARATOR=/
NEW_PREFIX=
NEW_PASSWD_FILE=$new_data/users
NEW_MAIL_ROOT=$new_data/mail
NEW_LOG=$dir/dovecot-new/dovecot.log
LEGACY_SMTP_PORT=$LEGACY_SMTP_PORT
LEGACY_SMTP_LOG=$dir/postfix/maillog
NSD1_PORT=$NSD1_PORT
NSD1_ZONE_DIR=$dir/nsd1/zones
NSD2_PORT=$NSD2_PORT
NSD2_ZONE_DIR=$dir/nsd2/zones
UNBOUND_PORT=$UNBOUND_PORT
UNBOUND_CONTROL_PORT=$UNBOUND_CONTROL_PORT
NEW_LMTP_PORT=$NEW_LMTP_PORT
NEW_SMTP_PORT=$NEW_SMTP_PORT
NEW_SMTP_LOG=$dir/postfix-new/maillog
LEGACY_SPECIAL_USE=$LEGACY_SPECIAL_USE
NEW_SPECIAL_USE=$NEW_SPECIAL_USE
STARTED_IN_MS=$((($(date +%s%N) - t0) / 1000000))
EOF
  mv "$tmp" "$dir/servers.env"
  log "all servers answer ($((SECONDS - started)) s): $dir/servers.env"
}

# Waits until Unbound answers on its control port and on DNS port $2 (localhost. is answered by
# Unbound itself, so the check leaves nothing under test. in its cache).
wait_unbound() {
  local dir=$1 port=$2 deadline=$((SECONDS + READY_TIMEOUT_S))
  until unbound-control -c "$dir/unbound.conf" status >/dev/null 2>&1 &&
    dig +time=1 +tries=1 -p "$port" @127.0.0.1 localhost. A 2>/dev/null | grep -q 'status: NOERROR'; do
    if ((SECONDS >= deadline)); then
      log "Unbound does not answer on 127.0.0.1:$port and its control port"
      return 1
    fi
    sleep 0.05
  done
}

# Names a PID file's process may have: never signal a recycled PID that is something else.
expected_comm() {
  case "$1" in
    dovecot-*) echo dovecot ;;
    postfix | postfix-new) echo master ;;
    nsd*) echo nsd ;; # NSD's pid file names its xfrd process, "nsd: xfrd"
    unbound) echo unbound ;;
    postgres) echo postgres ;;
  esac
}

# stop_pids PIDFILE...: TERM each live process, wait up to 10 s, KILL what is left.
stop_pids() {
  local f pid comm name pids=() i
  for f in "$@"; do
    [ -s "$f" ] || continue
    pid=$(tr -dc '0-9' <"$f")
    name=$(basename "$(dirname "$f")")
    if pid_alive "$pid"; then
      comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
      if [ "${comm%%:*}" = "$(expected_comm "$name")" ]; then
        # PostgreSQL: SIGINT is its "fast" shutdown (SIGTERM would wait for every client to leave).
        if [ "$name" = postgres ]; then kill -INT "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
        pids+=("$pid")
      else
        log "not stopping PID $pid from $f: it is '$comm' now"
      fi
    fi
    rm -f "$f"
  done
  for ((i = 0; i < 200; i++)); do
    local alive=()
    for pid in "${pids[@]}"; do pid_alive "$pid" && alive+=("$pid"); done
    pids=("${alive[@]}")
    [ ${#pids[@]} -eq 0 ] && return 0
    sleep 0.05
  done
  log "killing ${pids[*]} (did not stop within 10 s of SIGTERM)"
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

cmd_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  stop_pids "$dir"/*/server.pid
  rm -f "$dir/servers.env"
  if [ -s "$dir/runtime-dir" ]; then
    local run
    run=$(cat "$dir/runtime-dir")
    case "$run" in /tmp/mxcit.*) rm -rf "$run" ;; esac
    rm -f "$dir/runtime-dir"
  fi
  if [ -s "$dir/pg-data-dir" ]; then
    local pgdata
    pgdata=$(cat "$dir/pg-data-dir")
    case "$pgdata" in /tmp/mxcit-pg.*) rm -rf "$pgdata" ;; esac
    rm -f "$dir/pg-data-dir"
  fi
}

env_value() { sed -n "s/^$2=//p" "$1/servers.env"; }

# Stops the NSD in $1 and returns as soon as its port $2 is free again: NSD closes its
# sockets within milliseconds but takes a second or two to exit, which nobody needs to wait for.
release_nsd() {
  local dir=$1 port=$2 pid hex i
  pid=$(tr -dc '0-9' <"$dir/server.pid" 2>/dev/null || true)
  rm -f "$dir/server.pid"
  pid_alive "$pid" || return 0
  [ "$(cut -d: -f1 "/proc/$pid/comm" 2>/dev/null)" = nsd ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  printf -v hex '%04X' "$port"
  for ((i = 0; i < 200; i++)); do
    case " $(used_ports) " in *" $hex "*) sleep 0.02 ;; *) return 0 ;; esac
  done
  log "NSD $pid still holds port $port 4 s after SIGTERM: killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

cmd_reload() {
  local dir=$1 n port
  [ -s "$dir/servers.env" ] || die "no servers running in $dir"
  for n in 1 2; do
    port=$(env_value "$dir" "NSD${n}_PORT")
    write_nsd_conf "$dir/nsd$n" "$port"
  done
  # A restart re-reads config and every zone file; it takes milliseconds and, unlike
  # nsd-control reload, is done when it is done (no asynchronous zone load to wait for).
  for n in 1 2; do
    release_nsd "$dir/nsd$n" "$(env_value "$dir" "NSD${n}_PORT")"
  done
  for n in 1 2; do
    start_nsd "$dir/nsd$n" || die "NSD $n did not restart: $(tail -n 5 "$dir/nsd$n/nsd.log" 2>/dev/null)"
  done
  for n in 1 2; do
    port=$(env_value "$dir" "NSD${n}_PORT")
    wait_nsd "$dir/nsd$n" "$port" || die "NSD $n does not serve its zones after reload"
  done
  # Unbound may have seen NSD #1 gone for those milliseconds and marked it down; forget that
  # (its record cache stays: caching is what the resolver is there to show).
  unbound-control -c "$dir/unbound/unbound.conf" flush_infra all >/dev/null 2>&1 || true
}

cmd_flush() {
  local dir=$1
  [ -s "$dir/servers.env" ] || die "no servers running in $dir"
  local conf="$dir/unbound/unbound.conf"
  unbound-control -c "$conf" flush_zone test. >/dev/null
  unbound-control -c "$conf" flush_infra all >/dev/null
  unbound-control -c "$conf" flush_requestlist >/dev/null
}

# The oauth Dovecot in DIR (its own directory), asking URL about tokens. Port from OAUTH_IMAP_PORT or picked.
cmd_oauth_start() {
  local dir=$1 url=$2
  case "$url" in http://127.0.0.1:* | http://localhost:* | "http://[::1]:"*) ;;
    *) die "the introspection URL must be http:// on loopback: $url" ;;
  esac
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -s "$dir/servers.env" ]; then
    cmd_stop "$dir"
  fi
  local t0 port=${OAUTH_IMAP_PORT:-} run data_root
  t0=$(date +%s%N)
  [ -n "$port" ] || port=$(pick_port "" "$(used_ports)")
  run=$(mktemp -d /tmp/mxcit.XXXXXX)
  chmod 755 "$run"
  echo "$run" >"$dir/runtime-dir"
  data_root="$dir"
  if ! reachable_by "$VMAIL_UID" "$VMAIL_GID" "$dir" || ! reachable_by "$(id -u dovecot)" "$(id -g dovecot)" "$dir"; then
    data_root="$run/data"
  fi
  rm -rf "$dir/dovecot-oauth" "$dir/tls"
  write_cert "$dir/tls"
  mkdir -p "$dir/dovecot-oauth" "$data_root/dovecot-oauth"
  write_dovecot_oauth "$dir/dovecot-oauth" "$run/dovecot-oauth" "$data_root/dovecot-oauth" "$port" "$url"
  local failed=0
  dovecot -c "$dir/dovecot-oauth/dovecot.conf" 2>>"$dir/dovecot-oauth/dovecot.log" || failed=1
  [ "$failed" -ne 0 ] || record_pid "$run/dovecot-oauth/master.pid" "$dir/dovecot-oauth/server.pid" || failed=1
  [ "$failed" -ne 0 ] || wait_tcp "$port" "Dovecot oauth IMAP" || failed=1
  if [ "$failed" -ne 0 ]; then
    tail -n 30 "$dir/dovecot-oauth/dovecot.log" >&2 2>/dev/null || true
    cmd_stop "$dir"
    die "oauth Dovecot did not start (files kept in $dir)"
  fi
  cat >"$dir/servers.env.tmp" <<EOF
HOST=127.0.0.1
DOMAIN=$DOMAIN
OAUTH_IMAP_PORT=$port
OAUTH_USERS=$(IFS=,; echo "${OAUTH_USERS[*]}")
OAUTH_INTROSPECTION_URL=$url
OAUTH_MAIL_ROOT=$data_root/dovecot-oauth/mail
OAUTH_LOG=$dir/dovecot-oauth/dovecot.log
STARTED_IN_MS=$((($(date +%s%N) - t0) / 1000000))
EOF
  mv "$dir/servers.env.tmp" "$dir/servers.env"
}

# The directory of PostgreSQL's server binaries (initdb, postgres): the newest under /usr/lib/postgresql.
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && echo "$d"
}

# Runs a command as the 'postgres' system user when we are root (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi
}

cmd_pg_start() {
  local dir=$1 t0 bin port run password i ok=0
  t0=$(date +%s%N)
  bin=$(pg_bin) || { echo "servers.sh: PostgreSQL is missing (/usr/lib/postgresql/*/bin/initdb); run: $0 install" >&2; exit 3; }
  mkdir -p "$dir/postgres"
  port=${PG_PORT:-$(pick_port "" "$(used_ports)")}
  # The cluster lives in /tmp (its user must reach every parent directory): a fresh directory per start,
  # deleted by `stop`.
  run=$(mktemp -d /tmp/mxcit-pg.XXXXXX)
  echo "$run" >"$dir/pg-data-dir"
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || die "no 'postgres' system user (the postgresql package creates it): $0 install"
    chown postgres:postgres "$run"
  fi
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" >"$run/pwfile"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$run/pwfile"
  if ! as_pg "$bin/initdb" -D "$run/data" -U mxcutover --pwfile="$run/pwfile" -A scram-sha-256 -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$dir/postgres/initdb.log" 2>&1; then
    cat "$dir/postgres/initdb.log" >&2
    die "initdb failed (log $dir/postgres/initdb.log)"
  fi
  rm -f "$run/pwfile"
  cat >>"$run/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run'
max_connections = 300
shared_buffers = 64MB
log_min_messages = warning
EOF
  as_pg "$bin/postgres" -D "$run/data" >>"$dir/postgres/postgres.log" 2>&1 &
  local starter=$!
  for ((i = 0; i < 300; i++)); do
    if [ -S "$run/.s.PGSQL.$port" ] && tcp_answers "$port"; then ok=1; break; fi
    pid_alive "$starter" || break
    sleep 0.05
  done
  # The postmaster's own PID (first line of postmaster.pid), not the subshell that started it.
  [ "$ok" -ne 1 ] || head -n 1 "$run/data/postmaster.pid" >"$dir/postgres/server.pid" || ok=0
  if [ "$ok" -ne 1 ]; then
    tail -n 30 "$dir/postgres/postgres.log" >&2 || true
    cmd_stop "$dir"
    die "PostgreSQL did not start (log $dir/postgres/postgres.log)"
  fi
  # The port answers while the server still refuses sessions ("the database system is starting up": the CI run of
  # e38621f failed on it): wait until pg_isready says it accepts them.
  for ((i = 0; i < 300; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.05
  done
  if ! PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U mxcutover -d postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE mxcutover OWNER mxcutover" >>"$dir/postgres/postgres.log" 2>&1; then
    tail -n 30 "$dir/postgres/postgres.log" >&2 || true
    cmd_stop "$dir"
    die "could not create the database mxcutover (log $dir/postgres/postgres.log)"
  fi
  cat >"$dir/servers.env.tmp" <<EOF
HOST=127.0.0.1
PG_PORT=$port
PG_USER=mxcutover
PG_PASSWORD=$password
PG_DATABASE=mxcutover
PG_URL=jdbc:postgresql://127.0.0.1:$port/mxcutover
PG_BIN=$bin
PG_LOG=$dir/postgres/postgres.log
STARTED_IN_MS=$((($(date +%s%N) - t0) / 1000000))
EOF
  mv "$dir/servers.env.tmp" "$dir/servers.env"
}

as_root() {
  if [ "$(id -u)" -ne 0 ]; then
    local keep
    keep=$(IFS=,; echo "${PORT_VARS[*]},MXCIT_VMAIL_UID,MXCIT_VMAIL_GID,MXCIT_READY_TIMEOUT_S,MXCIT_LEGACY_SPECIAL_USE,MXCIT_NEW_SPECIAL_USE,OAUTH_IMAP_PORT,MXCIT_OAUTH_INTROSPECTION_URL")
    exec sudo --preserve-env="$keep" "$0" "$@"
  fi
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    install) cmd_install ;;
    start | stop | reload | flush)
      [ $# -eq 2 ] || die "usage: $0 $cmd DIR"
      as_root "$@"
      "cmd_$cmd" "$2"
      ;;
    oauth-start)
      if [ $# -ne 3 ] && { [ $# -ne 2 ] || [ -z "${MXCIT_OAUTH_INTROSPECTION_URL:-}" ]; }; then
        die "usage: $0 oauth-start DIR INTROSPECTION_URL (or MXCIT_OAUTH_INTROSPECTION_URL in the environment)"
      fi
      as_root "$@"
      cmd_oauth_start "$2" "${3:-$MXCIT_OAUTH_INTROSPECTION_URL}"
      ;;
    pg-start)
      [ $# -eq 2 ] || die "usage: $0 pg-start DIR"
      cmd_pg_start "$2"
      ;;
    env)
      [ $# -eq 2 ] || die "usage: $0 env DIR"
      [ -s "$2/servers.env" ] || die "no servers.env in $2 (not started?)"
      cat "$2/servers.env"
      ;;
    *) die "usage: $0 install | start DIR | stop DIR | env DIR | reload DIR | flush DIR | oauth-start DIR URL | pg-start DIR" ;;
  esac
}

main "$@"
