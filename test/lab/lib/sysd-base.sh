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

# Is DIR a lower layer of a mounted overlay (some lab's node still uses it)? A Kubernetes lab's
# node has two: lowerdir=LAYER:BASE.
sysd_base_in_use() {
  awk -v d="$1" '$3 == "overlay" {
      n = split($4, opt, ",")
      for (i = 1; i <= n; i++) if (opt[i] ~ /^lowerdir=/) {
        m = split(substr(opt[i], 10), dirs, ":")
        for (j = 1; j <= m; j++) if (dirs[j] == d) found = 1
      }
    } END { exit !found }' /proc/self/mounts
}

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
    sysd_mmdebstrap "$packages" "$tmp"
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

# mmdebstrap of the base into TMP, verbose, its output in TMP.log (not on the terminal), one retry
# from scratch; on a second failure, the log's tail and the log's path.
# Why it failed under lab.sh ("apt download failed") and not by hand: mmdebstrap hands apt its
# hook fd as the next free one and apt runs `cat >&N` through /bin/sh, which is dash: dash reads
# only one-digit fds ("Syntax error: Bad fd number" for >&11). lab.sh holds fds 8 and 9 (locks),
# a caller's flock another, so N reached 10+. mmdebstrap runs with fds 0-2 only.
sysd_mmdebstrap() { # sysd_mmdebstrap PACKAGES TMP
  local packages=$1 tmp=$2 try
  for try in 1 2; do
    # The machine's own deb822 sources (its mirror URLs and keyring) become the chroot's.
    if (close_inherited_fds; exec mmdebstrap --verbose --mode=root --variant=minbase --include="$packages" \
      bookworm "$tmp" "$SYSD_SOURCES") </dev/null >"$tmp.log" 2>&1; then
      return 0
    fi
    sysd_unmount_under "$tmp"
    rm -rf --one-file-system "$tmp"
    if ((try == 1)); then log "mmdebstrap failed (log $tmp.log: $(tail -n 1 "$tmp.log")); retrying once"; fi
  done
  log "mmdebstrap failed twice; the end of $tmp.log:"
  tail -n 30 "$tmp.log" >&2
  die "could not build the systemd lab's base image (full log: $tmp.log)"
}

# Unmount every mount point at or below DIR, deepest first (a build or a node killed half-way).
sysd_unmount_under() {
  local dir=$1 m
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}
