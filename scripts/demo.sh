#!/usr/bin/env bash
# The README's first quick-start command: build clusterctl, bring up the demo lab (3 nodes in
# network namespaces with real sshd; node 1 runs a real etcd 3.4 holding the flannel config, as
# in the setup guide; every node has a flannel.1 device and lease), verify it healthy, break one
# node, verify again, then run the setup guide's etcd smoke test.
# Needs root (the lab creates namespaces). On a fresh Debian/Ubuntu machine the lab installs what
# it needs first (openssh-server, etcd-server, etcd-client …; test/lab/lib/prereqs.sh).
# `npm run lab:down` removes the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
((EUID == 0)) || { echo "demo: the lab needs root (network namespaces, veths, sshd, etcd); run it as root" >&2; exit 1; }
# The machine-wide suite lock while the demo drives the lab, as the other demos and the test
# suite take it: the labs share one bridge and one address range, so a second run at the same
# time would tear this lab down or answer from its own nodes. Released when the demo ends.
exec 7>/run/lock/clusterctl-suite.lock
flock -w 600 7 || { echo "demo: another lab run holds /run/lock/clusterctl-suite.lock" >&2; exit 1; }
npm run --silent build
LAB_ETCD=single LAB_FLANNEL=1 bash test/lab/lab.sh up 3
inv=test/lab/.state/inventory.yaml
clusterctl() { node bin/clusterctl.js "$@"; }

echo; echo "== clusterctl verify on the healthy lab"
clusterctl verify -i "$inv"

echo; echo "== the same after deleting lab-node-2's static route (a fault the lab injects)"
bash test/lab/lab.sh fault route 2 >/dev/null
status=0
clusterctl verify -i "$inv" || status=$?
bash test/lab/lab.sh repair 2 >/dev/null
echo "(exit code $status: 1 means a check failed; the route is repaired again)"

echo; echo "== clusterctl smoke-etcd: the setup guide's etcdctl ls/mkdir/set/get/rm/rmdir, leaving nothing behind"
clusterctl smoke-etcd -i "$inv"

echo; echo "The lab stays up: try 'node bin/clusterctl.js verify -i $inv --json', 'node bin/clusterctl.js lint -i $inv'"
echo "or 'node bin/clusterctl.js flannel get -i $inv'; remove it with 'npm run lab:down'."
