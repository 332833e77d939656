# shellcheck shell=bash
# Host preparation that `up` needs: packages, the login user, runtime directories. Sourced.

# What the requested lab needs, one "COMMAND PACKAGE" line each: a command that is missing (an
# absolute path: that file is not executable) means its Debian package gets installed. The base
# lab always; each opt-in variant adds its own lines (LAB_FLANNEL and LAB_ISOLATED need nothing
# beyond the base: iproute2 makes their vxlan devices and bridges; LAB_NODES=systemd needs its own).
lab_needs() {
  cat <<'NEEDS'
/usr/sbin/sshd openssh-server
ssh-keygen openssh-client
ssh openssh-client
ip iproute2
unshare util-linux
nsenter util-linux
setsid util-linux
flock util-linux
ps procps
NEEDS
  if [[ ${LAB_NODES:-} == systemd ]]; then
    # lib/sysd*.sh: nspawn containers, a base image built by mmdebstrap, Debian's full Ignition
    # binary (not on PATH) to provision them, jq to read their configs. etcd runs in the nodes.
    printf '%s\n' 'systemd-nspawn systemd-container' 'mmdebstrap mmdebstrap' \
      '/usr/lib/dracut/modules.d/30ignition/ignition ignition' 'jq jq'
  elif etcd_requested; then
    # lib/etcd.sh runs /usr/bin/etcd and bind-mounts over /usr/bin/etcdctl: Debian's paths.
    printf '%s\n' '/usr/bin/etcd etcd-server' '/usr/bin/etcdctl etcd-client'
  fi
  if [[ ${LAB_FLANNEL:-0} == 1 || ${LAB_FLANNEL:-0} == guide ]]; then
    # flannel.datapath pings across the overlay (Debian's ping is iputils, as Flatcar's is); the
    # datapath faults and the lab test's packet counters are iptables rules in the nodes' namespaces.
    printf '%s\n' 'ping iputils-ping' 'iptables iptables'
  fi
  if [[ ${LAB_NODES:-} == systemd && ${LAB_K8S:-0} == 1 ]]; then
    # lib/k8s-pki.sh: the Kubernetes lab's certificates (the build installs its own: k8s-build.sh).
    printf '%s\n' 'openssl openssl'
  fi
  if [[ ${LAB_ETCD_TLS:-0} == 1 ]]; then
    # lib/etcd-tls.sh: certificates, and the sudoers rule core's `sudo -n` runs under.
    printf '%s\n' 'openssl openssl' '/usr/bin/sudo sudo' '/usr/sbin/visudo sudo'
  fi
}

