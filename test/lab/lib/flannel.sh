# shellcheck shell=bash
# flannel as clusterctl sees it, opt-in at `up` (needs LAB_ETCD). No flanneld runs: these are the
# traces it leaves, per node /run/flannel/subnet.env (the node's own bind mount of
# .state/nodes/I/run-flannel) and its device holding the node's lease address, plus the config key
# written through node 1's etcdctl.
#   network 198.19.128.0/17 (FLANNEL_NETWORK), node I's lease 198.19.(128+I).0/24, I <= 127
#   LAB_FLANNEL=1      Backend vxlan: the kernel's vxlan programmed as flanneld's vxlan backend
#                      programs it (flannel.1 VNI 1, dstport 8472, nolearning, the lease's .0/32;
#                      per peer a route to its /24 via its .0 onlink, a permanent neighbour entry
#                      for its .0 and an FDB entry to its underlay address), so packets cross
#                      between nodes (flannel.datapath); the key in v2 when the lab etcd serves
#                      it, and in v3
#   LAB_FLANNEL=guide  the setup guide's layout: key {"Network": "…"} with no Backend (udp: a tun
#                      flannel0), written the guide's way (`etcdctl set`, v2 only; v3 only when the
#                      lab etcd serves no v2); every node's flanneld.service is Container Linux's
#                      (FLANNEL_IMAGE_TAG=v0.11.0), node 1 also has the guide's drop-in
#                      50-network-config.conf and an etcdctl that speaks v2 by default, as
#                      Container Linux's 3.3 did. The files are bind-mounted over the node's
#                      /etc/systemd/system (nodes/I/systemd-system): the lab has no systemd, so
#                      clusterctl reads them as files. Its udp datapath is not carried: that
#                      needs flanneld's own proxy (a tun device alone answers only its own address).
# Sourced.

FLANNEL_CONF="$STATE_DIR/flannel.conf"   # "1" or "guide" while the lab has flannel (read by repair, inventory)
FLANNEL_KEY=/coreos.com/network/config
FLANNEL_CONFIG_JSON="{\"Network\": \"$FLANNEL_NETWORK\", \"Backend\": {\"Type\": \"vxlan\"}}"
FLANNEL_GUIDE_JSON="{\"Network\": \"$FLANNEL_NETWORK\"}"
FLANNEL_OVERLAP_ROUTE=198.19.200.0/24   # fault flannel-overlap: a host route inside the Network
FLANNEL_GUIDE_TAG=v0.11.0               # Container Linux's flannel (reads the v2 keyspace)
FAULT_KINDS+=(flannel-overlap flannel-json flannel-key-missing flannel-lease-outside flannel-lease-dup flannel-device-missing)
FAULT_KINDS+=(flannel-key-v3-only flannel-v018 flannel-dropin-value flannel-dropin-v3 flannel-options-env)
FAULT_KINDS+=(flannel-drop-vxlan flannel-underlay-mtu flannel-neigh-missing)
FLANNEL_VXLAN_PORT=8472
FLANNEL_FAULT_MTU=1400   # fault flannel-underlay-mtu: node i's eth0 (flannel.1 keeps 1450)

flannel_enabled() { [[ -f $FLANNEL_CONF ]]; }
flannel_guide() { [[ -f $FLANNEL_CONF && $(cat "$FLANNEL_CONF") == guide ]]; }

# `up`, before anything is installed or built: LAB_FLANNEL=1|guide makes sense for N nodes.
flannel_check_request() {
  local n=$1 mode=${LAB_FLANNEL:-0}
  case $mode in
    0 | '') return 0 ;;
    1 | guide) ;;
    *) die "LAB_FLANNEL must be 0, 1 or guide, got '$mode'" ;;
  esac
  etcd_requested || die "LAB_FLANNEL=$mode needs LAB_ETCD=single|cluster3: the config key lives in etcd"
  ((n <= 127)) || die "LAB_FLANNEL=$mode supports at most 127 nodes (one /24 lease each in $FLANNEL_NETWORK)"
}

# `up`, before the nodes are built: record LAB_FLANNEL so repair and the inventory follow it.
flannel_configure() {
  local mode=${LAB_FLANNEL:-0}
  if [[ $mode != 1 && $mode != guide ]]; then rm -f "$FLANNEL_CONF"; return 0; fi
  mkdir -p "$STATE_DIR"
  echo "$mode" >"$FLANNEL_CONF"
}

