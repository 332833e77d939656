# shellcheck shell=bash
# flannel as clusterctl sees it, opt-in at `up` with LAB_FLANNEL=1 (needs LAB_ETCD): per node a
# vxlan device flannel.1 holding the node's lease address and /run/flannel/subnet.env (the node's
# own bind mount of .state/nodes/I/run-flannel), and the config key written through node 1's
# etcdctl the way the setup guide does (`etcdctl set /coreos.com/network/config '{"Network": …}'`), in
# v2 when the lab etcd serves it and in v3. No flanneld runs: these are the traces it leaves.
#   network 198.19.128.0/17 (FLANNEL_NETWORK), node I's lease 198.19.(128+I).0/24, I <= 127
# The vxlan devices have no FDB entries, so nothing is ever sent through them. Sourced.

FLANNEL_CONF="$STATE_DIR/flannel.conf"   # present while the lab has flannel (read by repair, inventory)
FLANNEL_KEY=/coreos.com/network/config
FLANNEL_CONFIG_JSON="{\"Network\": \"$FLANNEL_NETWORK\", \"Backend\": {\"Type\": \"vxlan\"}}"
FLANNEL_OVERLAP_ROUTE=198.19.200.0/24   # fault flannel-overlap: a host route inside the Network
FAULT_KINDS+=(flannel-overlap flannel-json flannel-key-missing flannel-lease-outside flannel-lease-dup flannel-device-missing)

flannel_enabled() { [[ -f $FLANNEL_CONF ]]; }

# `up`, before anything is installed or built: LAB_FLANNEL=1 makes sense for N nodes.
flannel_check_request() {
  local n=$1
  [[ ${LAB_FLANNEL:-0} == 0 || ${LAB_FLANNEL:-0} == 1 ]] || die "LAB_FLANNEL must be 0 or 1, got '${LAB_FLANNEL:-}'"
  [[ ${LAB_FLANNEL:-0} == 1 ]] || return 0
  etcd_requested || die "LAB_FLANNEL=1 needs LAB_ETCD=single|cluster3: the config key lives in etcd"
  ((n <= 127)) || die "LAB_FLANNEL=1 supports at most 127 nodes (one /24 lease each in $FLANNEL_NETWORK)"
}

# `up`, before the nodes are built: record LAB_FLANNEL so repair and the inventory follow it.
flannel_configure() {
  if [[ ${LAB_FLANNEL:-0} != 1 ]]; then rm -f "$FLANNEL_CONF"; return 0; fi
  mkdir -p "$STATE_DIR"
  echo 1 >"$FLANNEL_CONF"
}

# Node i's lease as flanneld writes it (FLANNEL_SUBNET: first host of the /24).
flannel_lease_net() { printf '198.19.%d.0' $((128 + $1)); }

write_subnet_env() { # write_subnet_env I NETWORK LEASE_BASE (e.g. 198.19.129.0)
  local base=$3
  write_in_place "$(node_dir "$1")/run-flannel/subnet.env" "$(printf 'FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false' "$2" "${base%.0}.1")"
}

# flannel.1 with the lease's network address as a /32, the way flanneld's vxlan backend sets it.
set_flannel_device() { # set_flannel_device I LEASE_BASE
  local ns
  ns=$(node_ns "$1")
  if ! ip -n "$ns" link show flannel.1 >/dev/null 2>&1; then
    ip -n "$ns" link add flannel.1 type vxlan id 1 dev eth0 local "$(node_addr "$1")" dstport 8472 nolearning
  fi
  ip -n "$ns" addr flush dev flannel.1
  ip -n "$ns" addr add "$2/32" dev flannel.1
  ip -n "$ns" link set flannel.1 up
}

