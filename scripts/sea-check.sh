#!/usr/bin/env bash
# CI (after `npm run demo`, its lab still up): build the single executable, copy it alone into an
# empty directory and run verify, smoke-etcd and lint with it, with no node on PATH. Then print
# figures for it next to the npm build (bin/clusterctl.js): size, start-up (--version, lint) and
# the CPU of a 24-node verify (GNU time; the lab grows to 24 nodes and back to the demo's 3).
# Figures are printed, never asserted: the runs themselves must succeed.
# Needs root (the lab) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LAB_ETCD=single LAB_FLANNEL=1 # the demo lab's variant (scripts/demo.sh)
[[ -x /usr/bin/time ]] || { echo "sea-check: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 1; }

npm run --silent build
npm run --silent build:sea
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$tmp.t"' EXIT
cp dist/sea/clusterctl-linux-x64 "$tmp/clusterctl"
inv=$(bash test/lab/lab.sh inventory)

# The executable's runs: its directory is the whole PATH and the working directory, nothing else
# in the environment but HOME. wrap: what to run it under (GNU time), or nothing.
wrap=()
sea() { (cd "$tmp" && env -i HOME="${HOME:-/root}" PATH="$tmp" "${wrap[@]}" ./clusterctl "$@"); }
npmb() { "${wrap[@]}" node "$root/bin/clusterctl.js" "$@"; }
if (cd "$tmp" && env -i PATH="$tmp" /bin/sh -c 'command -v node' >/dev/null); then echo "sea-check: node is on the run's PATH" >&2; exit 1; fi

echo "== the single executable, alone in $tmp, PATH=$tmp (no node)"
sea --version
sea verify -i "$inv"
sea smoke-etcd -i "$inv"
sea lint -i "$root/inventory.example.yaml"

# Median of 5 runs of GNU time's wall and CPU (user + sys) for `sea ARGS` or `npmb ARGS`.
timed() {
  local _ wrap=(/usr/bin/time -f '%e,%U,%S' -o "$tmp.t")
  for _ in 1 2 3 4 5; do
    "$@" >/dev/null 2>&1 || { echo "sea-check: $* failed" >&2; exit 1; }
    cat "$tmp.t"
  done | awk -F, '{print $1, $2 + $3}' | sort -n -k2 | awk 'NR == 3 {printf "%.2f s wall, %.2f s CPU", $1, $2}'
}
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1e6}'; }

# npm build: its bundle, the production node_modules it loads from, and the node it needs.
prod_bytes=$(npm ls --omit=dev --all --parseable 2>/dev/null | tail -n +2 | sort -u | xargs -r du -sbc | tail -1 | cut -f1)
bundle_bytes=$(du -sbc dist/bundle bin | tail -1 | cut -f1)
node_bytes=$(stat -L -c %s "$(command -v node)")
sea_bytes=$(stat -c %s "$tmp/clusterctl")

echo
echo "== figures (median of 5 by CPU; printed, not asserted)"
row() { printf '%-30s %-48s %s\n' "$@"; }
row '' 'npm build (node bin/clusterctl.js)' 'single executable'
row 'size' "$(mb "$bundle_bytes") bundle + $(mb "$prod_bytes") node_modules + $(mb "$node_bytes") node" "$(mb "$sea_bytes")"
row '--version' "$(timed npmb --version)" "$(timed sea --version)"
row 'lint inventory.example.yaml' "$(timed npmb lint -i "$root/inventory.example.yaml")" "$(timed sea lint -i "$root/inventory.example.yaml")"

echo "(growing the lab to 24 nodes for the verify figures)"
bash test/lab/lab.sh up 24 >/dev/null
npmb verify -i "$inv" --json >/dev/null
sea verify -i "$inv" --json >/dev/null
row 'verify, 24 nodes' "$(timed npmb verify -i "$inv" --json)" "$(timed sea verify -i "$inv" --json)"
bash test/lab/lab.sh up 3 >/dev/null
