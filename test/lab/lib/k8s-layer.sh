# shellcheck shell=bash
# The Kubernetes lab's node layer (LAB_NODES=systemd LAB_K8S=1): what a node needs to run the
# kubelet and kube-apiserver that `clusterctl render` configures, as an overlay layer over the
# systemd lab's base image, which stays as it is. Holds Debian's containerd, runc,
# containernetworking-plugins and iptables (test/lab/kubernetes/packages), the lab's files for a
# kubelet inside nspawn (test/lab/kubernetes/rootfs), and kubelet + kube-apiserver in /opt/bin
# (lib/k8s-build.sh). Cached in SYSD_CACHE/k8s-layer-HASH by a hash of all that and the base.
# Sourced.

K8S_LAYER_SRC="$LAB_DIR/kubernetes"

k8s_layer_hash() { # k8s_layer_hash BASE
  (
    echo "base ${1##*/}"
    echo "binaries $(k8s_recipe_hash)"
    cd "$K8S_LAYER_SRC"
    sha256sum packages
    find rootfs -type f | LC_ALL=C sort | while read -r f; do echo "$(stat -c %a "$f") $(sha256sum "$f")"; done
  ) | sha256sum | cut -c1-16
}

# Build the layer unless cached; print its path. The build installs the packages with apt-get in
# a chroot of an overlay (base below, the new layer above) in a private mount namespace, so
# nothing is mounted on the host afterwards and the layer holds only what changed.
ensure_k8s_layer() { # ensure_k8s_layer BASE BIN_DIR
  local base=$1 bin=$2 layer tmp start=$SECONDS packages old
  layer=$SYSD_CACHE/k8s-layer-$(k8s_layer_hash "$base")
  exec 6>"$SYSD_CACHE/.k8s-layer.lock"
  flock -w 900 6 || die "another build holds $SYSD_CACHE/.k8s-layer.lock"
  if [[ ! -f $layer/.k8s-layer-complete ]]; then
    tmp=$layer.tmp
    rm -rf --one-file-system "$tmp"
    mkdir -p "$tmp/upper" "$tmp/work" "$tmp/root"
    packages=$(grep -v '^#' "$K8S_LAYER_SRC/packages" | xargs)
    log "building the Kubernetes node layer $layer ($packages, kubelet, kube-apiserver; log $tmp/build.log)"
    if ! unshare -m --propagation private bash -euo pipefail -c '
      tmp=$1 base=$2 bin=$3 src=$4 packages=$5
      root=$tmp/root
      mount -t overlay overlay -o "lowerdir=$base,upperdir=$tmp/upper,workdir=$tmp/work" "$root"
      mount -t proc proc "$root/proc"
      mount --rbind /dev "$root/dev"
      mount -t tmpfs tmpfs "$root/run"
      mount -t tmpfs tmpfs "$root/tmp"
      # The base resolves through resolved stub, which is not running here: the host resolver.
      mkdir -p "$root/run/systemd/resolve"
      cat /etc/resolv.conf >"$root/run/systemd/resolve/stub-resolv.conf"
      printf "#!/bin/sh\nexit 101\n" >"$root/usr/sbin/policy-rc.d"
      chmod 0755 "$root/usr/sbin/policy-rc.d"
      chroot "$root" apt-get update -q
      # shellcheck disable=SC2086
      chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages
      chroot "$root" apt-get clean
      rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root/usr/sbin/policy-rc.d"
      cp -a --no-preserve=ownership "$src/rootfs/." "$root/"
      install -d "$root/opt/bin"
      install -m 0755 "$bin/kubelet" "$bin/kube-apiserver" "$root/opt/bin/"
      systemctl -q --root="$root" enable clusterctl-lab-no-metadata.service
      # Debian enables containerd; the kubelet unit (render) Wants it as well.
      systemctl -q --root="$root" is-enabled containerd.service
    ' k8s-layer "$tmp" "$base" "$bin" "$K8S_LAYER_SRC" "$packages" >"$tmp/build.log" 2>&1; then
      log "the Kubernetes node layer build failed; the end of $tmp/build.log:"
      tail -n 25 "$tmp/build.log" >&2
      exec 6>&-
      die "could not build the Kubernetes node layer"
    fi
    rm -rf "$tmp/work" "$tmp/root"
    date -u +%FT%TZ >"$tmp/upper/.k8s-layer-complete"
    mv "$tmp/upper" "$layer"
    rm -rf "$tmp"
    log "Kubernetes node layer built in $((SECONDS - start))s: $(du -sh "$layer" | cut -f1)"
  fi
  for old in "$SYSD_CACHE"/k8s-layer-*; do
    [[ $old == "$layer" || ! -d $old ]] && continue
    sysd_base_in_use "$old" || rm -rf --one-file-system "$old"
  done
  exec 6>&-
  printf '%s' "$layer"
}