# Part of ensure_node: the healthy flannel traces, or none at all when the lab has no flannel.
ensure_node_flannel() {
  local i=$1 ns
  ns=$(node_ns "$i")
  ip -n "$ns" route del "$FLANNEL_OVERLAP_ROUTE" 2>/dev/null || true
  if flannel_enabled; then
    write_subnet_env "$i" "$FLANNEL_NETWORK" "$(flannel_lease_net "$i")"
    set_flannel_device "$i" "$(flannel_lease_net "$i")"
  else
    rm -f "$(node_dir "$i")/run-flannel/subnet.env"
    ip -n "$ns" link del flannel.1 2>/dev/null || true
  fi
}

# etcdctl inside node 1's namespaces, against its local client URL (both lab etcd modes listen there).
flannel_etcdctl() { # flannel_etcdctl API ARGS...
  local api=$1 sshd
  shift
  sshd=$(sshd_pid 1)
  [[ -n $sshd ]] || die "node 1: sshd is not running; the flannel key is written from inside it"
  # shellcheck disable=SC2046 # one environment assignment per line
  env ETCDCTL_API="$api" $(etcd_tls_env) nsenter -t "$sshd" -n etcdctl --endpoints="$(etcd_scheme)://127.0.0.1:2379" "$@"
}

# The config key in every keyspace the lab etcd serves: v2 (flannel <= 0.17) when enabled, and v3.
flannel_write_key() { # flannel_write_key [VALUE]
  local value=${1:-$FLANNEL_CONFIG_JSON}
  if [[ $(etcd_v2) == 1 ]]; then flannel_etcdctl 2 set "$FLANNEL_KEY" "$value" >/dev/null; fi
  flannel_etcdctl 3 put "$FLANNEL_KEY" "$value" >/dev/null
}

flannel_delete_key() {
  if [[ $(etcd_v2) == 1 ]]; then flannel_etcdctl 2 rm "$FLANNEL_KEY" >/dev/null 2>&1 || true; fi
  flannel_etcdctl 3 del "$FLANNEL_KEY" >/dev/null
}

# `up` once etcd is healthy, and `repair 1`: the key as the setup guide writes it.
flannel_start() {
  if flannel_enabled; then flannel_write_key; fi
}
repair_flannel() {
  if flannel_enabled && (($1 == 1)); then flannel_write_key; fi
}

# Inventory lines: the flannel section only when the lab has flannel (else flannel is not checked).
flannel_inventory_yaml() {
  if flannel_enabled; then printf '  flannel:\n    network: %s\n' "$FLANNEL_NETWORK"; fi
}

# Each fault breaks one flannel thing. The key faults are cluster-wide: inject them on node 1
# (the node they are written through, and the one `repair` restores them from).
flannel_fault() {
  local kind=$1 i=$2 ns other
  ns=$(node_ns "$i")
  flannel_enabled || die "fault $kind needs a lab with flannel (up with LAB_FLANNEL=1)"
  case $kind in
    flannel-overlap) # a host route inside the flannel Network
      ip -n "$ns" route replace "$FLANNEL_OVERLAP_ROUTE" via "$STATIC_ROUTE_GW" dev eth0 ;;
    flannel-json) # the config key is not JSON
      (( i == 1 )) || die "fault $kind is cluster-wide: inject it on node 1"
      flannel_write_key "{\"Network\": \"$FLANNEL_NETWORK\"" ;;
    flannel-key-missing)
      (( i == 1 )) || die "fault $kind is cluster-wide: inject it on node 1"
      flannel_delete_key ;;
    flannel-lease-outside) # lease and device moved to 198.19.64.0/24, outside 198.19.128.0/17
      write_subnet_env "$i" "$FLANNEL_NETWORK" 198.19.64.0
      set_flannel_device "$i" 198.19.64.0 ;;
    flannel-lease-dup) # node i holds the lease of node i-1 (node 2 for node 1)
      other=$((i == 1 ? 2 : i - 1))
      write_subnet_env "$i" "$FLANNEL_NETWORK" "$(flannel_lease_net "$other")"
      set_flannel_device "$i" "$(flannel_lease_net "$other")" ;;
    flannel-device-missing)
      ip -n "$ns" link del flannel.1 ;;
    *) die "unknown flannel fault '$kind'" ;;
  esac
}
