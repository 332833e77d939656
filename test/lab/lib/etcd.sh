# shellcheck shell=bash
# Real etcd (Debian's etcd-server 3.4) on the lab's etcd nodes, opt-in at `up`:
#   LAB_ETCD=single     one member on node 1 as the setup guide configures it: named app-etcd-1 (not
#                       the node's name), peering on 127.0.0.1:2380, clients on 127.0.0.1:2379 and,
#                       so that flannel on the workers can reach it, on node 1's address too
#                       (advertised as http://localhost:2379, as in the guide)
#   LAB_ETCD=cluster3   three members app-etcd-1..3 on nodes 1-3, client and peer URLs on the node
#                       addresses (clients also on 127.0.0.1:2379 of each node)
#   LAB_ETCD_V2=1|0     serve the v2 API (--enable-v2; default 1) or v3 only
# `up` installs etcd-server and etcd-client when missing (lib/prereqs.sh). Without LAB_ETCD, `up` stops any lab etcd and the inventory is the default one. Each member runs
# as root in its node's network, mount and UTS namespaces (entered through the node's sshd), with
# data, pid file and log under .state/nodes/I/. Fault `etcd-stop I` stops a member; repair
# restarts it with the same data. Sourced.

ETCD_CONF="$STATE_DIR/etcd.conf"   # "MODE V2" of the running lab etcd, read by repair/inventory

etcd_mode() { [[ -f $ETCD_CONF ]] && cut -d' ' -f1 "$ETCD_CONF" || true; }
etcd_v2() { [[ -f $ETCD_CONF ]] && cut -d' ' -f2 "$ETCD_CONF" || true; }

# Member names as the setup guide gives them: not the node's name, so clusterctl must find a
# node's member by where it peers.
etcd_member_name() { printf 'app-etcd-%d' "$1"; }

# Node indexes that run a member in MODE.
etcd_members_of() {
  case $1 in
    single) echo 1 ;;
    cluster3) echo 1 2 3 ;;
  esac
}

is_etcd_node() {
  local i
  for i in $(etcd_members_of "$(etcd_mode)"); do [[ $i == "$1" ]] && return 0; done
  return 1
}

# The client URLs etcdctl on a node should use (the inventory's cluster.etcd.endpoints): what the
# nodes without a member of their own, flannel on the workers above all, reach etcd at.
etcd_endpoints() {
  local i out=()
  case $(etcd_mode) in
    cluster3) for i in 1 2 3; do out+=("$(etcd_scheme)://$(node_addr "$i"):2379"); done ;;
    single) out=("$(etcd_scheme)://$(node_addr 1):2379") ;;
    *) out=(http://127.0.0.1:2379) ;;   # no lab etcd: the inventory's usual default
  esac
  (IFS=,; echo "${out[*]}" | sed 's/,/, /g')
}

etcd_pid() {
  local pid
  pid=$(cat "$(node_dir "$1")/etcd.pid" 2>/dev/null || true)
  if pid_is_ours "$pid" etcd; then printf '%s' "$pid"; fi
}

stop_etcd() { stop_pidfile "$(node_dir "$1")/etcd.pid" etcd; }

start_etcd() {
  local i=$1 dir sshd addr cluster='' j args scheme clients advertise
  dir=$(node_dir "$i")
  scheme=$(etcd_scheme)
  sshd=$(sshd_pid "$i")
  [[ -n $sshd ]] || die "node $i: sshd is not running; etcd starts inside its namespaces"
  addr=$(node_addr "$i")
  args=(--name "$(etcd_member_name "$i")" --data-dir "$dir/etcd-data" --initial-cluster-token clusterctl-lab)
  if [[ $(etcd_mode) == single ]]; then
    # The guide's member; fault etcd-loopback-only drops the node address (the guide as written).
    # The guide advertises localhost; the TLS lab's certificates name 127.0.0.1, not localhost.
    clients=$scheme://127.0.0.1:2379
    if [[ ! -f $dir/etcd-loopback-only ]]; then clients+=",$scheme://$addr:2379"; fi
    advertise=http://localhost:2379
    if [[ $scheme == https ]]; then advertise=https://127.0.0.1:2379; fi
    args+=(--listen-client-urls "$clients" --advertise-client-urls "$advertise"
      --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380
      --initial-cluster "$(etcd_member_name "$i")=http://127.0.0.1:2380")
  else
    for j in 1 2 3; do cluster+="${cluster:+,}$(etcd_member_name "$j")=http://$(node_addr "$j"):2380"; done
    args+=(--listen-client-urls "$scheme://$addr:2379,$scheme://127.0.0.1:2379" --advertise-client-urls "$scheme://$addr:2379"
      --listen-peer-urls "http://$addr:2380" --initial-advertise-peer-urls "http://$addr:2380" --initial-cluster "$cluster")
  fi
  if [[ $(etcd_v2) == 1 ]]; then args+=(--enable-v2); fi
  mapfile -t -O "${#args[@]}" args < <(etcd_tls_server_args "$i")
  rm -f "$dir/etcd.pid"
  # The subshell and nsenter exec etcd, so $! is etcd itself; it must hold no inherited lock.
  (close_inherited_fds; exec setsid nsenter -t "$sshd" -n -m -u /usr/bin/etcd "${args[@]}") </dev/null >>"$dir/etcd.log" 2>&1 &
  echo $! >"$dir/etcd.pid"
}

