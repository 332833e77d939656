# shellcheck shell=sh
# flannel.datapath's request (facts/gatherers/datapath.ts builds the calls, every peer's address
# an argument quoted by util/shell.ts): echoes from this node to k peers across the overlay.
# Each result is one line `I KIND RC SIZE TEXT`, printed with one printf (shorter than PIPE_BUF,
# so the peers' background jobs cannot interleave within a line): KIND s (56-byte echo), d (DF
# echo of SIZE bytes), b (a DF echo of the bisection for the largest size that passes), u (the
# peer's underlay address, asked only when the small echo got no answer). TEXT is ping's own
# output, line breaks turned into \037 and cut to 1000 bytes; the client parses it.
# dp_line I KIND RC SIZE TEXT
dp_line() { printf '%s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$(printf '%s' "$5" | tr '\n' '\037' | head -c 1000)"; }
# dp_echo ADDR W [SIZE]: one echo, waiting W seconds; SIZE: that many bytes with don't-fragment.
dp_echo() {
  if [ -n "${3-}" ]; then o=$(ping -n -c 1 -W "$2" -M 'do' -s "$3" -- "$1" 2>&1); else o=$(ping -n -c 1 -W "$2" -- "$1" 2>&1); fi
}
# dp_peer I ADDR UNDERLAY W SIZE: the small echo; then, when it passed and SIZE is set, the DF
# echo of SIZE bytes; when that fails, a bisection between 56 and SIZE for the largest that passes.
dp_peer() {
  local o r lo hi mid
  dp_echo "$2" "$4"; r=$?; dp_line "$1" s "$r" 56 "$o"
  if [ "$r" != 0 ]; then
    [ -z "$3" ] || { dp_echo "$3" "$4"; dp_line "$1" u "$?" 56 "$o"; }
    return 0
  fi
  [ -n "$5" ] || return 0
  dp_echo "$2" "$4" "$5"; r=$?; dp_line "$1" d "$r" "$5" "$o"
  [ "$r" != 0 ] || return 0
  lo=56 hi=$5
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if dp_echo "$2" "$4" "$mid"; then lo=$mid; else hi=$mid; fi
  done
  dp_line "$1" b 0 "$lo" ""
}
# dp_print LINES: each result line as its part dp.I.KIND (attrs: size=SIZE).
dp_print() {
  local i k r s o
  while read -r i k r s o; do
    [ -n "$i" ] || continue
    part "dp.$i.$k" "$r" " size=$s" "$o"
  done <<EOF
$1
EOF
}
# dp_neigh J ADDR DEV: this node's neighbour entry for a peer's flannel address on DEV (vxlan:
# flanneld writes one per peer; without it, echoes to that peer and replies to it go nowhere).
dp_neigh() {
  local o r
  o=$(ip neigh show to "$2" dev "$3" 2>&1); r=$?
  part "dp.n.$1" "$r" "" "$(printf '%s' "$o" | head -c 1000)"
}
# Ping is the one program the request needs.
dp_ready() { command -v ping >/dev/null 2>&1 || { part dp 127 " why=no-ping" ""; return 1; }; }
