# shellcheck shell=sh
# shellcheck disable=SC2154 # $clusterctl_nonce is set by the client's first line or by the session, for each request
# shellcheck disable=SC2295 # `[!$NL]` is a bracket expression: $NL must be a pattern character, unquoted
# shellcheck disable=SC3060 # `${1//…}` is in the bash branch only
# shellcheck disable=SC1007 # batch (etcdctl/batch.ts, gatherers): `ETCDCTL_API= etcdctl` runs etcdctl with the variable empty
# shellcheck disable=SC2016 # batch (etcd-reach-script.ts): `bash -c '…"$1"…'` expands its arguments in that bash
# shellcheck disable=SC2034 # batch (etcdctl/batch.ts): each command's status is kept as rN, whether or not a later condition reads it
# shellcheck disable=SC3003,SC3057 # batch (etcd-reach-script.ts): `$'\n'` and `${o:0:300}` are in its bash branch only
# The node's side of the one framing (util/frames.ts reads it): `part NAME RC ATTRS TEXT` prints
# TEXT as one part, "| " before each line, between the request's begin and end markers
# (@@clusterctl: is util/frames.ts MARKER). bash: one printf for the text (a pattern substitution,
# no process); POSIX sh: one sed a part, or a read loop where there is no sed (no process, a
# read(2) a byte). TEXT's trailing line breaks are dropped; empty TEXT prints no line.
# Whole-line comments are not sent (scripts/embed-sh.mjs).
NL="
"
if [ -n "${BASH_VERSION-}" ]; then
  pfx() { printf '| %s\n' "${1//"$NL"/"$NL| "}"; }
elif command -v sed >/dev/null 2>&1; then
  pfx() { printf '%s\n' "$1" | sed 's/^/| /'; }
else
  pfx() { local l; while IFS= read -r l; do printf '| %s\n' "$l"; done <<EOF
$1
EOF
  }
fi
part() { local t=${4%"${4##*[!$NL]}"}; printf '%s\n' "@@clusterctl:begin $clusterctl_nonce $1"; [ -z "$t" ] || pfx "$t"; printf '%s\n' "@@clusterctl:end $clusterctl_nonce $1 rc=$2$3"; }
