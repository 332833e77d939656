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
// The shell itself is in facts/sh/*.sh and util/sh/part.sh (embedded as generated/shell.ts by
// scripts/embed-sh.mjs, linted by shellcheck in test/unit/facts/shellcheck.test.ts): this file
// only puts the pieces in order and writes one `section` line a section.
// The probe built with it is a constant; a script that carries inventory values quotes each one
// itself (util/shell.ts shellQuote) before it becomes a command here.

import { MARKER } from '../util/frames.js';
import { FRAMING_BASH_SH, FRAMING_POSIX_SH, FRAMING_START_SH, PART_SH, SCRATCH_SH, SECTION_SH, SESSION_LOOP_SH } from '../generated/shell.js';

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

// One line per section.
function sectionLines(name: string, sections: readonly ScriptSection[]): string[] {
  return sections.map((s) => {
    if (!/^[a-z][a-z0-9.-]*$/.test(s.name)) throw new Error(`bad ${name} section name ${s.name}`);
    if (!Number.isSafeInteger(s.budget) || s.budget < 1) throw new Error(`bad ${name} budget ${s.budget} for ${s.name}`);
    if (s.keepAs !== undefined && !/^[a-z_][a-z0-9_]*$/.test(s.keepAs)) throw new Error(`bad variable name ${s.keepAs} for ${s.name}`);
    return ['section', s.name, String(s.budget), dq(s.file ?? ''), dq(s.keepAs ?? ''), ...s.attempts.map((a) => dq(`${a.fmt}:${a.cmd}`))].join(' ');
  });
}

// Each line of a piece of the framing inside its `if` branch.
const indent = (text: string): string => text.replace(/^/gm, '  ');

// The framing and the caller's own functions, before any section runs.
function preamble(functions: readonly string[]): string[] {
  return [
    FRAMING_START_SH,
    PART_SH,
    SCRATCH_SH,
    'if [ -n "${BASH_VERSION-}" ] && [ -n "$O" ]; then',
    indent(FRAMING_BASH_SH),
    'else',
    indent(FRAMING_POSIX_SH),
    'fi',
    SECTION_SH,
    ...functions,
  ];
}

// The body of a one-shot script: the framing, the caller's functions, the sections, done.
function body(name: string, functions: readonly string[], sections: readonly ScriptSection[]): string {
  return [...preamble(functions), ...sectionLines(name, sections), 'part done 0 "" ""'].join('\n');
}

// The body of a session (transport/remote-shell.ts): the framing and the functions once, then one
// request a line on stdin, each answered by its output and `@@clusterctl:ran NONCE rc=STATUS`:
// (the end line comes after a line break of its own, which is not part of the output):
//   probe NONCE            the sections, as the one-shot script prints them
//   probe NONCE BYTES      the sections, then a script as below, in one reply (facts/collect.ts:
//                          the batch of the collectors that need nothing from the probe)
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
    SESSION_LOOP_SH,
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
      ? `# clusterctl ${name} session: reads "probe NONCE" or "probe|script NONCE BYTES", lines, NONCE on stdin; answers each, then ${MARKER}ran NONCE rc=STATUS`
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
