# shellcheck shell=bash
# kube-apiserver and kubelet v1.20.2 for the Kubernetes lab (LAB_K8S=1), built from Debian's own
# `kubernetes` source package (the one behind `kubernetes-client`) with Debian's golang-go. Debian
# bookworm ships no kube-apiserver or kubelet package; its source package is the full upstream
# tree with vendor/, so the build needs nothing but Debian's mirror. See docs/lab.md and
# shared notes kubernetes-build.md. Sourced by lab.sh (`lab.sh k8s-build` runs it alone).
#
# Cached in SYSD_CACHE/k8s-HASH/bin, HASH a hash of the recipe below (the Debian source version,
# the ldflags, the components, K8S_RECIPE_REV), like the systemd base image: built only when no
# cache of that hash exists. Bump K8S_RECIPE_REV whenever a build step changes.

K8S_VERSION=v1.20.2
K8S_DEB_VERSION=${LAB_K8S_DEB_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}
K8S_COMPONENTS=(kube-apiserver kubelet)
K8S_RECIPE_REV=1
# One `go build` job at a time by default: the machine has 2 cores, shared (LAB_K8S_BUILD_JOBS).
K8S_BUILD_JOBS=${LAB_K8S_BUILD_JOBS:-1}
K8S_SRC_LIST=/etc/apt/sources.list.d/clusterctl-lab-src.sources

# What the build needs, one "COMMAND PACKAGE" line each (lib/prereqs.sh ensure_packages).
k8s_build_needs() {
  # make generated_files builds its generators from vendor/ and copies with rsync; reflect2 1.0.2
  # replaces the vendored 1.0.1, which crashes under Go >= 1.18 (see k8s_build); its directory is
  # the "command" (have_command tests -x, true for a directory).
  printf '%s\n' 'go golang-go' 'make make' 'rsync rsync' \
    '/usr/share/gocode/src/github.com/modern-go/reflect2 golang-github-modern-go-reflect2-dev'
}

# The version flags hack/lib/version.sh sets. In GOPATH mode the packages are the vendored ones
# (a -X for k8s.io/component-base/... is silently ignored), and both version packages need them:
# the apiserver logs its version from component-base and serves /version from client-go.
k8s_ldflags() {
  local pkg flags='-s -w'
  for pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=archive"
    flags+=" -X $pkg.buildDate=${K8S_BUILD_DATE:-unknown}"
  done
  printf '%s' "$flags"
}

k8s_recipe_hash() {
  printf '%s\n' "$K8S_RECIPE_REV" "$K8S_VERSION" "$K8S_DEB_VERSION" "${K8S_COMPONENTS[*]}" \
    "$(K8S_BUILD_DATE=- k8s_ldflags)" | sha256sum | cut -c1-16
}

k8s_bin_dir() { printf '%s/k8s-%s/bin' "$SYSD_CACHE" "$(k8s_recipe_hash)"; }

# The machine's deb822 sources have no deb-src: add a stanza for each of its mirrors and suites,
# unless some source already offers deb-src.
k8s_ensure_deb_src() {
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  [[ -f $SYSD_SOURCES ]] || die "no $SYSD_SOURCES: the Kubernetes source comes from the machine's Debian mirror; add a deb-src line yourself"
  log "adding deb-src for the machine's mirrors: $K8S_SRC_LIST"
  { echo "# written by clusterctl test/lab/lib/k8s-build.sh: Debian's kubernetes source package"
    sed 's/^Types: deb$/Types: deb-src/' "$SYSD_SOURCES"; } >"$K8S_SRC_LIST"
  apt-get update -q >&2 || die "apt-get update failed after adding $K8S_SRC_LIST"
}

