# shellcheck shell=sh
# shellcheck disable=SC1010 # `part done 0 "" ""` (facts/framing.ts): done is the last part's name, an argument
# shellcheck disable=SC2125 # `size=?`: the character ?, the size when stat cannot say
# shellcheck disable=SC2295 # `[!$NL]` is a bracket expression: $NL must be a pattern character, unquoted
# NAME BUDGET FILE KEEP FMT:CMD…: try each attempt until one exits 0 or prints too much; print
# the section as a part (trailing line breaks dropped). KEEP is emptied first:
# in a session the shell lives on, and a section that fails must not leave the last round's value.
section() {
  local sec=$1 budget=$2 file=$3 keep=$4 lim=$(($2+1)) fmt cmd rc out len over size a
  shift 4
  [ -z "$keep" ] || eval "$keep="
  for a; do fmt=${a%%:*} cmd=${a#*:}; attempt; [ "$rc" = 0 ] || [ "$rc" = cut ] && break; done
  if [ "$rc" = cut ]; then
    size=?; [ -z "$file" ] || size=$(stat -L -c %s "$file" 2>/dev/null) || size=?
    part "$sec" 0 " fmt=$fmt cut=$size" ""
    return
  fi
  out=${out%"${out##*[!$NL]}"}
  [ -z "$keep" ] || [ "$rc" != 0 ] || eval "$keep=\$out"
  part "$sec" "$rc" " fmt=$fmt" "$out"
}
# CMD: true when CMD is on PATH; else what a shell would say, without forking to say it.
found() { command -v "$1" >/dev/null && return; echo "$1: not found" >&2; return 127; }
