import type { Become } from '../util/become.js';
import { buildScript } from './framing.js';
import type { ScriptAttempt, ScriptFormat } from './framing.js';
import { readParts } from '../util/frames.js';
import { PROBE_FUNCTIONS_SH } from '../generated/shell.js';
import type { ProbeSection, ProbeSectionOutput } from './collector.js';
import { SECTION_COLLECTORS } from './collectors/sections.js';

// The probe is the one command clusterctl runs on a node to gather facts. It is a constant:
// no inventory value ever goes into it, so nothing from a YAML file can reach a remote shell.
// `clusterctl probe` prints it. The framing (how each section runs, is bounded and printed) is
// facts/framing.ts, shared by every script that runs on a node.

export type ProbeFormat = ScriptFormat;
export type ProbeAttempt = ScriptAttempt;
export type { ProbeSection, ProbeSectionOutput } from './collector.js';

export const DEFAULT_BUDGET = 64 * 1024;
const KiB = 1024;
const MiB = 1024 * KiB;

// The probe's own shell functions, for the sections below; the framing gives them `first N FILE`
// (a file's first N bytes), `quoted CMD…` (the output, 64 KiB at most, "| " before each line,
// so a line of a file can never read as a probe marker), `capped N CMD…` (the first N bytes of
// what CMD prints, errors included) and `found CMD` (status 127 and "CMD: not found", without a
// process, when CMD is not on PATH). The functions are facts/sh/probe-functions.sh, linted by
// shellcheck (test/unit/facts/shellcheck.test.ts).
export const PROBE_FUNCTIONS: readonly string[] = [PROBE_FUNCTIONS_SH];

// The probe's sections: one a section collector (collectors/sections.ts), in its order. The
// budgets add up to well under the 4 MiB output cap (a unit test holds them to it).
export const SECTIONS: readonly ProbeSection[] = SECTION_COLLECTORS.map((c) => c.section);

// The script for a table of sections (the probe's own functions by default).
export function buildProbe(sections: readonly ProbeSection[], functions: readonly string[] = PROBE_FUNCTIONS, kind: 'once' | 'session' = 'once'): string {
  return buildScript(
    'probe',
    functions,
    sections.map((s) => ({ ...s, budget: s.budget ?? DEFAULT_BUDGET })),
    kind,
  );
}

export const PROBE: string = buildProbe(SECTIONS);

// The same probe as a session (facts/framing.ts, transport/remote-shell.ts): started once a connection,
// it runs the sections on each "probe" request and the batch on each "script" request, so a round
// costs no new SSH session, login shell or script start. Constant, like PROBE.
export const PROBE_SESSION: string = buildProbe(SECTIONS, PROBE_FUNCTIONS, 'session');

// What runs on a node: the one constant probe, told by a constant first line whether it may use
// sudo for root-only files (become). No inventory text ever enters it.
export function probeFor(become: Become, kind: 'once' | 'session' = 'once'): string {
  const script = kind === 'session' ? PROBE_SESSION : PROBE;
  return become === 'sudo' ? `clusterctl_become=sudo\n${script}` : script;
}

// The probe's reply, framed with its request's nonce (util/frames.ts), as sections. A section
// without its end marker (output cut short) is left out, so a caller sees it as missing rather
// than half-read; one sent twice is an error of its own.
export function splitSections(stdout: string, nonce: string): Map<string, ProbeSectionOutput | { error: string }> {
  const sections = new Map<string, ProbeSectionOutput | { error: string }>();
  for (const [name, p] of readParts(stdout, nonce)) {
    if ('error' in p) {
      sections.set(name, p);
      continue;
    }
    const out: ProbeSectionOutput = { rc: p.rc, fmt: p.attrs.fmt ?? '', body: p.body };
    const cut = p.attrs.cut;
    if (cut !== undefined) out.cut = { size: /^\d+$/.test(cut) ? Number(cut) : null };
    sections.set(name, out);
  }
  return sections;
}

// "256 bytes", "16 KiB", "66 MiB": sizes in problem messages.
export function formatBytes(n: number): string {
  if (n < KiB) return `${n} byte${n === 1 ? '' : 's'}`;
  const [size, unit] = n < MiB ? [n / KiB, 'KiB'] : n < 1024 * MiB ? [n / MiB, 'MiB'] : [n / (1024 * MiB), 'GiB'];
  return `${Number.isInteger(size) ? size : size.toFixed(1)} ${unit}`;
}

// Why a cut section was not read: "/etc/hostname is 66 MiB, more than the probe reads of it
// (256 bytes)". A file's size is known unless it is not a regular file (stat says 0).
export function describeCut(section: string, fmt: string, size: number | null): string {
  const s = SECTIONS.find((x) => x.name === section);
  const budget = formatBytes(s?.budget ?? DEFAULT_BUDGET);
  if (s?.file) {
    const big = size !== null && size > (s.budget ?? DEFAULT_BUDGET) ? `is ${formatBytes(size)},` : 'holds';
    return `${s.file} ${big} more than the probe reads of it (${budget}): not read`;
  }
  return `${describeAttempt(section, fmt)} printed more than the probe reads of it (${budget}): not read`;
}

// The file a section reads, if it reads one.
export const sectionFile = (section: string): string | undefined => SECTIONS.find((x) => x.name === section)?.file;

// How a section's output was produced, for problem messages: "`ip -j route show`".
export function describeAttempt(section: string, fmt: string): string {
  const s = SECTIONS.find((x) => x.name === section);
  const attempt = s?.attempts.filter((a) => a.fmt === fmt).at(-1) ?? s?.attempts.at(-1);
  return attempt ? `\`${attempt.cmd}\`` : `section ${section}`;
}