# Build the binaries unless cached; print the directory that holds them.
ensure_k8s_binaries() {
  local bin dir
  bin=$(k8s_bin_dir)
  dir=$(dirname "$bin")
  mkdir -p "$SYSD_CACHE"
  exec 7>"$SYSD_CACHE/.k8s-build.lock"
  flock -w 3600 7 || die "another Kubernetes build holds $SYSD_CACHE/.k8s-build.lock"
  if [[ ! -f $dir/.complete ]]; then
    ensure_packages k8s_build_needs
    k8s_ensure_deb_src
    k8s_build "$dir" || { exec 7>&-; die "the Kubernetes build failed (log: $dir.tmp/build.log, kept)"; }
  fi
  # Builds of other recipes are 220 MB each; nothing runs them (the node layer has its own copies).
  local old
  for old in "$SYSD_CACHE"/k8s-*; do
    [[ $old == "$dir" || ! -d $old || ${old##*/} =~ ^k8s-layer- ]] && continue
    rm -rf --one-file-system "$old"
  done
  exec 7>&-
  printf '%s' "$bin"
}

# The build proper, in DIR.tmp (renamed to DIR when done). Its output goes to DIR.tmp/build.log;
# on failure the log's tail is shown and the directory kept for a look.
k8s_build() {
  local dir=$1 tmp=$1.tmp start=$SECONDS tree gopath comp
  rm -rf --one-file-system "$tmp"
  mkdir -p "$tmp/src" "$tmp/bin"
  log "building ${K8S_COMPONENTS[*]} $K8S_VERSION from Debian's kubernetes $K8S_DEB_VERSION source into $dir" \
    "(many minutes on 2 cores; log $tmp/build.log)"
  if ! (
    set -euo pipefail
    exec >"$tmp/build.log" 2>&1 </dev/null
    cd "$tmp/src"
    # Only the tarballs: unpacking with dpkg-source would apply Debian's patches, which concern
    # its kubectl build. The .orig tarball is the upstream tree with vendor/.
    apt-get source --download-only "kubernetes=$K8S_DEB_VERSION"
    tar -xzf kubernetes_"${K8S_DEB_VERSION%%-*}".orig.tar.gz
    tree=$(find . -mindepth 1 -maxdepth 1 -type d | head -1)
    [[ -f $tree/cmd/kube-apiserver/apiserver.go ]] || { echo "no kubernetes tree in the .orig tarball"; exit 1; }
    # Go >= 1.18 trap: the vendored modern-go/reflect2 1.0.1 faults at run time (first map
    # JSON-encoded); Debian's 1.0.2 is API-compatible.
    rm -rf "$tree/vendor/github.com/modern-go/reflect2"
    cp -a /usr/share/gocode/src/github.com/modern-go/reflect2 "$tree/vendor/github.com/modern-go/reflect2"
    # Kubernetes 1.20 builds in GOPATH mode: go build -mod=vendor wants go.mod updates.
    gopath=$tmp/gopath
    mkdir -p "$gopath/src/k8s.io"
    ln -s "$(cd "$tree" && pwd)" "$gopath/src/k8s.io/kubernetes"
    export GOPATH=$gopath GO111MODULE=off CGO_ENABLED=0 GOCACHE=$tmp/gocache GOFLAGS=
    go version
    cd "$gopath/src/k8s.io/kubernetes"
    # openapi and the other generated code; without it: undefined: openapi.GetOpenAPIDefinitions.
    make generated_files
    for comp in "${K8S_COMPONENTS[@]}"; do
      echo "== go build ./cmd/$comp"
      go build -p "$K8S_BUILD_JOBS" -trimpath -ldflags "$(K8S_BUILD_DATE=$(date -u +%FT%TZ) k8s_ldflags)" \
        -o "$tmp/bin/$comp" "./cmd/$comp"
    done
    "$tmp/bin/kube-apiserver" --version
    "$tmp/bin/kubelet" --version
  ); then
    log "Kubernetes build failed after $((SECONDS - start))s; the end of $tmp/build.log:"
    tail -n 30 "$tmp/build.log" >&2
    return 1
  fi
  # The tree, GOPATH and Go cache are ~2 GB; keep the binaries and the log.
  rm -rf --one-file-system "$tmp/src" "$tmp/gopath" "$tmp/gocache"
  echo "$((SECONDS - start))" >"$tmp/build-seconds"
  date -u +%FT%TZ >"$tmp/.complete"
  mv "$tmp" "$dir"
  log "Kubernetes $K8S_VERSION (${K8S_COMPONENTS[*]}) built in $((SECONDS - start))s:" \
    "$(du -sh "$dir/bin" | cut -f1) in $dir/bin"
}

# Debian's kubectl (kubernetes-client, same source version), the operator's client in the lab.
# Unpacked from its .deb into the cache rather than installed: a machine may have another
# package's /usr/bin/kubectl (this kind of machine has a newer, unrelated one), and the lab must
# use Debian's whatever PATH finds. Prints its path.
ensure_debian_kubectl() {
  local dir=$SYSD_CACHE/kubernetes-client-$K8S_DEB_VERSION tmp
  if [[ ! -x $dir/usr/bin/kubectl ]]; then
    if apt_lists_stale; then apt-get update -q >&2 || die "apt-get update failed"; fi
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q "kubernetes-client=$K8S_DEB_VERSION") >&2 2>"$tmp/download.log" ||
      { cat "$tmp/download.log" >&2; rm -rf "$tmp"; die "apt-get download kubernetes-client=$K8S_DEB_VERSION failed"; }
    rm -rf "$dir.tmp"
    dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$dir.tmp" || { rm -rf "$tmp"; die "dpkg-deb could not unpack kubernetes-client"; }
    rm -rf "$tmp"
    mv "$dir.tmp" "$dir"
  fi
  printf '%s' "$dir/usr/bin/kubectl"
}
