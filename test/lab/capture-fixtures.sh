#!/usr/bin/env bash
# Capture real command output from lab node 1 (over ssh, as core) into test/fixtures/lab/ for the
# parser unit tests. Needs a running lab: `lab.sh up` first. Overwrites the fixtures.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/../fixtures/lab
mkdir -p "$OUT"

capture() { # capture FILE COMMAND
  "$HERE/lab.sh" ssh 1 "$2" >"$OUT/$1"
  echo "captured $1  <- $2"
}
capture hostname.txt 'hostname'
capture ip-j-addr.json 'ip -j addr'
capture ip-o-addr.txt 'ip -o addr'
capture ip-j-route.json 'ip -j route'
capture ip-route.txt 'ip route'
capture ip-o-route.txt 'ip -o route'
capture resolv.conf 'cat /etc/resolv.conf'
capture VERSIONS.txt 'ip -V; uname -sr; . /etc/os-release; echo "$PRETTY_NAME"'
