# shellcheck shell=bash
# Shared constants and small helpers for lab.sh. Sourced, never run.
#
# Address scheme (everything inside 198.18.0.0/16, one flat L2 segment):
#   198.18.0.1     bridge cclbr0 in the root namespace = every node's gateway and first DNS
#   198.18.0.2     second DNS in resolv.conf (nothing answers there; only compared, never queried)
#   198.18.0.124   gateway of the seed-like static route 198.19.45.0/24 (on-link, nothing answers)
#   198.18.0.53    the only nameserver after `fault dns`
#   198.18.0.254   the wrong default gateway after `fault gateway`
#   node i (1-based) = 198.18.(1 + (i-1)/200).(11 + (i-1)%200)
#     node 1 = 198.18.1.11, node 200 = 198.18.1.210, node 201 = 198.18.2.11
# No address outside 198.18.0.0/15 is ever configured or routed, and ip_forward is left alone
# (off), so nothing a node sends can leave the bridge.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR="$LAB_DIR/.state"
NODES_DIR="$STATE_DIR/nodes"

BRIDGE=cclbr0
BRIDGE_ADDR=198.18.0.1
GUARD_ROUTE=198.18.0.0/15
PREFIX=16
DNS_HEALTHY=(198.18.0.1 198.18.0.2)
DNS_SEARCH=lab.test
STATIC_ROUTE_DST=198.19.45.0/24
STATIC_ROUTE_GW=198.18.0.124
FAULT_DNS=198.18.0.53
FAULT_GATEWAY=198.18.0.254
FLANNEL_NETWORK=198.19.128.0/17
LAB_USER=core
READY_TIMEOUT=${LAB_READY_TIMEOUT:-60}   # seconds to wait for every sshd to accept TCP

log() { printf 'lab: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

node_name() { printf 'lab-node-%d' "$1"; }
node_ns()   { printf 'ccl-%d' "$1"; }
node_veth() { printf 'cclv-%d' "$1"; }
node_dir()  { printf '%s/%d' "$NODES_DIR" "$1"; }
node_addr() { printf '198.18.%d.%d' $((1 + ($1 - 1) / 200)) $((11 + ($1 - 1) % 200)); }

# Indexes of the nodes the lab knows about, from .state (sorted numerically).
known_nodes() {
  [[ -d $NODES_DIR ]] || return 0
  find "$NODES_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | grep -E '^[0-9]+$' | sort -n
}

# Indexes of ccl-* namespaces that exist, whether or not .state remembers them (crash recovery).
existing_namespaces() {
  ip netns list | awk '{print $1}' | sed -n 's/^ccl-\([0-9][0-9]*\)$/\1/p' | sort -n
}

require_index() {
  [[ ${1:-} =~ ^[1-9][0-9]*$ ]] || die "node index must be a positive integer, got '${1:-}'"
  [[ -d $(node_dir "$1") ]] || die "node $1 is not in the lab; run 'lab.sh up N' with N >= $1"
}

# Write a file in place (truncate + write, same inode): the node's /etc/hostname and
# /etc/resolv.conf are bind mounts of these files, and a new inode would not be seen.
write_in_place() {
  local file=$1 content=$2
  printf '%s\n' "$content" >"$file"
}

healthy_resolv_conf() {
  local ns
  for ns in "${DNS_HEALTHY[@]}"; do printf 'nameserver %s\n' "$ns"; done
  printf 'search %s' "$DNS_SEARCH"
}

# Is PID alive and running the given program (by /proc comm) with our state dir on its command line?
# Guards every kill against a pid file that outlived its process and got its pid reused.
pid_is_ours() {
  local pid=$1 comm=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm" ]] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$STATE_DIR/"
}

# Every descendant of the given pids (one ps snapshot): an sshd listener's per-connection
# monitors, their [net] children and the users' shells. Killing only the listener would orphan them.
descendants() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do {
        added = 0
        for (p in parent) if (!(p in want) && (parent[p] in want)) { want[p] = 1; out[p] = 1; added = 1 }
      } while (added)
      for (p in out) print p
    }'
}

# Ask processes we started to stop: TERM to each pid still ours, and to all its descendants.
signal_pids() {
  local comm=$1 pid ours=()
  shift
  for pid in "$@"; do
    if pid_is_ours "$pid" "$comm"; then ours+=("$pid"); fi
  done
  ((${#ours[@]} > 0)) || return 0
  # shellcheck disable=SC2046 # word splitting of the pid list is intended
  kill -TERM "${ours[@]}" $(descendants "${ours[@]}") 2>/dev/null || true
}

# Wait up to 5 s for the given processes to be gone, then KILL those still there.
await_pids() {
  local comm=$1 pid i alive
  shift
  for ((i = 0; i < 50; i++)); do
    alive=0
    for pid in "$@"; do pid_is_ours "$pid" "$comm" && alive=1 && break; done
    ((alive)) || return 0
    sleep 0.1
  done
  for pid in "$@"; do
    if pid_is_ours "$pid" "$comm"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

stop_pid() {
  signal_pids "$2" "$1"
  await_pids "$2" "$1"
}

# Stop the process named in PIDFILE (if it is still ours) and remove the pid file.
stop_pidfile() {
  local pidfile=$1 comm=$2
  [[ -f $pidfile ]] || return 0
  stop_pid "$(cat "$pidfile" 2>/dev/null || true)" "$comm"
  rm -f "$pidfile"
}

# Stop every daemon listed in the given pid files at once (fast `down` of 200 nodes).
stop_pidfiles() {
  local comm=$1 f pid pids=()
  shift
  for f in "$@"; do
    if [[ -f $f ]]; then pids+=("$(<"$f")"); fi
  done
  if ((${#pids[@]} == 0)); then return 0; fi
  signal_pids "$comm" "${pids[@]}"
  await_pids "$comm" "${pids[@]}"
  rm -f "$@"
}

# Close every fd above 2 in this (sub)shell, before it execs a daemon that outlives lab.sh: the
# daemon must hold none of the lab's locks, nor the one a caller took (`flock LOCK lab.sh up`
# passes its lock fd down, and a later `flock LOCK lab.sh down` would wait for it forever).
close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# Serialize commands that change the lab: tests of several people may drive the same lab.
# The lock lives outside .state because `down` deletes .state.
LOCK_FILE=/run/lock/clusterctl-lab.lock
take_lock() {
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock -w "${LAB_LOCK_TIMEOUT:-600}" 9 || die "another lab.sh holds $LOCK_FILE for over ${LAB_LOCK_TIMEOUT:-600}s"
}
