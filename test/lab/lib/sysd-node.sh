# shellcheck shell=bash
# One node of the systemd lab (LAB_NODES=systemd): a systemd-nspawn container booting real systemd
# on the lab bridge, its rootfs an overlay over the shared base image, provisioned before its
# first boot by Debian's Ignition with the config `clusterctl render` wrote for it. Sourced.
#
#   .state/nodes/I/upper, work   the node's overlay layers; root is the mounted rootfs
#   .state/nodes/I/ign/          Ignition's config cache and state; provision.log its output
#   .state/nodes/I/nspawn.pid    the systemd-nspawn process; console.log the node's console
#   .state/nodes/I/applied.sha   sha256 of the Ignition config the node was provisioned with
# Every node runs in its own cgroup, SYSD_CGROUP/lab-node-I, in each cgroup hierarchy: without
# one, all containers share a cgroup and their systemds interfere. Everything in those cgroups
# was started by the lab, so `down` may end all of it.

SYSD_CGROUP=clusterctl-lab
IGNITION_BIN=${LAB_IGNITION:-/usr/lib/dracut/modules.d/30ignition/ignition}

sysd_root() { printf '%s/root' "$(node_dir "$1")"; }
sysd_veth() { printf 'vb-%s' "$(node_name "$1")"; }   # nspawn's host end: vb-MACHINE

# The cgroup hierarchies a node's processes are put in: cgroup2 (unified) and systemd's named
# v1 hierarchy on a hybrid host, or the one cgroup2 tree on a unified host.
sysd_cgroup_roots() {
  if [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]]; then echo /sys/fs/cgroup; return; fi
  local h
  for h in unified systemd; do
    if mountpoint -q "/sys/fs/cgroup/$h"; then echo "/sys/fs/cgroup/$h"; fi
  done
}

# Every pid in the lab's cgroups (or node I's only), in all hierarchies.
sysd_cgroup_pids() {
  local root dir
  for root in $(sysd_cgroup_roots); do
    dir=$root/$SYSD_CGROUP${1:+/$(node_name "$1")}
    if [[ -d $dir ]]; then find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null; fi
  done | sort -nu
}

# Node indexes that have a cgroup (a node `up` started, even if .state lost track of it).
sysd_cgroup_nodes() {
  local root
  for root in $(sysd_cgroup_roots); do
    [[ -d $root/$SYSD_CGROUP ]] || continue
    find "$root/$SYSD_CGROUP" -mindepth 1 -maxdepth 1 -type d -name 'lab-node-*' -printf '%f\n' | sed 's/^lab-node-//'
  done | grep -E '^[0-9]+$' | sort -nu || true
}

# Pid of node I's systemd-nspawn, or nothing.
sysd_nspawn_pid() {
  local pid
  pid=$(cat "$(node_dir "$1")/nspawn.pid" 2>/dev/null || true)
  if pid_is_ours "$pid" systemd-nspawn; then printf '%s' "$pid"; fi
}

