# shellcheck shell=sh
# shellcheck disable=SC1007 # `O= E= X=`: each variable set empty, on purpose
# shellcheck disable=SC2015 # `A && B || C` chains are meant as written: C runs when A or B fails
# shellcheck disable=SC3028 # `${RANDOM-}`: empty where the shell has no RANDOM ($$ alone then)
# Scratch files for a command's output ($O), its errors ($E) and a helper's ($X): created in the
# first writable directory, opened, and unlinked at once, so nothing is left behind even when the
# script is killed; reached again through /proc/$$/fd. `ulimit -f` bounds what a command can
# write into them (SIGXFSZ ignored: the command gets EFBIG and stops). None (no writable
# directory, no /proc): the POSIX path, with a failing attempt's errors in its output.
scratch() {
  local d s
  umask 077
  for d in "${XDG_RUNTIME_DIR-}" /dev/shm "${TMPDIR:-/tmp}" "${HOME-}"; do
    [ -n "$d" ] && [ -d "$d" ] && [ -w "$d" ] || continue
    s=$d/.clusterctl-$$${RANDOM-}
    set -C
    if { true >"$s.o" && true >"$s.e" && true >"$s.x"; } 2>/dev/null; then
      set +C; exec 7<>"$s.o" 8<>"$s.e" 9<>"$s.x"; rm -f -- "$s.o" "$s.e" "$s.x"
      O=/proc/$$/fd/7 E=/proc/$$/fd/8 X=/proc/$$/fd/9
      { true >"$O"; } 2>/dev/null && return
      O= E= X=; return 1
    fi
    set +C
  done
  return 1
}
scratch
trap "" XFSZ; ulimit -S -f 16384 2>/dev/null
