// The probe's sections on a node: shell functions that run each section's attempts, bound what
// they print, capture their errors once, and print each as one part of the reply (util/frames.ts,
// util/frame-shell.ts), the request's nonce in its markers:
//
//   @@clusterctl:begin NONCE NAME
//   | OUTPUT, "| " before each line
//   @@clusterctl:end NONCE NAME rc=STATUS fmt=FORMAT[ cut=SIZE|?]
//   …
//   @@clusterctl:begin NONCE done
//   @@clusterctl:end NONCE done rc=0
//
// Two implementations of the same functions: bash (Flatcar's and Container Linux's shell), where
// a file section costs no process and a command one (fork + exec), and POSIX sh where bash is
// missing (pipes through `head -c`, as clusterctl always did). The script re-runs itself under
// bash when the login shell is another sh and bash is there. Read by util/frames.ts readParts.
// The probe built with it is a constant; a script that carries inventory values quotes each one
// itself (util/shell.ts shellQuote) before it becomes a command here.

import { MARKER } from '../util/frames.js';
import { PART_FUNCTIONS } from '../util/frame-shell.js';

export type ScriptFormat = 'json' | 'text';

export interface ScriptAttempt {
  fmt: ScriptFormat;
  // Constant shell text, run in the script's own shell (under bash no subshell: a command costs
  // one fork), so it never calls `exit`: a function of the script returns. Read-only. Its
  // stderr is kept for the report when every attempt fails.
  cmd: string;
}

export interface ScriptSection {
  name: string; // [a-z][a-z0-9.-]*
  attempts: ScriptAttempt[]; // tried in order; the first that exits 0 wins
  budget: number; // bytes of output kept: more is not sent, the end marker says cut=
  file?: string; // the file the section reads: a cut section reports its size
  keepAs?: string; // a shell variable that holds the section's output for later attempts
}

// Scratch files for a command's output ($O), its errors ($E) and a helper's ($X): created in the
// first writable directory, opened, and unlinked at once, so nothing is left behind even when the
// script is killed; reached again through /proc/$$/fd. `ulimit -f` bounds what a command can
// write into them (SIGXFSZ ignored: the command gets EFBIG and stops). None (no writable
// directory, no /proc): the POSIX path, with a failing attempt's errors in its output.
const SCRATCH = [
  'scratch() {',
  '  local d s',
  '  umask 077',
  '  for d in "${XDG_RUNTIME_DIR-}" /dev/shm "${TMPDIR:-/tmp}" "${HOME-}"; do',
  '    [ -n "$d" ] && [ -d "$d" ] && [ -w "$d" ] || continue',
  '    s=$d/.clusterctl-$$${RANDOM-}',
  '    set -C',
  '    if { true >"$s.o" && true >"$s.e" && true >"$s.x"; } 2>/dev/null; then',
  '      set +C; exec 7<>"$s.o" 8<>"$s.e" 9<>"$s.x"; rm -f -- "$s.o" "$s.e" "$s.x"',
  '      O=/proc/$$/fd/7 E=/proc/$$/fd/8 X=/proc/$$/fd/9',
  '      { true >"$O"; } 2>/dev/null && return',
  '      O= E= X=; return 1',
  '    fi',
  '    set +C',
  '  done',
  '  return 1',
  '}',
];

// bash: attempts run in this shell (a command costs one fork + exec), their output and errors go
// to the scratch files and are read back with `read` (a builtin), at most $lim bytes each.
const BASH = [
  // FILE: out = its first $lim bytes, NUL bytes left out (a shell variable cannot hold one);
  // len = how many bytes that was, NULs counted, so /dev/zero is cut and not read as empty.
  'slurp() {',
  '  local k c s',
  '  out= len=0',
  '  while [ $len -lt $lim ]; do',
  '    k=$((lim-len)) c=',
  '    IFS= read -r -d "" -n $k c; s=$?',
  '    out=$out$c len=$((len+${#c}))',
  '    [ $s = 0 ] || break',
  '    [ ${#c} = $k ] || len=$((len+1))',
  '  done <"$1"',
  '}',
  // cat FILE without a process, as many bytes as a section keeps and one more (over: cut).
  'cat() {',
  '  [ $# = 1 ] || { command cat "$@"; return; }',
  '  [ -e "$1" ] || { echo "cat: $1: No such file or directory" >&2; return 1; }',
  '  if [ ! -r "$1" ]; then',
  '    [ "$become" = sudo ] && { sudo -n -- cat "$1"; return; }',
  '    echo "cat: $1: Permission denied" >&2; return 1',
  '  fi',
  '  [ ! -d "$1" ] || { echo "cat: $1: Is a directory" >&2; return 1; }',
  '  slurp "$1" || return',
  '  [ $len -lt $lim ] || over=1',
  '  printf %s "$out"',
  '}',
  // N FILE: the first N bytes of FILE.
  'first() { local lim=$1 out len; slurp "$2"; printf %s "$out"; }',
  // N CMD…: the first N bytes of what CMD prints, errors included.
  'capped() { local n=$1; shift; "$@" >"$X" 2>&1; first $n "$X"; }',
  // CMD…: its output, 64 KiB at most, "| " before each line: text that must never read as a marker.
  'quoted() {',
  '  "$@" >"$X" || return',
  '  local lim=65536 out len; slurp "$X"; out=${out%"$NL"}',
  '  [ -z "$out" ] || pfx "$out"',
  '}',
  // Run attempt $cmd: rc = its status; out = its output and, when it failed, its errors.
  'attempt() {',
  '  over=',
  '  { eval "$cmd"; } >"$O" 2>"$E"; rc=$?',
  '  slurp "$O"',
  '  if [ $rc != 0 ]; then local o=$out n=$len; slurp "$E"; out=$o$out len=$((n+len)); fi',
  '  [ $len -le $budget ] && [ -z "$over" ] || rc=cut',
  '}',
];