# Host pid of the container's PID 1 (systemd): the nspawn child whose pid in its namespace is 1.
sysd_init_pid() {
  local nspawn pid
  nspawn=$(sysd_nspawn_pid "$1")
  [[ -n $nspawn ]] || return 0
  for pid in $(ps -o pid= --ppid "$nspawn"); do
    if [[ $(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status" 2>/dev/null) == 1 ]]; then printf '%s' "$pid"; return; fi
  done
}

# Run a command as root inside node I (all its namespaces).
sysd_exec() {
  local i=$1 pid
  shift
  pid=$(sysd_init_pid "$i")
  [[ -n $pid ]] || die "node $i is not running ('lab.sh repair $i' boots it)"
  nsenter -t "$pid" -a "$@"
}

sysd_mount_root() {
  local dir root base layer
  base=$(cat "$STATE_DIR/base" 2>/dev/null) && [[ -f $base/.complete ]] || die "no base image recorded in $STATE_DIR/base; run 'LAB_NODES=systemd lab.sh up N'"
  dir=$(node_dir "$1")
  root=$dir/root
  mkdir -p "$dir/upper" "$dir/work" "$root"
  # The Kubernetes lab puts its layer (lib/k8s-layer.sh) over the base.
  layer=$(cat "$STATE_DIR/k8s-layer" 2>/dev/null) || true
  if [[ -n $layer ]]; then
    [[ -f $layer/.k8s-layer-complete ]] || die "the Kubernetes node layer $layer is gone; run 'LAB_NODES=systemd LAB_K8S=1 lab.sh up N'"
    base=$layer:$base
  fi
  mountpoint -q "$root" ||
    mount -t overlay overlay -o "lowerdir=$base,upperdir=$dir/upper,workdir=$dir/work" "$root"
}

# Ignition's two stages that matter without disks: fetch-offline reads the config, files writes
# users, files and units into ROOT. PLATFORM file reads IGNITION_CONFIG_FILE; metal with no
# ignition.config.url on the kernel command line finds no config at all.
sysd_ignition() { # sysd_ignition I PLATFORM [CONFIG]
  local i=$1 platform=$2 config=${3:-} dir root stage
  dir=$(node_dir "$i")
  root=$dir/root
  rm -rf "$dir/ign"
  mkdir -p "$dir/ign/bin"
  # Traps of Ignition in a plain rootfs: its SELinux relabel step wants a config naming a policy
  # type and a setfiles on PATH (a no-op here); both go away afterwards.
  printf '#!/bin/sh\nexit 0\n' >"$dir/ign/bin/setfiles"
  chmod +x "$dir/ign/bin/setfiles"
  printf 'SELINUX=disabled\nSELINUXTYPE=targeted\n' >"$root/etc/selinux/config"
  for stage in fetch-offline files; do
    PATH=$dir/ign/bin:$PATH IGNITION_CONFIG_FILE=$config "$IGNITION_BIN" -platform "$platform" \
      -root "$root" -config-cache "$dir/ign/config.json" -state-file "$dir/ign/state" \
      -neednet "$dir/ign/neednet" -fetch-timeout 10s -log-to-stdout -stage "$stage" >>"$dir/provision.log" 2>&1 ||
      { rm -f "$root/etc/selinux/config"; die "node $i: ignition -stage $stage failed; see $dir/provision.log"; }
  done
  rm -f "$root/etc/selinux/config"
}

# Units the config names with "enabled": Ignition only writes a preset file for them; presetting
# them now is what a first boot's preset run does on Flatcar.
sysd_preset_units() { # sysd_preset_units I CONFIG
  local units
  mapfile -t units < <(jq -r '.systemd.units[]? | select(has("enabled")) | .name' "$2")
  ((${#units[@]} == 0)) || systemctl --root="$(sysd_root "$1")" -q preset "${units[@]}"
}

# No IPv6 on lab links (only 198.18.0.0/15 on the wire), as in the namespace lab. For each
# .network file the config writes, a vendor drop-in in the node's /usr (its "OS image", not the
# /etc that Ignition wrote): no link-local address, no router solicitations. Without it, a link
# stays "configuring" until its RAs time out, and network-online.target (etcd-member waits for
# it, as on Flatcar) comes ~12 s late on every boot.
sysd_no_ipv6() { # sysd_no_ipv6 I CONFIG
  local f dir
  for f in $(jq -r '.storage.files[]?.path | select(endswith(".network"))' "$2"); do
    dir=$(sysd_root "$1")/usr/lib/systemd/network/${f##*/}.d
    mkdir -p "$dir"
    printf '# clusterctl lab: no IPv6 on lab links (see test/lab/lib/sysd-node.sh)\n[Network]\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' >"$dir/10-clusterctl-lab.conf"
  done
}

# A fresh rootfs for node I (the node must be stopped) with CONFIG applied by Ignition. With
# NO_CONFIG=1 the node is what booting without its config leaves: the files are still put in
# place by applying CONFIG (as an administrator would by hand), but the only Ignition record is
# that of a run that found no user config (/etc/.ignition-result.json userConfigProvided false).
sysd_provision() { # sysd_provision I CONFIG [NO_CONFIG]
  local i=$1 config=$2 no_config=${3:-0} dir
  dir=$(node_dir "$i")
  sysd_unmount_under "$dir/root"
  rm -rf --one-file-system "$dir/upper" "$dir/work"
  : >"$dir/provision.log"
  sysd_mount_root "$i"
  sysd_ignition "$i" file "$config"
  sysd_preset_units "$i" "$config"
  sysd_no_ipv6 "$i" "$config"
  # The Kubernetes lab's certificates: files render's units name and the operator provides.
  if [[ -s $STATE_DIR/k8s-layer ]]; then k8s_install_pki "$i" "$dir/root"; fi
  if ((no_config)); then
    grep -q 'ignition\.config\.url' /proc/cmdline && die "the kernel command line names an Ignition config; fault no-ignition cannot run here"
    rm -f "$dir/root/etc/.ignition-result.json"
    sysd_ignition "$i" metal
  fi
  sha256sum <"$config" | cut -d' ' -f1 >"$dir/applied.sha"
}

# Boot node I in the background, in its own cgroups. Returns at once; sysd_wait_ready waits.
sysd_boot() {
  local i=$1 dir root cg extra=()
  dir=$(node_dir "$i")
  for root in $(sysd_cgroup_roots); do
    cg=$root/$SYSD_CGROUP/$(node_name "$i")
    mkdir -p "$cg"
  done
  # flannel's udp backend makes a tun device (flannel0).
  if [[ -c /dev/net/tun ]]; then extra+=(--bind=/dev/net/tun); fi
  rm -f "$dir/nspawn.pid"
  (
    for root in $(sysd_cgroup_roots); do echo "$BASHPID" >"$root/$SYSD_CGROUP/$(node_name "$i")/cgroup.procs"; done
    close_inherited_fds
    exec setsid systemd-nspawn -b -D "$dir/root" --machine="$(node_name "$i")" --register=no --keep-unit \
      --network-bridge="$BRIDGE" --console=read-only --resolv-conf=off --timezone=off --link-journal=no \
      "${extra[@]}"
  ) </dev/null >>"$dir/console.log" 2>&1 &
  local pid=$! tries
  echo "$pid" >"$dir/nspawn.pid"
  # The subshell becomes systemd-nspawn by exec; from then on sysd_nspawn_pid finds it.
  for ((tries = 0; tries < 100; tries++)); do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == bash ]] || break
    sleep 0.02
  done
}

# Ready = sshd accepts TCP on the node address and the node has made its host keys. Also turns
# IPv6 off on each node's host-side veth as soon as it exists.
sysd_wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) pending=("$@") still i veth
  while ((${#pending[@]} > 0)); do
    still=()
    for i in "${pending[@]}"; do
      veth=$(sysd_veth "$i")
      if [[ -e /proc/sys/net/ipv6/conf/$veth/disable_ipv6 ]]; then echo 1 >"/proc/sys/net/ipv6/conf/$veth/disable_ipv6" 2>/dev/null || true; fi
      if [[ -z $(sysd_nspawn_pid "$i") ]]; then
        log "node $i: systemd-nspawn exited; see $(node_dir "$i")/console.log"
        return 1
      fi
      if [[ -f $(node_dir "$i")/upper/etc/ssh/ssh_host_ed25519_key.pub ]] &&
        timeout 2 bash -c "exec 3<>/dev/tcp/$(node_addr "$i")/22" 2>/dev/null; then continue; fi
      still+=("$i")
    done
    pending=("${still[@]}")
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      for i in "${pending[@]}"; do log "node $i: no sshd after ${READY_TIMEOUT}s; see $(node_dir "$i")/console.log"; done
      return 1
    fi
    sleep 0.2
  done
}

# Wait (bounded) until UNIT is active on each listed node.
sysd_wait_unit() { # sysd_wait_unit UNIT I...
  local unit=$1 deadline=$((SECONDS + READY_TIMEOUT)) i
  shift
  for i in "$@"; do
    until [[ $(sysd_exec "$i" systemctl is-active "$unit" 2>/dev/null) == active ]]; do
      if ((SECONDS >= deadline)); then
        log "node $i: $unit is $(sysd_exec "$i" systemctl is-active "$unit" 2>/dev/null) after ${READY_TIMEOUT}s; last lines of its journal:"
        sysd_exec "$i" journalctl -u "$unit" -n 8 --no-pager >&2 || true
        return 1
      fi
      sleep 0.3
    done
  done
}

# Stop the listed nodes: SIGTERM to nspawn is an orderly poweroff; whatever still runs in their
# cgroups after LAB_STOP_TIMEOUT (default 20) seconds is killed. Then their cgroups, rootfs
# mounts and host-side veths are removed. Safe on nodes half started, stopped or unknown.
sysd_stop() {
  local i pid deadline=$((SECONDS + ${LAB_STOP_TIMEOUT:-20})) alive pids=() tries
  for i in "$@"; do
    pid=$(sysd_nspawn_pid "$i")
    if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  # A container still early in its boot has no handler yet for the poweroff signal nspawn passes
  # on, and loses it: ask again every 2 s until the deadline.
  for ((tries = 1; ; tries++)); do
    alive=0
    for i in "$@"; do [[ -n $(sysd_cgroup_pids "$i") ]] && alive=1 && break; done
    ((alive && SECONDS < deadline)) || break
    if ((tries % 10 == 0)); then
      for pid in "${pids[@]}"; do
        if pid_is_ours "$pid" systemd-nspawn; then kill -TERM "$pid" 2>/dev/null || true; fi
      done
    fi
    sleep 0.2
  done
  for i in "$@"; do sysd_kill_cgroup "$i"; done
  # An nspawn that exited is a zombie until PID 1 (not systemd here, and not us) reaps it: wait
  # a little, so that a `down` leaves not even those behind.
  for ((tries = 0; tries < 50; tries++)); do
    alive=0
    for pid in "${pids[@]}"; do [[ -e /proc/$pid ]] && alive=1 && break; done
    ((alive)) || break
    sleep 0.1
  done
  for i in "$@"; do
    rm -f "$(node_dir "$i")/nspawn.pid"
    sysd_unmount_under "$(node_dir "$i")/root"
    if [[ -e /sys/class/net/$(sysd_veth "$i") ]]; then ip link del "$(sysd_veth "$i")" 2>/dev/null || true; fi
    rmdir "/run/systemd/nspawn/propagate/$(node_name "$i")" 2>/dev/null || true
  done
}

# SIGKILL everything in node I's cgroups (or all the lab's), wait until they are empty, remove them.
sysd_kill_cgroup() {
  local root dir pids tries
  for ((tries = 0; tries < 50; tries++)); do
    pids=$(sysd_cgroup_pids "${1:-}")
    [[ -n $pids ]] || break
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  [[ -z $(sysd_cgroup_pids "${1:-}") ]] || log "warning: processes left in the lab cgroups of node ${1:-(all)}: $(sysd_cgroup_pids "${1:-}" | paste -sd' ')"
  for root in $(sysd_cgroup_roots); do
    dir=$root/$SYSD_CGROUP${1:+/$(node_name "$1")}
    if [[ -d $dir ]]; then find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    if [[ -n ${1:-} ]]; then rmdir "$root/$SYSD_CGROUP" 2>/dev/null || true; fi
  done
  return 0
}
