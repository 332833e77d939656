#!/usr/bin/env bash
# The clusterctl test lab: N Container-Linux-like nodes, each a network namespace with its own
# eth0, routes, /etc/hostname, /etc/resolv.conf, UTS hostname, mount namespace and a real OpenSSH
# sshd, all on one bridge in the root namespace. Needs root. See docs/lab.md.
#
#   lab.sh up [N]              build (or converge to) a healthy lab of N nodes (default 3)
#   lab.sh down                stop every daemon and delete everything the lab created
#   lab.sh status              nodes, addresses, sshd state, injected faults
#   lab.sh fault KIND I        inject one fault into node I (kinds: see lib/faults.sh)
#   lab.sh repair I            undo every fault on node I
#   lab.sh repair-all          repair every node
#   lab.sh ssh I [CMD...]      ssh to node I as core with the lab's key and known_hosts
#   lab.sh inventory           print the inventory path
#   lab.sh enter I [CMD...]    (systemd lab) run CMD (default a shell) as root inside node I
#   lab.sh base                (systemd lab) build the base image unless cached; print its path
#   lab.sh k8s-build           (Kubernetes lab) build kube-apiserver and kubelet unless cached;
#                              print the directory holding them (takes no lab lock: needs no lab)
#   lab.sh kubectl [ARGS...]   (Kubernetes lab) Debian's kubectl with the lab's admin kubeconfig
#
# Opt-in extras read by `up` (it installs the packages each needs: lib/prereqs.sh): LAB_ETCD
# (lib/etcd.sh), LAB_FLANNEL=1 (lib/flannel.sh), LAB_ISOLATED=M (lib/bastion.sh: M nodes on an
# isolated bridge, reachable only through node 1 as bastion, sshd on port 2222).
# LAB_NODES=systemd: nodes that boot real systemd in systemd-nspawn, provisioned by Ignition with
# `clusterctl render`'s configs (lib/sysd.sh); the default, LAB_NODES=namespace, is the fast lab.
# LAB_NODES=systemd LAB_K8S=1: also real kube-apiserver, kubelets and containerd (lib/k8s.sh).
set -euo pipefail
umask 022

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
source "$LIB_DIR/common.sh"
source "$LIB_DIR/prereqs.sh"
source "$LIB_DIR/node.sh"
source "$LIB_DIR/faults.sh"
source "$LIB_DIR/inventory.sh"
source "$LIB_DIR/etcd.sh"
source "$LIB_DIR/etcd-tls.sh"
source "$LIB_DIR/bastion.sh"
source "$LIB_DIR/flannel.sh"
source "$LIB_DIR/sysd-base.sh"
source "$LIB_DIR/sysd-node.sh"
source "$LIB_DIR/sysd.sh"
source "$LIB_DIR/k8s-faults.sh"   # before sysd-faults.sh, whose fault list includes these
source "$LIB_DIR/sysd-faults.sh"
source "$LIB_DIR/k8s-build.sh"
source "$LIB_DIR/k8s-layer.sh"
source "$LIB_DIR/k8s-pki.sh"
source "$LIB_DIR/k8s.sh"

require_root() {
  ((EUID == 0)) || die "the lab needs root (network namespaces, veths, sshd)"
  take_lock
}

# Which kind of lab .state holds: namespace or systemd (nothing when down).
lab_kind() { cat "$STATE_DIR/kind" 2>/dev/null || { [[ -d $NODES_DIR ]] && echo namespace; } || true; }