// POSIX sh: each attempt in a subshell, its output through `head -c`; its status travels on fd 5,
// since a pipeline would lose it. Cut: more than the budget came back, or the command died of
// SIGPIPE (141) because head stopped reading (the shell drops NUL bytes, so /dev/zero would
// otherwise look empty). Errors go to $E, read back only when the attempt failed (no scratch
// files: into the output).
const POSIX = [
  'command -v head >/dev/null || head() { command cat; }',
  '[ "$become" = sudo ] && cat() { if [ $# = 1 ] && [ -e "$1" ] && [ ! -r "$1" ]; then sudo -n -- cat "$1"; else command cat "$@"; fi; }',
  'first() { head -c "$1" "$2"; }',
  'capped() { local n=$1; shift; "$@" 2>&1 | head -c $n; }',
  'quoted() { local t; t=$("$@" && echo .) || return; printf %s "${t%.}" | head -c 65536 | sed "s/^/| /"; }',
  'errors() { if [ -n "$E" ]; then (eval "$cmd") 2>"$E"; else (eval "$cmd") 2>&1; fi; }',
  'run() { { r=$( { { errors; echo $? >&5; } | head -c $lim >&3; } 5>&1 ); echo "@rc=$r"; } 3>&1; }',
  'attempt() {',
  '  out=$(run); rc=${out##*@rc=}; out=${out%@rc=*}',
  '  [ "$rc" = 0 ] || [ "$rc" = 141 ] || [ -z "$E" ] || out=$out$(head -c $lim "$E")',
  '  [ ${#out} -le $budget ] && [ "$rc" != 141 ] || rc=cut',
  '}',
];

// CMD: true when CMD is on PATH; else what a shell would say, without forking to say it.
const FOUND = 'found() { command -v "$1" >/dev/null && return; echo "$1: not found" >&2; return 127; }';

// NAME BUDGET FILE KEEP FMT:CMD…: try each attempt until one exits 0 or prints too much; print
// the section as a part (trailing line breaks dropped). KEEP is emptied first:
// in a session the shell lives on, and a section that fails must not leave the last round's value.
const SECTION = [
  'section() {',
  '  local sec=$1 budget=$2 file=$3 keep=$4 lim=$(($2+1)) fmt cmd rc out len over size a',
  '  shift 4',
  '  [ -z "$keep" ] || eval "$keep="',
  '  for a; do fmt=${a%%:*} cmd=${a#*:}; attempt; [ "$rc" = 0 ] || [ "$rc" = cut ] && break; done',
  '  if [ "$rc" = cut ]; then',
  '    size=?; [ -z "$file" ] || size=$(stat -L -c %s "$file" 2>/dev/null) || size=?',
  '    part "$sec" 0 " fmt=$fmt cut=$size" ""',
  '    return',
  '  fi',
  '  out=${out%"${out##*[!$NL]}"}',
  '  [ -z "$keep" ] || [ "$rc" != 0 ] || eval "$keep=\\$out"',
  '  part "$sec" "$rc" " fmt=$fmt" "$out"',
  '}',
];

// One line per section.
function sectionLines(name: string, sections: readonly ScriptSection[]): string[] {
  return sections.map((s) => {
    if (!/^[a-z][a-z0-9.-]*$/.test(s.name)) throw new Error(`bad ${name} section name ${s.name}`);
    if (!Number.isSafeInteger(s.budget) || s.budget < 1) throw new Error(`bad ${name} budget ${s.budget} for ${s.name}`);
    if (s.keepAs !== undefined && !/^[a-z_][a-z0-9_]*$/.test(s.keepAs)) throw new Error(`bad variable name ${s.keepAs} for ${s.name}`);
    return ['section', s.name, String(s.budget), dq(s.file ?? ''), dq(s.keepAs ?? ''), ...s.attempts.map((a) => dq(`${a.fmt}:${a.cmd}`))].join(' ');
  });
}

