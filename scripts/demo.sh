#!/usr/bin/env bash
# The README's first quick-start command: build clusterctl, bring up the demo lab (3 nodes in
# network namespaces with real sshd), verify it healthy, break one node, verify again.
# Needs root (the lab creates namespaces). `npm run lab:down` removes the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
((EUID == 0)) || { echo "demo: the lab needs root (network namespaces, veths, sshd); run it as root" >&2; exit 1; }
npm run --silent build
bash test/lab/lab.sh up 3
inv=test/lab/.state/inventory.yaml

echo; echo "== clusterctl verify on the healthy lab"
node bin/clusterctl.js verify -i "$inv"

echo; echo "== the same after deleting lab-node-2's static route (a fault the lab injects)"
bash test/lab/lab.sh fault route 2 >/dev/null
status=0
node bin/clusterctl.js verify -i "$inv" || status=$?
bash test/lab/lab.sh repair 2 >/dev/null
echo "(exit code $status: 1 means a check failed; the route is repaired again)"
echo; echo "The lab stays up: try 'node bin/clusterctl.js verify -i $inv --json'; remove it with 'npm run lab:down'."
