# shellcheck shell=bash
# The systemd lab's base image: one Debian bookworm rootfs (mmdebstrap, minbase + the packages in
# systemd/packages, tweaked by systemd/tweak.sh with the files of systemd/rootfs/), shared
# read-only by every node as the lower layer of its overlay. Cached under SYSD_CACHE by a hash of
# those inputs; built only when no base with that hash exists. Sourced.

SYSD_SRC="$LAB_DIR/systemd"
SYSD_CACHE=${LAB_SYSTEMD_CACHE:-/var/cache/clusterctl-lab}
SYSD_SOURCES=/etc/apt/sources.list.d/debian.sources

# The hash of everything that goes into the base: the package list, the tweak script, and every
# file (path, mode, content) it copies in. 16 hex digits.
sysd_base_hash() {
  (
    cd "$SYSD_SRC"
    sha256sum packages tweak.sh
    find rootfs -type f | LC_ALL=C sort | while read -r f; do
      if [[ -x $f ]]; then echo "x $(sha256sum "$f")"; else echo "- $(sha256sum "$f")"; fi
    done
  ) | sha256sum | cut -c1-16
}

sysd_base_dir() { printf '%s/base-%s' "$SYSD_CACHE" "$(sysd_base_hash)"; }

# Is DIR the lower layer of a mounted overlay (some lab's node still uses it)?
sysd_base_in_use() { grep -qF "lowerdir=$1," /proc/self/mounts || grep -qF "lowerdir=$1 " /proc/self/mounts; }

# Build the base unless the cached one has the current hash; print its path. Bases of other
# hashes that no mounted node uses are removed (273 MB each). A build killed half-way leaves only
# a *.tmp directory, removed by the next build; the finished base appears by one rename.
ensure_sysd_base() {
  local base tmp packages start=$SECONDS old
  base=$(sysd_base_dir)
  mkdir -p "$SYSD_CACHE"
  exec 8>"$SYSD_CACHE/.build.lock"
  flock -w 900 8 || die "another base image build holds $SYSD_CACHE/.build.lock"
  if [[ ! -f $base/.complete ]]; then
    for old in "$SYSD_CACHE"/base-*.tmp; do
      [[ -e $old ]] || continue
      sysd_unmount_under "$old"
      rm -rf --one-file-system "$old"
    done
    command -v mmdebstrap >/dev/null || die "the systemd lab needs mmdebstrap: apt-get install mmdebstrap"
    [[ -f $SYSD_SOURCES ]] || die "no $SYSD_SOURCES: the base image is built from the machine's Debian mirrors"
    packages=$(grep -v '^#' "$SYSD_SRC/packages" | paste -sd, -)
    tmp=$base.tmp
    log "building the systemd lab's base image $base (bookworm minbase + $packages)"
    # The machine's own deb822 sources (its mirror URLs and keyring) become the chroot's.
    mmdebstrap --quiet --mode=root --variant=minbase --include="$packages" \
      bookworm "$tmp" "$SYSD_SOURCES" >&2 || { rm -rf --one-file-system "$tmp"; die "mmdebstrap failed (see above)"; }
    bash "$SYSD_SRC/tweak.sh" "$tmp" >&2 || { rm -rf --one-file-system "$tmp"; die "$SYSD_SRC/tweak.sh failed (see above)"; }
    date -u +%FT%TZ >"$tmp/.complete"
    mv "$tmp" "$base"
    log "base image built in $((SECONDS - start))s: $(du -sh "$base" | cut -f1)"
  fi
  for old in "$SYSD_CACHE"/base-*; do
    [[ $old == "$base" || $old == *.tmp || ! -d $old ]] && continue
    sysd_base_in_use "$old" || rm -rf --one-file-system "$old"
  done
  exec 8>&-
  printf '%s' "$base"
}

# Unmount every mount point at or below DIR, deepest first (a build or a node killed half-way).
sysd_unmount_under() {
  local dir=$1 m
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}
