# shellcheck shell=bash
# Faults of the systemd lab: each breaks one thing on one running node, the way it breaks on a
# real machine (through systemctl, networkd, or a first boot without Ignition). Each is one line
# in nodes/I/faults; `repair I` (and `up`) undo them. Sourced.
#
#   unit-stopped     LAB_FAULT_UNIT (default flanneld.service) stopped; still enabled
#   unit-disabled    LAB_FAULT_UNIT disabled; still active (would not survive a reboot)
#   etcd-stop        etcd-member.service stopped (an etcd node)
#   network-route    the node's .network file loses its [Route] sections; networkd reloaded
#   network-dns      the .network file's first DNS= becomes FAULT_DNS; networkd reloaded
#   no-ignition      the node re-made as booted without its Ignition config (not an etcd node)
# and, in the Kubernetes lab, lib/k8s-faults.sh's.

SYSD_FAULT_KINDS=(unit-stopped unit-disabled etcd-stop network-route network-dns no-ignition "${K8S_FAULT_KINDS[@]}")

# The .network file(s) the node's Ignition config wrote.
sysd_network_files() { jq -r '.storage.files[]?.path | select(endswith(".network"))' "$(sysd_config "$1")"; }

# Edit node I's .network files with a sed program, keeping the originals for repair, then make
# networkd apply them as an administrator would: `networkctl reload`.
sysd_edit_network() { # sysd_edit_network I SED_PROGRAM
  local i=$1 prog=$2 f saved root
  root=$(sysd_root "$i")
  saved=$(node_dir "$i")/fault-saved
  mkdir -p "$saved"
  for f in $(sysd_network_files "$i"); do
    [[ -f $saved/${f##*/} ]] || cp -p "$root$f" "$saved/${f##*/}"
    sysd_exec "$i" sed -i "$prog" "$f"
  done
  sysd_exec "$i" networkctl reload
}

sysd_fault() {
  local kind=$1 i=$2 unit=${LAB_FAULT_UNIT:-flanneld.service}
  [[ -n $(sysd_nspawn_pid "$i") ]] || die "node $i is not running ('lab.sh repair $i' boots it)"
  case $kind in
    unit-stopped) sysd_exec "$i" systemctl stop "$unit"; kind="$kind $unit" ;;
    unit-disabled) sysd_exec "$i" systemctl -q disable "$unit"; kind="$kind $unit" ;;
    etcd-stop)
      sysd_is_etcd "$i" || die "node $i runs no etcd member"
      sysd_exec "$i" systemctl stop etcd-member.service ;;
    network-route) # every [Route] section, up to the next section
      sysd_edit_network "$i" '/^\[Route\]/,/^\[/{/^\[Route\]/d;/^\[/!d}'
      sysd_wait_in "$i" "! ip route show $STATIC_ROUTE_DST | grep -q ." ;;
    network-dns)
      sysd_edit_network "$i" "0,/^DNS=/s/^DNS=.*/DNS=$FAULT_DNS/"
      sysd_wait_in "$i" "grep -q '^nameserver $FAULT_DNS' /run/systemd/resolve/resolv.conf" ;;
    no-ignition)
      ! sysd_is_etcd "$i" || die "fault no-ignition re-makes node $i from scratch, which would wipe its etcd member: use a worker"
      sysd_stop "$i"
      sysd_provision "$i" "$(sysd_config "$i")" 1
      sysd_boot "$i"
      sysd_wait_ready "$i" || die "node $i did not boot"
      sysd_write_known_hosts $(known_nodes)
      sysd_wait_node_units "$i" ;;
    kubelet-stopped | cni-missing | wrong-node-name | wrong-node-ip | apiserver-stopped | impostor-kubelet) k8s_fault "$kind" "$i" ;;
    *) die "unknown fault '$kind' for a systemd lab; known: ${SYSD_FAULT_KINDS[*]}" ;;
  esac
  echo "$kind" >>"$(node_dir "$i")/faults"
}

# Undo every fault recorded for running node I (no-ignition is undone by re-provisioning: see
# sysd_repair), then wait until its units are active again.
sysd_undo_faults() {
  local i=$1 kind unit saved f root units=()
  saved=$(node_dir "$i")/fault-saved
  root=$(sysd_root "$i")
  [[ -f $(node_dir "$i")/faults ]] || return 0
  while read -r kind unit; do
    case $kind in
      unit-stopped) sysd_exec "$i" systemctl start "$unit"; units+=("$unit") ;;
      unit-disabled) sysd_exec "$i" systemctl -q preset "$unit" ;;
      etcd-stop) sysd_exec "$i" systemctl start etcd-member.service ;;
      kubelet-stopped | cni-missing | wrong-node-name | wrong-node-ip | apiserver-stopped | impostor-kubelet) k8s_undo_fault "$kind" "$i" </dev/null ;;
    esac
  done <"$(node_dir "$i")/faults"
  if [[ -d $saved ]]; then
    for f in $(sysd_network_files "$i"); do
      if [[ -f $saved/${f##*/} ]]; then cp -p "$saved/${f##*/}" "$root$f"; fi
    done
    rm -rf "$saved"
    sysd_exec "$i" networkctl reload
    # networkd applies a reload in the background: wait until the node is as its files say.
    sysd_wait_in "$i" "ip route show $STATIC_ROUTE_DST | grep -q . && ! grep -q '^nameserver $FAULT_DNS' /run/systemd/resolve/resolv.conf"
  fi
  rm -f "$(node_dir "$i")/faults"
  if sysd_k8s; then k8s_after_repair "$i"; fi
}

# Wait (up to 10 s) until a shell condition holds inside node I.
sysd_wait_in() { # sysd_wait_in I CONDITION
  local tries
  for ((tries = 0; tries < 50; tries++)); do
    sysd_exec "$1" sh -c "$2" && return 0
    sleep 0.2
  done
  die "node $1: still not true after 10 s: $2"
}
