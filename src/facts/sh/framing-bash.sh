# shellcheck shell=bash
# shellcheck disable=SC1007 # `out= len=0`, `c=`: variables set empty, on purpose
# shellcheck disable=SC2032,SC2033 # cat is a function here; `sudo -n -- cat` means the real cat, as root
# shellcheck disable=SC2086 # $lim, $len, $k, $n, $budget: integers the script set itself, never split
# shellcheck disable=SC2209 # `rc=cut`: the word cut, not a command
# shellcheck disable=SC3045 # bash only (`read -d`, `read -n`): this file is the bash branch of the framing
# bash (when the scratch files exist): attempts run in this shell (a command costs one fork +
# exec), their output and errors go to the scratch files and are read back with `read` (a
# builtin), at most $lim bytes each. facts/framing.ts puts it in the `if` branch, indented.
# FILE: out = its first $lim bytes, NUL bytes left out (a shell variable cannot hold one);
# len = how many bytes that was, NULs counted, so /dev/zero is cut and not read as empty.
slurp() {
  local k c s
  out= len=0
  while [ $len -lt $lim ]; do
    k=$((lim-len)) c=
    IFS= read -r -d "" -n $k c; s=$?
    out=$out$c len=$((len+${#c}))
    [ $s = 0 ] || break
    [ ${#c} = $k ] || len=$((len+1))
  done <"$1"
}
# cat FILE without a process, as many bytes as a section keeps and one more (over: cut).
cat() {
  [ $# = 1 ] || { command cat "$@"; return; }
  [ -e "$1" ] || { echo "cat: $1: No such file or directory" >&2; return 1; }
  if [ ! -r "$1" ]; then
    [ "$become" = sudo ] && { sudo -n -- cat "$1"; return; }
    echo "cat: $1: Permission denied" >&2; return 1
  fi
  [ ! -d "$1" ] || { echo "cat: $1: Is a directory" >&2; return 1; }
  slurp "$1" || return
  [ $len -lt $lim ] || over=1
  printf %s "$out"
}
# N FILE: the first N bytes of FILE.
first() { local lim=$1 out len; slurp "$2"; printf %s "$out"; }
# N CMD…: the first N bytes of what CMD prints, errors included.
capped() { local n=$1; shift; "$@" >"$X" 2>&1; first $n "$X"; }
# CMD…: its output, 64 KiB at most, "| " before each line: text that must never read as a marker.
quoted() {
  "$@" >"$X" || return
  local lim=65536 out len; slurp "$X"; out=${out%"$NL"}
  [ -z "$out" ] || pfx "$out"
}
# Run attempt $cmd: rc = its status; out = its output and, when it failed, its errors.
attempt() {
  over=
  { eval "$cmd"; } >"$O" 2>"$E"; rc=$?
  slurp "$O"
  if [ $rc != 0 ]; then local o=$out n=$len; slurp "$E"; out=$o$out len=$((n+len)); fi
  [ $len -le $budget ] && [ -z "$over" ] || rc=cut
}