# Is node i's member answering and healthy? Asked from inside the node, as a client there would.
etcd_healthy() {
  local sshd
  sshd=$(sshd_pid "$1")
  [[ -n $(etcd_pid "$1") && -n $sshd ]] || return 1
  # shellcheck disable=SC2046 # one environment assignment per line
  env ETCDCTL_API=3 $(etcd_tls_env) nsenter -t "$sshd" -n etcdctl --endpoints="$(etcd_scheme)://127.0.0.1:2379" --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1
}

etcd_wait() {
  local deadline=$((SECONDS + READY_TIMEOUT)) i pending=("$@") still
  while ((${#pending[@]} > 0)); do
    still=()
    for i in "${pending[@]}"; do etcd_healthy "$i" || still+=("$i"); done
    pending=("${still[@]}")
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      for i in "${pending[@]}"; do log "node $i: etcd not healthy after ${READY_TIMEOUT}s; see $(node_dir "$i")/etcd.log"; done
      return 1
    fi
    sleep 0.3
  done
}

stop_all_etcd() {
  [[ -d $NODES_DIR ]] || return 0
  stop_pidfiles etcd "$NODES_DIR"/*/etcd.pid
}

# Does this `up` ask for a lab etcd (LAB_ETCD=single|cluster3)? Decides the packages too.
etcd_requested() { [[ -n ${LAB_ETCD:-} && ${LAB_ETCD:-} != none ]]; }

# `up`, before anything is installed or built: LAB_ETCD / LAB_ETCD_V2 make sense for N nodes.
etcd_check_request() {
  local n=$1
  case ${LAB_ETCD:-} in
    '' | none | single) ;;
    cluster3) ((n >= 3)) || die "LAB_ETCD=cluster3 needs at least 3 nodes (up 3)" ;;
    *) die "LAB_ETCD must be single or cluster3, got '${LAB_ETCD:-}'" ;;
  esac
  [[ ${LAB_ETCD_V2:-1} == 0 || ${LAB_ETCD_V2:-1} == 1 ]] || die "LAB_ETCD_V2 must be 0 or 1, got '${LAB_ETCD_V2:-}'"
}

# `up`, before the inventory is written: record LAB_ETCD / LAB_ETCD_V2. A different mode wipes the
# old data (another cluster); a different v2 setting restarts the members. No LAB_ETCD: no etcd.
etcd_configure() {
  local mode=${LAB_ETCD:-} v2=${LAB_ETCD_V2:-1}
  if ! etcd_requested; then
    stop_all_etcd
    rm -rf "$NODES_DIR"/*/etcd-data "$ETCD_CONF"
    etcd_tls_configure   # LAB_ETCD_TLS=1 without LAB_ETCD is refused there; TLS leftovers removed
    return 0
  fi
  if [[ $(etcd_mode) != "$mode" ]]; then
    stop_all_etcd
    rm -rf "$NODES_DIR"/*/etcd-data
  elif [[ $(etcd_v2) != "$v2" ]]; then
    stop_all_etcd
  fi
  echo "$mode $v2" >"$ETCD_CONF"
  etcd_tls_configure   # LAB_ETCD_TLS (lib/etcd-tls.sh)
}

# `up`, once every sshd runs: start the members that are not running and wait until healthy.
etcd_start() {
  local i started=()
  for i in $(etcd_members_of "$(etcd_mode)"); do
    if [[ -z $(etcd_pid "$i") ]]; then start_etcd "$i"; fi
    started+=("$i")
  done
  ((${#started[@]} == 0)) || etcd_wait "${started[@]}" || die "etcd did not come up; see the etcd.log files ('lab.sh down' cleans up)"
}

# `repair I`: a member that should run is (re)started with its data, on all its addresses; the
# node reaches node 1 again.
repair_etcd() {
  local dir
  dir=$(node_dir "$1")
  etcdctl_restore "$1"
  etcd_tls_repair "$1"
  ip -n "$(node_ns "$1")" route del unreachable "$(node_addr 1)/32" 2>/dev/null || true
  is_etcd_node "$1" || return 0
  if [[ -f $dir/etcd-loopback-only ]]; then rm -f "$dir/etcd-loopback-only"; stop_etcd "$1"; fi
  if [[ -z $(etcd_pid "$1") ]]; then start_etcd "$1"; fi
  etcd_wait "$1" || die "node $1: etcd did not come back"
}

# Fault `etcd-loopback-only 1` (LAB_ETCD=single): the member restarts listening on 127.0.0.1 only,
# exactly as the setup guide writes it, so flannel on the other nodes finds nothing at node 1.
etcd_loopback_only() {
  [[ $(etcd_mode) == single && $1 == 1 ]] || die "fault etcd-loopback-only is for node 1 of LAB_ETCD=single"
  touch "$(node_dir 1)/etcd-loopback-only"
  stop_etcd 1
  start_etcd 1
  etcd_wait 1 || die "node 1: etcd did not come back on loopback"
}

# Fault `etcd-unreachable I`: node I has no route to node 1 (EHOSTUNREACH), everything else stays.
etcd_unreachable() {
  (($1 != 1)) || die "fault etcd-unreachable is for a node other than node 1"
  ip -n "$(node_ns "$1")" route replace unreachable "$(node_addr 1)/32"
}

# Inventory lines for node i: in cluster3 each etcd node's etcdctl talks to its own member (as on
# Container Linux, where etcdctl uses the local one); the cluster-wide list is for the others. The
# single member's node talks to it on loopback and pins its name, as the guide names it.
etcd_node_yaml() {
  if [[ $(etcd_mode) == cluster3 ]] && is_etcd_node "$1"; then
    printf '    etcd: { endpoints: [%s://%s:2379] }\n' "$(etcd_scheme)" "$(node_addr "$1")"
  elif [[ $(etcd_mode) == single ]] && is_etcd_node "$1"; then
    printf '    etcd: { name: %s, endpoints: [%s://127.0.0.1:2379] }\n' "$(etcd_member_name "$1")" "$(etcd_scheme)"
  fi
}

# Node i's /usr/bin/etcdctl becomes the wrapper WRAPPER (a script in its node dir that ends by
# exec'ing etcdctl.real, a copy of the real one), inside the node's mount namespace only.
# etcdctl_restore undoes it.
etcdctl_wrap() {
  local i=$1 wrapper=$2 dir sshd
  dir=$(node_dir "$i")
  sshd=$(sshd_pid "$i")
  [[ -n $sshd ]] || die "node $i: sshd is not running"
  cp /usr/bin/etcdctl "$dir/etcdctl.real"
  chmod 0755 "$dir/$wrapper" "$dir/etcdctl.real"
  nsenter -t "$sshd" -m mount --bind "$dir/$wrapper" /usr/bin/etcdctl
}

# Fault `etcdctl-slow I`: inside node i's mount namespace, /usr/bin/etcdctl becomes a wrapper
# that sleeps LAB_ETCDCTL_DELAY seconds (default 1) before calls whose words include
# LAB_ETCDCTL_SLOW_ON (default: every call), then runs the real etcdctl. Lets tests interrupt or
# time out a smoke run in the middle. With LAB_ETCDCTL_GATE=1 such a call waits, instead, until a
# line is written to the FIFO nodes/I/etcdctl.gate: a test stops a run at an exact call, acts,
# then lets it go on, with no sleep to guess with. Only that node sees it; repair removes it.
etcdctl_slow() {
  local i=$1 dir wait
  dir=$(node_dir "$i")
  wait="sleep ${LAB_ETCDCTL_DELAY:-1}"
  if [[ ${LAB_ETCDCTL_GATE:-0} == 1 ]]; then
    rm -f "$dir/etcdctl.gate"
    mkfifo -m 0644 "$dir/etcdctl.gate"
    wait="read -r _ <$dir/etcdctl.gate"
  fi
  cat >"$dir/etcdctl.slow" <<SH
#!/bin/sh
case " \$* " in *" ${LAB_ETCDCTL_SLOW_ON:-}"*) $wait ;; esac
exec $dir/etcdctl.real "\$@"
SH
  etcdctl_wrap "$i" etcdctl.slow
}

# Fault `etcdctl-33-health I`: inside node i, `etcdctl … -w json … endpoint health` prints 3.4's
# plain text instead (the same lines etcdctl 3.3.0-3.3.13 print whatever -w says, etcd-io/etcd#9532);
# every other call is the real etcdctl. Repair removes it.
etcdctl_33_health() {
  local i=$1 dir
  dir=$(node_dir "$i")
  cat >"$dir/etcdctl.33" <<SH
#!/bin/bash
case " \$* " in
  *" endpoint health"*) args=(); skip=0
    for a in "\$@"; do
      if ((skip)); then skip=0; continue; fi
      case \$a in -w|--write-out) skip=1 ;; -w=*|--write-out=*) ;; *) args+=("\$a") ;; esac
    done
    exec $dir/etcdctl.real "\${args[@]}" ;;
esac
exec $dir/etcdctl.real "\$@"
SH
  etcdctl_wrap "$i" etcdctl.33
}

etcdctl_restore() {
  local sshd gate
  gate="$(node_dir "$1")/etcdctl.gate"
  # A call still waiting at the gate goes on (opening a FIFO read-write never blocks on Linux).
  if [[ -p $gate ]]; then printf '\n\n\n\n' 1<>"$gate"; rm -f "$gate"; fi
  sshd=$(sshd_pid "$1")
  [[ -n $sshd ]] || return 0
  while grep -q ' /usr/bin/etcdctl ' "/proc/$sshd/mountinfo" 2>/dev/null; do
    nsenter -t "$sshd" -m umount /usr/bin/etcdctl
  done
}
