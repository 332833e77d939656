#!/usr/bin/env bash
# One-time tweaks of the systemd lab's base image, run on the host by lib/sysd-base.sh after
# mmdebstrap: `tweak.sh BASE`. Part of the base image's hash: changing this file (or packages,
# or anything under rootfs/) rebuilds the base.
set -euo pipefail
base=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The lab's own files: etcd-member.service, the flanneld stand-in, sshd-keygen, sshd and sysctl
# drop-ins, sudoers (%sudo needs no password, as Flatcar's wheel and sudo). Modes are set here,
# not taken from git (which keeps only the exec bit).
cp -a --no-preserve=ownership "$here/rootfs/." "$base/"
chmod 0440 "$base/etc/sudoers.d/10-clusterctl-lab"
chmod 0755 "$base/usr/lib/clusterctl-lab/flanneld-standin"

# Container Linux's network stack: networkd applies /etc/systemd/network, resolved serves the stub.
systemctl -q --root="$base" enable systemd-networkd.service systemd-resolved.service
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$base/etc/resolv.conf"
# Debian's own etcd.service would start a default member: etcd-member.service is the unit here.
# Masked, not disabled: the first boot's preset-all could enable it again.
systemctl -q --root="$base" mask etcd.service
# Timers and a getty that only cost time and CPU in a lab node.
systemctl -q --root="$base" mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer getty@tty1.service

# Flatcar's image already has the user core (uid 500) in the groups that let it read the journal
# and sudo without a password; Ignition then only adds its keys. Debian's has no core: make it
# the same way, so a node provisioned here gives core what a Flatcar node does.
useradd --root "$base" -K UID_MIN=500 --uid 500 --user-group --create-home --shell /bin/bash \
  --groups sudo,systemd-journal --password '*' core

# What each node makes for itself on first boot: SSH host keys (sshd-keygen.service), the
# machine-id (systemd; empty = first boot), the hostname (Ignition writes /etc/hostname).
rm -f "$base"/etc/ssh/ssh_host_*
: >"$base/etc/machine-id"
rm -f "$base/var/lib/dbus/machine-id" "$base/etc/hostname"
# No apt lists or caches in the image (they are only needed to build it).
rm -rf "$base"/var/lib/apt/lists/* "$base"/var/cache/apt/*.bin