have_command() {
  if [[ $1 == /* ]]; then [[ -x $1 ]]; else command -v "$1" >/dev/null; fi
}

# The packages of NEEDS (a function printing lab_needs' lines; default lab_needs) whose command
# is missing, each once.
missing_packages() {
  local cmd pkg seen=' '
  while read -r cmd pkg; do
    if ! have_command "$cmd" && [[ $seen != *" $pkg "* ]]; then
      seen+="$pkg "
      echo "$pkg"
    fi
  done < <("${1:-lab_needs}")
}

# The package lists are missing (a fresh Debian image ships none: `apt-get install` then finds
# nothing) or were last refreshed over a day ago (the versions they name may be gone from the
# mirror). apt stamps each list with the server's Last-Modified, which for a stable suite can be
# months old right after an update; but every update rewrites each *Release file, so their
# ctime is when the lists were last refreshed.
apt_lists_stale() {
  local lists=/var/lib/apt/lists
  compgen -G "$lists/*_Packages*" >/dev/null || return 0
  [[ -z $(find "$lists" -maxdepth 1 -type f -name '*Release' -cmin -1440 -print -quit 2>/dev/null) ]]
}

# The service a package enables on install (Debian's postinst), which the lab never wants
# host-wide: its daemons run per node, in the node's namespaces.
host_service_of() {
  case $1 in
    openssh-server) echo ssh ;;
    etcd-server) echo etcd ;;
  esac
}

package_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == 'install ok installed' ]]
}

POLICY_RC=/usr/sbin/policy-rc.d
POLICY_SAVED=/usr/sbin/policy-rc.d.clusterctl-lab-saved
POLICY_MARK='written by clusterctl test/lab/lib/prereqs.sh'

# policy-rc.d is the Debian way to say "don't start services": invoke-rc.d and deb-systemd-invoke
# (what postinst scripts call) ask it first, and exit 101 means "not now". A policy already there
# that denies is used as is; any other is set aside and put back after (also on exit or Ctrl-C).
deny_service_starts() {
  trap restore_service_policy EXIT
  grep -qsF "$POLICY_MARK" "$POLICY_RC" && return 0   # ours, left by an interrupted run
  if [[ -x $POLICY_RC ]]; then
    local rc=0
    "$POLICY_RC" etcd start >/dev/null 2>&1 || rc=$?
    ((rc == 101)) && return 0
  fi
  if [[ -e $POLICY_RC ]]; then mv "$POLICY_RC" "$POLICY_SAVED"; fi
  printf '#!/bin/sh\n# %s while it installs packages\nexit 101\n' "$POLICY_MARK" >"$POLICY_RC"
  chmod 0755 "$POLICY_RC"
}

restore_service_policy() {
  if grep -qsF "$POLICY_MARK" "$POLICY_RC"; then rm -f "$POLICY_RC"; fi
  if [[ -e $POLICY_SAVED ]]; then mv "$POLICY_SAVED" "$POLICY_RC"; fi
  trap - EXIT
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Packages the lab installed must not leave a host-wide daemon behind: policy-rc.d kept it from
# starting now; disabling it keeps it from starting at the next boot (the postinst enabled it).
# Where systemd runs, --now also stops it should anything have started it all the same.
disable_host_services() {
  local pkg svc now=()
  [[ -d /run/systemd/system ]] && now=(--now)
  for pkg in "$@"; do
    svc=$(host_service_of "$pkg")
    [[ -n $svc ]] || continue
    if command -v systemctl >/dev/null; then
      systemctl disable "${now[@]}" --quiet "$svc.service" 2>/dev/null || true
    else
      deb-systemd-helper disable "$svc.service" >/dev/null 2>&1 || true
      update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
    log "$svc.service disabled: the lab runs its own $svc per node, never a host-wide one"
  done
}

# Install what the requested lab needs and is missing, with apt-get (Debian, Ubuntu). NEEDS: as
# for missing_packages (lib/k8s-build.sh passes its own).
ensure_packages() {
  local needs=${1:-lab_needs} missing new=() pkg still
  mapfile -t missing < <(missing_packages "$needs")
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "the lab needs ${missing[*]} (Debian package names); install them, then run up again"
  for pkg in "${missing[@]}"; do package_installed "$pkg" || new+=("$pkg"); done
  if apt_lists_stale; then
    log "apt-get update (the package lists are missing or over a day old)"
    apt-get update -q >&2 || die "apt-get update failed"
  fi
  log "installing ${missing[*]}"
  deny_service_starts
  if ! apt_install "${missing[@]}" >&2; then
    # Lists younger than a day can still name a version the mirror has replaced.
    log "apt-get install failed; refreshing the package lists and trying once more"
    apt-get update -q >&2 && apt_install "${missing[@]}" >&2 ||
      { restore_service_policy; die "apt-get install ${missing[*]} failed"; }
  fi
  restore_service_policy
  if ((${#new[@]} > 0)); then disable_host_services "${new[@]}"; fi
  mapfile -t still < <(missing_packages "$needs")
  ((${#still[@]} == 0)) || die "still missing after apt-get install: ${still[*]}"
}

# The login user of every node. No password, but not "locked" either: with UsePAM no, sshd refuses
# even key logins for an account whose shadow password starts with '!' (useradd's default).
ensure_user() {
  id "$LAB_USER" >/dev/null 2>&1 || useradd -m -s /bin/sh "$LAB_USER"
  if getent shadow "$LAB_USER" | cut -d: -f2 | grep -q '^!'; then
    usermod -p '*' "$LAB_USER"
  fi
}

ensure_runtime_dirs() {
  mkdir -p /run/sshd      # sshd's privilege-separation directory
  chmod 0755 /run/sshd
  # Mount point for each node's private /run/flannel (bound inside the node's mount namespace).
  mkdir -p /run/flannel
}