// The framing and the caller's own functions, before any section runs.
function preamble(functions: readonly string[]): string[] {
  return [
    'LC_ALL=C; export LC_ALL',
    'become=${clusterctl_become-${1-}} clusterctl_nonce=${clusterctl_nonce-${2-}} O= E= X=',
    ...PART_FUNCTIONS,
    ...SCRATCH,
    'scratch',
    'trap "" XFSZ; ulimit -S -f 16384 2>/dev/null',
    'if [ -n "${BASH_VERSION-}" ] && [ -n "$O" ]; then',
    ...BASH.map((l) => `  ${l}`),
    'else',
    ...POSIX.map((l) => `  ${l}`),
    'fi',
    ...SECTION,
    FOUND,
    ...functions,
  ];
}

// The body of a one-shot script: the framing, the caller's functions, the sections, done.
function body(name: string, functions: readonly string[], sections: readonly ScriptSection[]): string {
  return [...preamble(functions), ...sectionLines(name, sections), 'part done 0 "" ""'].join('\n');
}

// The body of a session (transport/session.ts): the framing and the functions once, then one
// request a line on stdin, each answered by its output and `@@clusterctl:ran NONCE rc=STATUS`:
// (the end line comes after a line break of its own, which is not part of the output):
//   probe NONCE            the sections, as the one-shot script prints them
//   script NONCE BYTES     the lines after it, up to a line that is NONCE, run in a subshell (its
//                          variables and functions die with it) with stdin from /dev/null. BYTES
//                          (the script's length with its last line break) lets bash take the
//                          script with one `read -N` (LC_ALL=C: a character is a byte), a few
//                          reads in all, where a line loop reads a pipe one byte a syscall; sh
//                          reads the lines. The NONCE line still ends it, under either.
// Nothing a request runs reads the requests: every section and script has /dev/null as stdin.
// The nonce is the client's (16 hex digits): only ever printed back, never run.
function sessionBody(name: string, functions: readonly string[], sections: readonly ScriptSection[]): string {
  return [
    ...preamble(functions),
    'clusterctl_sections() {',
    ...sectionLines(name, sections).map((l) => `  ${l}`),
    '  part done 0 "" ""',
    '}',
    'while IFS= read -r clusterctl_req; do',
    '  case $clusterctl_req in',
    `    "probe "*) clusterctl_nonce=\${clusterctl_req#probe }; clusterctl_sections </dev/null; printf "\\n${MARKER}ran %s rc=%s\\n" "\${clusterctl_req#probe }" $?;;`,
    '    "script "*)',
    '      clusterctl_end=${clusterctl_req#script } clusterctl_s=',
    '      case $clusterctl_end in *" "*) clusterctl_n=${clusterctl_end#* } clusterctl_end=${clusterctl_end%% *};; *) clusterctl_n=;; esac',
    '      case $clusterctl_n in ""|*[!0-9]*) ;; *) [ -z "${BASH_VERSION-}" ] || IFS= read -r -N "$clusterctl_n" clusterctl_s;; esac',
    '      while IFS= read -r clusterctl_l && [ "$clusterctl_l" != "$clusterctl_end" ]; do clusterctl_s=$clusterctl_s$clusterctl_l$NL; done',
    `      clusterctl_nonce=$clusterctl_end; ( eval "$clusterctl_s" ) </dev/null; printf "\\n${MARKER}ran %s rc=%s\\n" "$clusterctl_end" $?;;`,
    '  esac',
    'done',
  ].join('\n');
}

// Double-quote shell text for a section line: it reaches `eval` as it was.
function dq(text: string): string {
  return `"${text.replace(/[\\"$`]/g, '\\$&')}"`;
}

// The whole script: the body held in a variable (single-quoted: a quote in it is written '\''),
// run by bash when the login shell is another sh (dash on Debian) and bash is there, else by this
// shell. `clusterctl_become=sudo` before it (probeFor) travels as $1, and the one-shot request's
// `clusterctl_nonce=HEX` as $2 (an exec: the same process, no child gets it). `name`: [a-z]+.
export function buildScript(name: string, functions: readonly string[], sections: readonly ScriptSection[], kind: 'once' | 'session' = 'once'): string {
  if (!/^[a-z]+$/.test(name)) throw new Error(`bad script name ${name}`);
  const text = (kind === 'session' ? sessionBody : body)(name, functions, sections).replace(/'/g, "'\\''");
  const variable = `clusterctl_${name}`;
  const head =
    kind === 'session'
      ? `# clusterctl ${name} session: reads "probe NONCE" or "script NONCE BYTES", lines, NONCE on stdin; answers each, then ${MARKER}ran NONCE rc=STATUS`
      : `# clusterctl ${name}: each section prints ${MARKER}begin NONCE NAME, what it read ("| " before each line), ${MARKER}end NONCE NAME rc=STATUS fmt=FORMAT`;
  return [
    head,
    `${variable}='`,
    text,
    "'",
    `if [ -z "\${BASH_VERSION-}" ] && command -v bash >/dev/null 2>&1; then exec bash -c "$${variable}" clusterctl-${name} "\${clusterctl_become-}" "\${clusterctl_nonce-}"; fi`,
    `eval "$${variable}"`,
    '',
  ].join('\n');
}