cmd_up() {
  local n=${1:-3} i start=$SECONDS kind=${LAB_NODES:-namespace}
  [[ $kind == namespace || $kind == systemd ]] || die "LAB_NODES must be namespace or systemd, got '$kind'"
  if [[ $kind == namespace ]]; then
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$n'"
    # Every node is a port of the one bridge, and a Linux bridge takes 1023 ports: the kernel
    # refuses the next with "RTNETLINK answers: Exchange full" (tried on kernel 6.18). The addresses
    # would go on to 50,800 nodes; a larger lab needs a second bridge and a route between them.
    ((n <= 1023)) || die "N=$n: the lab puts every node on one bridge ($BRIDGE), which takes at most 1023 ports; use N <= 1023"
  fi
  # One lab per machine: switching kinds starts from nothing.
  if [[ -n $(lab_kind) && $(lab_kind) != "$kind" ]]; then cmd_down >/dev/null; fi
  if [[ $kind == systemd ]]; then sysd_up "$@"; return; fi
  etcd_check_request "$n"
  flannel_check_request "$n"
  iso_check_request
  ensure_packages   # what this variant needs (lib/prereqs.sh lab_needs), apt-get install if missing
  ensure_user
  mkdir -p "$NODES_DIR"
  echo namespace >"$STATE_DIR/kind"
  ensure_runtime_dirs
  ensure_client_key
  ensure_bridge
  # A previous `up` with a larger N (or a crash) may have left nodes beyond N.
  for i in $( (known_nodes; existing_namespaces) | sort -nu); do
    if ((i > n)); then remove_node "$i"; fi
  done
  local all=()
  for ((i = 1; i <= n; i++)); do
    mkdir -p "$(node_dir "$i")"
    all+=("$i")
  done
  flannel_configure
  ensure_nodes "${all[@]}"
  write_known_hosts "${all[@]}"
  etcd_configure
  write_inventory "${all[@]}"
  wait_ready "${STARTED[@]}" || die "not every sshd came up; the lab is half built ('lab.sh down' cleans it)"
  etcd_start
  iso_up   # LAB_ISOLATED=M: M nodes behind node 1 as bastion (lib/bastion.sh)
  flannel_start
  echo "lab up: $n nodes $(node_addr 1)..$(node_addr "$n") on $BRIDGE $BRIDGE_ADDR/$PREFIX," \
    "${#STARTED[@]} sshd started in $((SECONDS - start))s; inventory $STATE_DIR/inventory.yaml"
}

