# shellcheck shell=sh
# shellcheck disable=SC1007 # `ip_route= ip_link=`, `line=`: variables set empty, on purpose
# shellcheck disable=SC2154 # $pid1 and $units are set by the init and units sections (keepAs, through eval)
# shellcheck disable=SC2231 # $d is one of five constant directories, none with a space or a glob character
# The probe's own functions (facts/probe.ts PROBE_FUNCTIONS), for its sections. Whole-line
# comments are not sent (scripts/embed-sh.mjs).
# systemd answers only where it is PID 1 ($pid1, from the init section): elsewhere systemctl
# fails (~3 ms of CPU for nothing), and no check reads unit states without systemd. Asked
# when PID 1's name could not be read.
pid1_may_be_systemd() { [ -z "$pid1" ] || [ "$pid1" = systemd ]; }
systemctl() { pid1_may_be_systemd || { echo "systemctl: not run: PID 1 is $pid1, not systemd" >&2; return 1; }; command systemctl "$@"; }
# flanneld.service and its drop-ins where systemctl cannot say (no systemd): "# PATH" then the
# file, 16 KiB at most each, which the reader puts in systemd's order.
flanneld_unit_files() {
  local d f
  set --
  for d in /etc /run /usr/local/lib /usr/lib /lib; do
    for f in $d/systemd/system/flanneld.service $d/systemd/system/flanneld.service.d/*.conf; do [ -f "$f" ] && set -- "$@" "$f"; done
  done
  [ $# -gt 0 ] || return 1
  for f; do echo "# $f"; first 16384 "$f"; echo; done
}
# flanneld.service as `flanneld_unit systemctl cat --no-pager flanneld.service` (or
# `flanneld_unit flanneld_unit_files`) prints it, "| " before each line; then each file an
# EnvironmentFile= line names (Container Linux's /run/flannel/options.env, where
# FLANNELD_ETCD_ENDPOINTS often is): "environment-file PATH" and its first 4 KiB, "| " before
# each line, or "environment-file-missing PATH". The paths come from the node's own unit, never
# from the inventory; relative ones and globs are not read. Under bash the unit's text goes
# through the scratch file, so this costs no process of its own.
flanneld_unit() {
  local t p line
  if [ -n "${BASH_VERSION-}" ] && [ -n "$X" ]; then
    "$@" >"$X" || return
    local lim=81921 out len; slurp "$X"; t=$out
  else t=$("$@" && echo .) || return; t=${t%.}; fi
  quoted printf %s "$t"
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    case $line in EnvironmentFile=*|EnvironmentFile[[:space:]]*=*) p=${line#*=};; *) continue;; esac
    p=${p#"${p%%[![:space:]]*}"} p=${p%"${p##*[![:space:]]}"} p=${p#-}
    case $p in /*) ;; *) continue;; esac
    if [ -f "$p" ]; then printf "environment-file %s\n" "$p"; quoted first 4096 "$p"; else printf "environment-file-missing %s\n" "$p"; fi
  done <<EOF
$t
EOF
}
# `ip_json addr|route|link`: that table as `ip -j -d` prints it. `addr` runs one `ip -b` for all
# three (one process, not three), into the scratch file $X (no command substitution: that would
# fork a subshell around ip), and keeps the other two lines for the sections after it; under the
# POSIX path each attempt is a subshell, so nothing is kept and the sections fall back to their
# own `ip`. Fails (the section's next attempt runs) where ip has no -j or -b, or one table failed.
ip_json() {
  local line=
  case $1 in
    addr)
      ip_route= ip_link=
      [ -n "$X" ] || return
      ip -j -d -b - >"$X" 2>/dev/null <<EOF || return
addr show
route show
link show
EOF
      { IFS= read -r line; IFS= read -r ip_route; IFS= read -r ip_link; } <"$X";;
    route) line=${ip_route-};;
    *) line=${ip_link-};;
  esac
  [ -n "$line" ] && printf "%s\n" "$line"
}
# The flanneld on PATH (a hand-installed one); the flannel-wrapper's runs in a container.
# Bounded by `timeout`: a flanneld too old to know --version would start instead.
flanneld_version() {
  command -v flanneld >/dev/null && command -v timeout >/dev/null || return
  capped 200 timeout 2 flanneld --version
}
# Kubernetes: each running kubelet, kube-apiserver or hyperkube, "process PID NAME uid R E S F"
# (the Uid: line of /proc/PID/status; "uid ?" when unreadable). Any user can start a process named
# kubelet, so only a root one's arguments are printed (one a line, "| " before each, read after
# its uid: a PID an impostor takes over later is no root process), and at most 8 others are
# listed (impostors cannot crowd the section past its budget).
# comm and status are read by the shell; a root match costs one process (tr). No inventory
# text: the kube.* checks learn from this what to ask in the batch, and re-check the PID there.
kube_procs() {
  local d c k u n=0
  for d in /proc/[0-9]*; do
    c=; { read -r c <"$d/comm"; } 2>/dev/null || continue
    case $c in kubelet|kube-apiserver|hyperkube) ;; *) continue;; esac
    u=; { while read -r k u && [ "$k" != Uid: ]; do :; done <"$d/status"; } 2>/dev/null
    set -- process ${d#/proc/} $c uid ${u:-\?}
    case "$*" in *" uid 0 0 0 0") echo "$*"; quoted tr "\000" "\n" <"$d/cmdline";; *) n=$((n+1)); [ $n -gt 8 ] || echo "$*";; esac
  done
}
# kubelet.service and kube-apiserver.service as systemd merges them, where systemd knows them
# ("unit NAME", then the text, "| " before each line): what starts next time.
kube_units() {
  local u
  [ "$pid1" = systemd ] || return 1
  for u in kubelet.service kube-apiserver.service; do
    case $units in *"$u"*) echo "unit $u"; quoted systemctl cat --no-pager "$u";; esac
  done
}
# The CNI configs the runtime reads ("file NAME" each, in the glob's order, which is the
# runtime's), then the first one's text ("| " before each line). No directory: status 1.
cni_config() {
  local f first=
  [ -d /etc/cni/net.d ] || return 1
  for f in /etc/cni/net.d/*; do
    [ -f "$f" ] || continue
    echo "file ${f##*/}"
    case $f in *.conf|*.conflist|*.json) [ -n "$first" ] || first=$f;; esac
  done
  [ -z "$first" ] || { echo text; quoted first 8192 "$first"; }
  return 0
}
# The last lines of each failed service's journal (at most 8 units × 5 lines × 200 bytes),
# "| " before each line: a log line can be written by anyone and must never read as a marker.
# Some systemd versions print "●" before a failed unit even with --plain.
failed_journals() {
  local list a b rest u k=0 j line
  pid1_may_be_systemd || return 0
  list=$(systemctl --failed --type=service --no-legend --plain --no-pager)
  while read -r a b rest && [ $k -lt 8 ]; do
    k=$((k+1))
    case $a in *.service) u=$a;; *) u=$b;; esac
    case $u in *.service) ;; *) continue;; esac
    echo "unit $u"
    j=$(journalctl -u "$u" -n 5 --no-pager -o cat 2>&1)
    [ -z "$j" ] || while IFS= read -r line; do printf "| %.200s\n" "$line"; done <<EOF
$j
EOF
  done <<EOF
$list
EOF
}
