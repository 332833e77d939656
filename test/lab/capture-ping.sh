#!/usr/bin/env bash
# Capture iputils-ping's real output into test/fixtures/ping/ (NAME.txt and its exit status
# NAME.rc) for the parser tests, and the reply of flannel.datapath's request run by dash as
# nobody (datapath-reply.txt, nonce 0123456789abcdef). Two namespaces of its own (dpx1, dpx2,
# 198.18.250.0/24 on a veth between them, nothing else), flannel.1 programmed as flanneld's vxlan
# backend programs it. Root; run under the lab lock: flock /run/lock/clusterctl-suite.lock bash $0
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/../fixtures/ping
down() { ip netns del dpx1 2>/dev/null || true; ip netns del dpx2 2>/dev/null || true; }
down
trap down EXIT
ip netns add dpx1
ip netns add dpx2
ip link add dpxv1 netns dpx1 type veth peer name dpxv2 netns dpx2
for i in 1 2; do
  ns=dpx$i
  ip -n $ns link set dpxv$i name eth0
  ip -n $ns addr add 198.18.250.$i/24 dev eth0
  ip -n $ns link set eth0 up
  ip -n $ns link set lo up
  ip -n $ns link add flannel.1 address 0e:cc:00:00:00:0$i type vxlan id 1 dev eth0 local 198.18.250.$i dstport 8472 nolearning
  ip -n $ns addr add 198.19.$((128 + i)).0/32 dev flannel.1
  ip -n $ns link set flannel.1 up
done
for i in 1 2; do
  j=$((3 - i)) ns=dpx$i
  ip -n $ns route add 198.19.$((128 + j)).0/24 via 198.19.$((128 + j)).0 dev flannel.1 onlink
  ip -n $ns neigh replace 198.19.$((128 + j)).0 lladdr 0e:cc:00:00:00:0$j dev flannel.1 nud permanent
  ip netns exec $ns bridge fdb replace 0e:cc:00:00:00:0$j dev flannel.1 dst 198.18.250.$j self permanent
done
cap() { # cap NAME PING-ARGS…
  local n=$1 rc=0
  shift
  ip netns exec dpx1 ping -n -c 1 -W 1 "$@" >"$OUT/$n.txt" 2>&1 || rc=$?
  echo "$rc" >"$OUT/$n.rc"
}
mkdir -p "$OUT"
cap reply 198.19.130.0
cap df-reply -M 'do' -s 1422 198.19.130.0
cap df-local-error -M 'do' -s 1423 198.19.130.0
cap unreachable 198.51.100.1   # no route in dpx1: ping fails locally, nothing is sent
ip -n dpx2 link set eth0 mtu 1400
cap df-no-reply -M 'do' -s 1422 198.19.130.0
# The request as test/unit/facts/gatherers/datapath.test.ts's ASK makes it (c has no route).
node --import tsx -e "
import('$HERE/../../src/facts/gatherers/datapath.ts').then(async ({ datapathScript }) => {
  const { withNonce } = await import('$HERE/../../src/util/frame-shell.ts');
  process.stdout.write(withNonce('0123456789abcdef', datapathScript({ targets: [{ peer: 'b', addr: '198.19.130.0', underlay: '198.18.250.2' }, { peer: 'c', addr: '198.19.131.0', underlay: '198.18.250.2' }], size: 1422, waitS: 1, neigh: { dev: 'flannel.1', peers: [{ peer: 'b', addr: '198.19.130.0' }, { peer: 'c', addr: '198.19.131.0' }] } })));
});" >/tmp/clusterctl-datapath.sh
ip netns exec dpx1 su nobody -s /bin/sh -c 'sh /tmp/clusterctl-datapath.sh' >"$OUT/datapath-reply.txt"
rm -f /tmp/clusterctl-datapath.sh
ping -V >"$OUT/VERSION.txt"
echo "captured into $OUT"
