# shellcheck shell=bash
# Host preparation that `up` needs: packages, the login user, runtime directories. Sourced.

# Install what is missing. CI is a fresh Debian 12 where .ci/run already ran `apt-get update`.
ensure_packages() {
  local missing=()
  command -v sshd >/dev/null || [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null && command -v nsenter >/dev/null || missing+=(util-linux)
  command -v ps >/dev/null || missing+=(procps)
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  # Keep the package's own service from starting a host-wide sshd on 0.0.0.0:22: the lab wants
  # only its per-node daemons. policy-rc.d is the Debian way to say "don't start services".
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
    { ((own_policy)) && rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  ((own_policy)) && rm -f "$policy"
  return 0
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