# Node i's lease as flanneld writes it (FLANNEL_SUBNET: first host of the /24).
flannel_lease_net() { printf '198.19.%d.0' $((128 + $1)); }

write_subnet_env() { # write_subnet_env I NETWORK LEASE_BASE (e.g. 198.19.129.0)
  local base=$3 mtu=1450
  if flannel_guide; then mtu=1472; fi   # udp's MTU
  write_in_place "$(node_dir "$1")/run-flannel/subnet.env" "$(printf 'FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s/24\nFLANNEL_MTU=%s\nFLANNEL_IPMASQ=false' "$2" "${base%.0}.1" "$mtu")"
}

# The backend's device holding the lease, the way flanneld sets it: vxlan's flannel.1 gets the
# lease's network address as a /32; udp's tun flannel0 gets it with the Network's prefix.
set_flannel_device() { # set_flannel_device I LEASE_BASE
  local ns dev=flannel.1 other=flannel0 prefix=32
  ns=$(node_ns "$1")
  if flannel_guide; then dev=flannel0 other=flannel.1 prefix=${FLANNEL_NETWORK#*/}; fi
  ip -n "$ns" link del "$other" 2>/dev/null || true
  if ! ip -n "$ns" link show "$dev" >/dev/null 2>&1; then
    if flannel_guide; then
      ip -n "$ns" tuntap add dev flannel0 mode tun
      ip -n "$ns" link set flannel0 mtu 1472
    else
      ip -n "$ns" link add flannel.1 address "$(flannel_mac "$1")" type vxlan id 1 dev eth0 local "$(node_addr "$1")" dstport "$FLANNEL_VXLAN_PORT" nolearning
    fi
  fi
  if ! flannel_guide; then ip -n "$ns" link set flannel.1 address "$(flannel_mac "$1")"; fi
  ip -n "$ns" addr flush dev "$dev"
  ip -n "$ns" addr add "$2/$prefix" dev "$dev"
  ip -n "$ns" link set "$dev" up
}

# Node i's flannel.1 MAC (its VTEP address): fixed by its index, so peers' FDB and neighbour
# entries stay right when a node's device is made again (flanneld keeps it in its lease).
flannel_mac() { printf '0e:cc:00:00:%02x:%02x' $(($1 / 256)) $(($1 % 256)); }

# What flanneld's vxlan backend writes on node i for every other node j it learns of from the
# leases: a route to j's /24 via j's .0 onlink, a permanent neighbour entry for j's .0 with j's
# VTEP MAC, and an FDB entry sending that MAC to j's underlay address (one batch per bridge/ip).
flannel_program_peers() { # flannel_program_peers I
  local i=$1 j ns net
  ns=$(node_ns "$i")
  for j in $(known_nodes); do
    ((j != i)) || continue
    net=$(flannel_lease_net "$j")
    printf 'route replace %s/24 via %s dev flannel.1 onlink\n' "$net" "$net"
    printf 'neigh replace %s lladdr %s dev flannel.1 nud permanent\n' "$net" "$(flannel_mac "$j")"
  done | ip -n "$ns" -batch -
  for j in $(known_nodes); do
    ((j != i)) || continue
    printf 'fdb replace %s dev flannel.1 dst %s self permanent\n' "$(flannel_mac "$j")" "$(node_addr "$j")"
  done | ip netns exec "$ns" bridge -batch -
}

# Part of ensure_node: the healthy flannel traces, or none at all when the lab has no flannel.
# Also undoes the datapath faults: the DROP rule, eth0's MTU.
ensure_node_flannel() {
  local i=$1 ns
  ns=$(node_ns "$i")
  ip -n "$ns" route del "$FLANNEL_OVERLAP_ROUTE" 2>/dev/null || true
  if flannel_enabled; then
    ip -n "$ns" link set eth0 mtu 1500
    while ip netns exec "$ns" iptables -D INPUT -p udp --dport "$FLANNEL_VXLAN_PORT" -j DROP 2>/dev/null; do :; done
    write_subnet_env "$i" "$FLANNEL_NETWORK" "$(flannel_lease_net "$i")"
    set_flannel_device "$i" "$(flannel_lease_net "$i")"
    if ! flannel_guide; then flannel_program_peers "$i"; fi
  else
    rm -f "$(node_dir "$i")/run-flannel/subnet.env"
    ip -n "$ns" link del flannel.1 2>/dev/null || true
    ip -n "$ns" link del flannel0 2>/dev/null || true
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
# The guide's layout writes it as the guide does: v2 only (v3 only where no v2 is served).
flannel_write_key() { # flannel_write_key [VALUE]
  local value=${1:-$FLANNEL_CONFIG_JSON}
  if flannel_guide; then
    value=${1:-$FLANNEL_GUIDE_JSON}
    flannel_delete_key
    if [[ $(etcd_v2) == 1 ]]; then flannel_etcdctl 2 set "$FLANNEL_KEY" "$value" >/dev/null
    else flannel_etcdctl 3 put "$FLANNEL_KEY" "$value" >/dev/null; fi
    return 0
  fi
  if [[ $(etcd_v2) == 1 ]]; then flannel_etcdctl 2 set "$FLANNEL_KEY" "$value" >/dev/null; fi
  flannel_etcdctl 3 put "$FLANNEL_KEY" "$value" >/dev/null
}

flannel_delete_key() {
  if [[ $(etcd_v2) == 1 ]]; then flannel_etcdctl 2 rm "$FLANNEL_KEY" >/dev/null 2>&1 || true; fi
  flannel_etcdctl 3 del "$FLANNEL_KEY" >/dev/null
}

# The guide's unit files for node i: Container Linux's flanneld.service (its flannel-wrapper
# variables, reduced to what matters here) and, on node 1, the guide's drop-in.
write_guide_units() { # write_guide_units I [TAG] [DROPIN_JSON]
  local dir tag=${2:-$FLANNEL_GUIDE_TAG} value=${3:-$FLANNEL_GUIDE_JSON}
  dir=$(node_dir "$1")/systemd-system
  # Emptied, not replaced: the node's bind mount holds this directory's inode.
  mkdir -p "$dir"
  rm -rf "${dir:?}"/*
  cat >"$dir/flanneld.service" <<UNIT
# written by test/lab/lab.sh: the shape of Container Linux's flanneld.service
[Unit]
Description=flannel - Network fabric for containers (System Application Container)
After=etcd.service etcd2.service etcd-member.service

[Service]
Type=notify
Restart=always
Environment="FLANNEL_IMAGE_TAG=$tag"
Environment="FLANNEL_OPTS=--ip-masq=true"
EnvironmentFile=-/run/flannel/options.env
ExecStartPre=/usr/bin/mkdir --parents /var/lib/coreos /run/flannel
ExecStart=/usr/lib/coreos/flannel-wrapper \$FLANNEL_OPTS

[Install]
WantedBy=multi-user.target
UNIT
  if (($1 == 1)); then
    mkdir -p "$dir/flanneld.service.d"
    printf '[Service]\nExecStartPre=/usr/bin/etcdctl set %s %s\n' "$FLANNEL_KEY" "'$value'" >"$dir/flanneld.service.d/50-network-config.conf"
  fi
  chmod -R a+rX "$dir"
}

# Inside node i: the unit files over /etc/systemd/system and, on node 1, an etcdctl that speaks v2
# when ETCDCTL_API is unset (Container Linux's etcdctl 3.3 did; 3.4 speaks v3), as a wrapper
# bind-mounted over /usr/bin/etcdctl. clusterctl always sets ETCDCTL_API, so only the probe's
# `etcdctl version` notices.
mount_guide_files() { # mount_guide_files I [v3]  (v3: node 1 keeps the real, v3-speaking etcdctl)
  local i=$1 dir sshd
  dir=$(node_dir "$i")
  sshd=$(sshd_pid "$i")
  [[ -n $sshd ]] || die "node $i: sshd is not running"
  unmount_guide_files "$i"
  nsenter -t "$sshd" -m mount --bind "$dir/systemd-system" /etc/systemd/system
  if ((i == 1)) && [[ ${2:-} != v3 ]]; then
    cp /usr/bin/etcdctl "$dir/etcdctl.real"
    # Unset or empty means the default to every etcdctl (main.go: len(apiv) == 0).
    printf '#!/bin/sh\n[ -n "${ETCDCTL_API:-}" ] || ETCDCTL_API=2\nexport ETCDCTL_API\nexec %s "$@"\n' "$dir/etcdctl.real" >"$dir/etcdctl.v2"
    chmod 0755 "$dir/etcdctl.v2" "$dir/etcdctl.real"
    nsenter -t "$sshd" -m mount --bind "$dir/etcdctl.v2" /usr/bin/etcdctl
  fi
}

unmount_guide_files() {
  local sshd
  sshd=$(sshd_pid "$1")
  [[ -n $sshd ]] || return 0
  while grep -q ' /etc/systemd/system ' "/proc/$sshd/mountinfo" 2>/dev/null; do nsenter -t "$sshd" -m umount /etc/systemd/system; done
  etcdctl_restore "$1"
}

# `up` once etcd is healthy, and `repair 1`: the key as the setup guide writes it; in the guide's layout
# the unit files in every node.
flannel_start() {
  local i
  for i in $(known_nodes); do
    if flannel_guide; then write_guide_units "$i"; mount_guide_files "$i"; else unmount_guide_files "$i"; fi
  done
  if flannel_enabled; then flannel_write_key; fi
}
repair_flannel() {
  rm -f "$(node_dir "$1")/run-flannel/options.env"
  if flannel_guide; then write_guide_units "$1"; mount_guide_files "$1"; fi
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
    flannel-key-v3-only) # the key in v3 only: flannel <= 0.17 reads v2 (flannel-io/flannel#1057)
      (( i == 1 )) || die "fault $kind is cluster-wide: inject it on node 1"
      [[ $(etcd_v2) == 1 ]] || die "fault $kind needs a lab etcd that serves v2 (LAB_ETCD_V2=1)"
      flannel_delete_key
      flannel_etcdctl 3 put "$FLANNEL_KEY" "$(flannel_guide && echo "$FLANNEL_GUIDE_JSON" || echo "$FLANNEL_CONFIG_JSON")" >/dev/null ;;
    flannel-v018) # node i's flanneld.service pulls flannel v0.18.1, which reads the v3 keyspace
      flannel_guide || die "fault $kind needs LAB_FLANNEL=guide"
      write_guide_units "$i" v0.18.1 ;;
    flannel-dropin-value) # the guide's drop-in writes another Network than the key holds
      flannel_guide && (( i == 1 )) || die "fault $kind needs LAB_FLANNEL=guide, on node 1"
      write_guide_units 1 "$FLANNEL_GUIDE_TAG" '{"Network": "198.19.0.0/17"}' ;;
    flannel-options-env) # the unit's EnvironmentFile sends flanneld to a port where no etcd listens
      flannel_guide || die "fault $kind needs LAB_FLANNEL=guide"
      write_in_place "$(node_dir "$i")/run-flannel/options.env" "FLANNELD_ETCD_ENDPOINTS=http://$(node_addr 1):2390" ;;
    flannel-dropin-v3) # node 1's etcdctl speaks v3 by default (3.4+): the drop-in's `etcdctl set` fails
      flannel_guide && (( i == 1 )) || die "fault $kind needs LAB_FLANNEL=guide, on node 1"
      mount_guide_files 1 v3 ;;
    flannel-drop-vxlan) # node i drops inbound UDP 8472 (vxlan): a firewall rule in its namespace
      flannel_guide && die "fault $kind needs LAB_FLANNEL=1 (vxlan)"
      ip netns exec "$ns" iptables -I INPUT -p udp --dport "$FLANNEL_VXLAN_PORT" -j DROP ;;
    flannel-underlay-mtu) # node i's eth0 MTU is 1400, flannel.1 still 1450 (FLANNEL_MTU 1450)
      ip -n "$ns" link set eth0 mtu "$FLANNEL_FAULT_MTU" ;;
    flannel-neigh-missing) # node i has no neighbour entry for the next node's .0 (node 1 for the last)
      other=$((i + 1))
      [[ -d $(node_dir "$other") ]] || other=1
      ((other != i)) || die "fault $kind needs two nodes"
      ip -n "$ns" neigh del "$(flannel_lease_net "$other")" dev flannel.1 ;;
    *) die "unknown flannel fault '$kind'" ;;
  esac
}
