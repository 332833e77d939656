#!/usr/bin/env bash
# Self-test of the lab: builds it, checks over real ssh that each node is itself, injects every
# fault, checks an ssh session sees it, repairs, checks the session sees the repair, tears down.
# Needs root. Usage: selftest.sh [N] (default 3). Prints "N passed, N failed" last.
set -euo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.sh
STATE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.state
N=${1:-3}
passed=0 failed=0

ok()   { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# check DESCRIPTION COMMAND...: the command's success is the assertion.
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
check_not() { local d=$1; shift; if "$@"; then fail "$d"; else ok "$d"; fi; }

addr() { printf '198.18.%d.%d' $((1 + ($1 - 1) / 200)) $((11 + ($1 - 1) % 200)); }
on() { local i=$1; shift; timeout 20 "$LAB" ssh "$i" "$@" 2>/dev/null; }
has() { grep -qF -- "$2" <<<"$1"; }
has_line() { grep -qxF -- "$2" <<<"$1"; }

# The whole healthy state of node i as seen by an ssh session, checked piece by piece.
healthy() {
  local i=$1 out
  out=$(on "$i" 'echo "uts=$(hostname)"; echo "file=$(cat /etc/hostname)"; ip -o -4 addr show eth0; ip route; cat /etc/resolv.conf') || return 1
  has_line "$out" "uts=lab-node-$i" && has_line "$out" "file=lab-node-$i" &&
    has "$out" "inet $(addr "$i")/16" && has "$out" "default via 198.18.0.1 dev eth0" &&
    has "$out" "198.19.45.0/24 via 198.18.0.124 dev eth0" &&
    has "$out" "nameserver 198.18.0.1" && has "$out" "nameserver 198.18.0.2"
}

"$LAB" up "$N"
"$LAB" up "$N" >/dev/null
ok "up twice"
for ((i = 1; i <= N; i++)); do check "node $i healthy over ssh" healthy "$i"; done
check "inventory lists $N nodes" test "$(grep -c '^  - name:' "$STATE/inventory.yaml")" -eq "$N"
check "known_hosts has $N lines" test "$(wc -l <"$STATE/known_hosts")" -eq "$N"

t=$(( N >= 2 ? 2 : 1 ))   # the node that gets the faults
"$LAB" fault hostname "$t" >/dev/null
check "fault hostname seen" has "$(on "$t" 'hostname; cat /etc/hostname')" "lab-node-$t-wrong"$'\n'"lab-node-$t"
"$LAB" fault hostname-file "$t" >/dev/null
check "fault hostname-file seen" has "$(on "$t" 'cat /etc/hostname')" "lab-node-$t-stale"
"$LAB" fault route "$t" >/dev/null
check_not "fault route seen" has "$(on "$t" 'ip route')" 198.19.45.0
"$LAB" fault dns "$t" >/dev/null
check "fault dns seen" test "$(on "$t" 'grep nameserver /etc/resolv.conf')" = "nameserver 198.18.0.53"
"$LAB" fault gateway "$t" >/dev/null
check "fault gateway seen" has "$(on "$t" 'ip route show default')" "default via 198.18.0.254"
check "other node untouched" healthy 1
"$LAB" fault sshd "$t" >/dev/null
check_not "fault sshd: ssh fails" on "$t" true
check "status shows faults" has "$("$LAB" status)" "hostname,hostname-file,route,dns,gateway,sshd"
"$LAB" repair "$t" >/dev/null
check "repair restores node $t" healthy "$t"

for kind in hostname hostname-file route dns sshd gateway; do
  "$LAB" fault "$kind" "$t" >/dev/null
  check_not "fault $kind alone is detected" healthy "$t"
  "$LAB" repair "$t" >/dev/null
  check "repair after $kind" healthy "$t"
done

"$LAB" fault dns 1 >/dev/null; "$LAB" fault route "$N" >/dev/null
"$LAB" repair-all >/dev/null
check "repair-all: node 1" healthy 1
check "repair-all: node $N" healthy "$N"

"$LAB" down
check "no ccl namespaces left" bash -c '! ip netns list | grep -q "^ccl-"'
check "no lab links left" bash -c '! ip -o link | grep -qE "cclv-|cclbr0"'
lab_sshd() { ps -C sshd -o args= | grep -F "$STATE/"; }
check_not "no lab sshd left" lab_sshd
check "no /etc/netns/ccl-*" bash -c '! compgen -G "/etc/netns/ccl-*" >/dev/null'
echo "$passed passed, $failed failed"
((failed == 0))
