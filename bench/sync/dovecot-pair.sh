#!/usr/bin/env bash
# Start/stop a private pair of Dovecot instances on 127.0.0.1 for the sync benchmark:
#   legacy: Maildir++, separator '.', personal namespace prefix "INBOX."
#   new:    Maildir with LAYOUT=fs, separator '/', no prefix
# Both have a master user (master/master-pw) and users from their passwd files.
# Usage: dovecot-pair.sh start DIR | stop DIR | adduser DIR LOGIN PASSWORD
# Writes DIR/pair.env (LEGACY_PORT, NEW_PORT, ...). Never touches the system Dovecot.
# NEW_FS=ext4: the new server's mail directory on a journaled ext4 image of NEW_FS_MB (default 4096) MB, loop
# mounted (root only), as a production server's would be; `stop` unmounts and deletes it. Without a journal
# (this bench box's root file system), ext4's inode allocator skips every inode freed in the last 60-300 s and
# reads its inode block to find out. A bench that deletes the last round's messages and creates them again paid
# for that in about half of the new side's CPU, whichever tool wrote them (2.8 -> 1.2 s behind mxcutover's copy,
# 2.7 -> 1.45 s for doveadm's: bench/sync/RESULTS.md, 2026-12-07).
set -euo pipefail
cmd=${1:?start|stop|adduser}; dir=$(realpath -m "${2:?dir}")

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }

conf() { # name port sep prefix layout
  local name=$1 port=$2 sep=$3 prefix=$4 layout=$5 d=$dir/$1
  mkdir -p "$d/run" "$d/mail" "$d/log"
  chown -R 65534:65534 "$d/mail"
  touch "$d/passwd" "$d/master-passwd"
  grep -q '^master:' "$d/master-passwd" || echo "master:{PLAIN}master-pw" > "$d/master-passwd"
  cat > "$d/dovecot.conf" <<CONF
base_dir = $d/run
instance_name = mxc-bench-$name
state_dir = $d/run/state
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
log_path = $d/log/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 65534
auth_master_user_separator = *
auth_mechanisms = plain login
mail_location = maildir:~/Maildir$layout
mail_max_userip_connections = 200
mail_fsync = optimized
imap_capability = +MULTIAPPEND
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
  process_min_avail = 2
  service_count = 0
}
service imap {
  process_limit = 256
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = $sep
  prefix = $prefix
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  args = $d/master-passwd
  master = yes
  result_success = continue
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/passwd
  default_fields = uid=65534 gid=65534 home=$d/mail/%u
}
protocol imap {
  mail_max_userip_connections = 200
}
CONF
  mkdir -p "$d/run/state"
}

case $cmd in
start)
  mkdir -p "$dir"
  if [ -n "${NEW_FS:-}" ]; then
    [ "$NEW_FS" = ext4 ] || { echo "dovecot-pair: NEW_FS=$NEW_FS; only ext4 is known" >&2; exit 1; }
    [ "$(id -u)" = 0 ] || { echo "dovecot-pair: NEW_FS=ext4 needs root (a loop mount)" >&2; exit 1; }
    truncate -s "${NEW_FS_MB:-4096}M" "$dir/new-fs.img"
    mkfs.ext4 -q -F "$dir/new-fs.img" || { echo "dovecot-pair: mkfs.ext4 $dir/new-fs.img failed" >&2; exit 1; }
    mkdir -p "$dir/new/mail"
    mount -o loop "$dir/new-fs.img" "$dir/new/mail" || { echo "dovecot-pair: cannot loop-mount $dir/new-fs.img" >&2; exit 1; }
  fi
  lp=$(free_port); np=$(free_port)
  conf legacy "$lp" . INBOX. ""
  conf new "$np" / "" ":LAYOUT=fs"
  [ -x /usr/sbin/dovecot ] || { echo "dovecot-pair: /usr/sbin/dovecot is missing (it/servers.sh install)" >&2; exit 1; }
  for n in legacy new; do /usr/sbin/dovecot -c "$dir/$n/dovecot.conf"; done
  cat > "$dir/pair.env" <<ENV
LEGACY_PORT=$lp
NEW_PORT=$np
LEGACY_DIR=$dir/legacy
NEW_DIR=$dir/new
ENV
  for n in legacy:$lp new:$np; do
    up=0
    for i in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/${n#*:}) 2>/dev/null && { up=1; break; }; sleep 0.1; done
    [ "$up" = 1 ] || { echo "dovecot-pair: ${n%%:*} Dovecot does not listen on port ${n#*:}; its log:" >&2
      tail -20 "$dir/${n%%:*}/log/dovecot.log" >&2 2>/dev/null || true; exit 1; }
  done
  cat "$dir/pair.env" ;;
stop)
  pids=()
  for n in legacy new; do
    pid=$(cat "$dir/$n/run/master.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  if mountpoint -q "$dir/new/mail" 2>/dev/null; then
    for pid in "${pids[@]}"; do for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
    umount "$dir/new/mail" || umount -l "$dir/new/mail"
    rm -f "$dir/new-fs.img"
  fi ;;
adduser)
  login=${3:?login}; pw=${4:?password}
  for n in legacy new; do
    grep -q "^$login:" "$dir/$n/passwd" || echo "$login:{PLAIN}$pw::::::" >> "$dir/$n/passwd"
  done ;;
*) echo "usage: $0 start|stop|adduser DIR ..." >&2; exit 2 ;;
esac
