# shellcheck shell=sh
# shellcheck disable=SC2033 # `sudo -n -- cat`: the real cat, as root, not the function
# shellcheck disable=SC2086 # $lim, $n, $budget: integers the script set itself, never split
# shellcheck disable=SC2209 # `rc=cut`: the word cut, not a command
# POSIX sh: each attempt in a subshell, its output through `head -c`; its status travels on fd 5,
# since a pipeline would lose it. Cut: more than the budget came back, or the command died of
# SIGPIPE (141) because head stopped reading (the shell drops NUL bytes, so /dev/zero would
# otherwise look empty). Errors go to $E, read back only when the attempt failed (no scratch
# files: into the output). facts/framing.ts puts it in the `else` branch, indented.
command -v head >/dev/null || head() { command cat; }
[ "$become" = sudo ] && cat() { if [ $# = 1 ] && [ -e "$1" ] && [ ! -r "$1" ]; then sudo -n -- cat "$1"; else command cat "$@"; fi; }
first() { head -c "$1" "$2"; }
capped() { local n=$1; shift; "$@" 2>&1 | head -c $n; }
quoted() { local t; t=$("$@" && echo .) || return; printf %s "${t%.}" | head -c 65536 | sed "s/^/| /"; }
errors() { if [ -n "$E" ]; then (eval "$cmd") 2>"$E"; else (eval "$cmd") 2>&1; fi; }
run() { { r=$( { { errors; echo $? >&5; } | head -c $lim >&3; } 5>&1 ); echo "@rc=$r"; } 3>&1; }
attempt() {
  out=$(run); rc=${out##*@rc=}; out=${out%@rc=*}
  [ "$rc" = 0 ] || [ "$rc" = 141 ] || [ -z "$E" ] || out=$out$(head -c $lim "$E")
  [ ${#out} -le $budget ] && [ "$rc" != 141 ] || rc=cut
}