lab_veths() { ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \(cclv-[0-9]*\)@.*/\1/p'; }

cmd_down() {
  local i nodes waited
  # systemd nodes first (their veths are on the bridge deleted below), whatever the kind.
  sysd_down
  nodes=$( (known_nodes; existing_namespaces) | sort -nu)
  # Stop all daemons first, in one go, so 200 nodes wait once, not 200 times.
  stop_all_etcd
  if [[ -d $NODES_DIR ]]; then stop_pidfiles sshd "$NODES_DIR"/*/sshd.pid; fi
  iso_down
  for i in $nodes; do stop_strays "$i"; done
  # Deleting the namespaces lets the kernel destroy all their veths in one batch; deleting 200
  # veths one by one costs an RCU grace period each (~10 s in all).
  for i in $nodes; do
    if [[ -e /run/netns/$(node_ns "$i") ]]; then echo "netns del $(node_ns "$i")"; fi
  done | ip -batch - 2>/dev/null || true
  # Namespace cleanup is asynchronous: wait (bounded) for the veths to go, then delete leftovers
  # (e.g. a namespace still held by a process that is not ours).
  for ((waited = 0; waited < 50; waited++)); do
    [[ -z $(lab_veths) ]] && break
    sleep 0.1
  done
  for i in $(lab_veths); do ip link del "$i" 2>/dev/null || true; done
  if [[ -e /sys/class/net/$BRIDGE ]]; then ip link del "$BRIDGE"; fi
  ip route del blackhole "$GUARD_ROUTE" 2>/dev/null || true
  etcd_tls_remove   # the sudoers rule lives outside .state
  rm -rf /etc/netns/ccl-*
  # Only removes what the lab created: rmdir fails (quietly) on a non-empty directory.
  rmdir /etc/netns /run/flannel 2>/dev/null || true
  rm -rf --one-file-system "$STATE_DIR"
  echo "lab down"
}

cmd_status() {
  local i pid state faults count=0
  if [[ $(lab_kind) == systemd ]]; then sysd_status; return; fi
  printf '%-14s %-8s %-15s %-18s %s\n' NODE NETNS ADDRESS SSHD FAULTS
  for i in $(known_nodes); do
    pid=$(sshd_pid "$i")
    if [[ -n $pid ]]; then state="up (pid $pid)"; else state=down; fi
    faults=$(paste -sd, "$(node_dir "$i")/faults" 2>/dev/null || true)
    printf '%-14s %-8s %-15s %-18s %s\n' "$(node_name "$i")" "$(node_ns "$i")" "$(node_addr "$i")" \
      "$state" "${faults:--}"
    count=$((count + 1))
  done
  ((count > 0)) || echo "(lab is down)"
}

cmd_fault() {
  local kind=${1:-} i=${2:-}
  [[ -n $kind ]] || die "usage: lab.sh fault KIND NODE_INDEX (kinds: ${FAULT_KINDS[*]})"
  require_index "$i"
  if [[ $(lab_kind) == systemd ]]; then sysd_fault "$kind" "$i"; echo "node $i: fault $kind injected"; return; fi
  inject_fault "$kind" "$i"
  echo "node $i: fault $kind injected"
}

cmd_repair() {
  local i
  if [[ $(lab_kind) == systemd ]]; then sysd_repair "$@"; echo "repaired: $*"; return; fi
  for i in "$@"; do
    require_index "$i"
    ensure_node "$i"
  done
  wait_ready "${STARTED[@]}" || die "repair could not bring every sshd back"
  for i in "$@"; do repair_etcd "$i"; repair_flannel "$i"; done
  echo "repaired: $*"
}

cmd_ssh() {
  local i=${1:-}
  require_index "$i"
  shift
  exec ssh -i "$STATE_DIR/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$STATE_DIR/known_hosts" -o StrictHostKeyChecking=yes \
    "$LAB_USER@$(node_addr "$i")" "$@"
}

cmd_enter() {
  local i=${1:-} pid
  require_index "$i"
  shift
  [[ $(lab_kind) == systemd ]] || die "enter needs a systemd lab (LAB_NODES=systemd lab.sh up N)"
  pid=$(sysd_init_pid "$i")
  [[ -n $pid ]] || die "node $i is not running"
  if (($# == 0)); then set -- /bin/bash -l; fi
  exec nsenter -t "$pid" -a "$@"
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    up)
      # The Kubernetes binaries first, without the lab lock: a cold build takes many minutes
      # and needs no lab (ensure_k8s_binaries has its own build lock).
      if [[ ${LAB_NODES:-} == systemd && ${LAB_K8S:-0} == 1 ]]; then
        ((EUID == 0)) || die "the lab needs root (network namespaces, veths, sshd)"
        ensure_k8s_binaries >/dev/null
      fi
      require_root; cmd_up "$@" ;;
    down) require_root; cmd_down ;;
    status) cmd_status ;;
    fault) require_root; cmd_fault "$@" ;;
    repair) require_root; [[ $# -eq 1 ]] || die "usage: lab.sh repair NODE_INDEX"; cmd_repair "$1" ;;
    repair-all) require_root; mapfile -t nodes < <(known_nodes); cmd_repair "${nodes[@]}" ;;
    ssh) cmd_ssh "$@" ;;
    enter) cmd_enter "$@" ;;
    base) ((EUID == 0)) || die "building the base image needs root"; LAB_NODES=systemd ensure_packages; ensure_sysd_base; echo ;;
    k8s-build) ((EUID == 0)) || die "the Kubernetes build needs root (apt-get, its cache)"; ensure_k8s_binaries; echo ;;
    kubectl) k8s_kubectl "$@" ;;
    inventory) echo "$STATE_DIR/inventory.yaml" ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
