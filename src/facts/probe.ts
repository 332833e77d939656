import type { Become } from '../util/become.js';
import { buildScript } from './framing.js';
import type { ScriptAttempt, ScriptFormat } from './framing.js';
import { readParts } from '../util/frames.js';
import { PROBE_FUNCTIONS_SH } from '../generated/shell.js';

// The probe is the one command clusterctl runs on a node to gather facts. It is a constant:
// no inventory value ever goes into it, so nothing from a YAML file can reach a remote shell.
// `clusterctl probe` prints it. The framing (how each section runs, is bounded and printed) is
// facts/framing.ts, shared by every script that runs on a node.

export type ProbeFormat = ScriptFormat;
export type ProbeAttempt = ScriptAttempt;

export interface ProbeSection {
  name: string; // [a-z][a-z0-9.-]*; also the prefix of every problem about this section
  attempts: ProbeAttempt[]; // tried in order; the first that exits 0 wins
  // Bytes of output the probe keeps (default DEFAULT_BUDGET). More is not sent: the section is
  // marked cut and its checks say so, so one huge file cannot crowd the others out of the
  // transport's output cap (MAX_OUTPUT_BYTES). Size it to what a sane node prints.
  budget?: number;
  file?: string; // the file the section reads: a cut section reports its size
  keepAs?: string; // a shell variable that holds the section's output for later sections
}

export const DEFAULT_BUDGET = 64 * 1024;
const KiB = 1024;
const MiB = 1024 * KiB;

// `cat FILE` is a builtin under bash (facts/framing.ts): a file costs no process.
const fileSection = (name: string, file: string, budget: number): ProbeSection => ({ name, file, budget, attempts: [{ fmt: 'text', cmd: `cat ${file}` }] });

// The probe's own shell functions, for the sections below; the framing gives them `first N FILE`
// (a file's first N bytes), `quoted CMD…` (the output, 64 KiB at most, "| " before each line,
// so a line of a file can never read as a probe marker), `capped N CMD…` (the first N bytes of
// what CMD prints, errors included) and `found CMD` (status 127 and "CMD: not found", without a
// process, when CMD is not on PATH). The functions are facts/sh/probe-functions.sh, linted by
// shellcheck (test/unit/facts/shellcheck.test.ts).
export const PROBE_FUNCTIONS: readonly string[] = [PROBE_FUNCTIONS_SH];

// flanneld.service with its drop-ins, for the flannel version it runs, the etcd endpoints it dials
// and a drop-in that writes the config key: `systemctl cat` where systemd runs; else the files
// themselves, printed the same way ("# PATH" then the file); then its environment files
// (flanneld_unit). Bounded: 64 KiB of unit text and a few environment files.
const FLANNEL_UNIT: ProbeSection = {
  name: 'flannel.unit',
  budget: 88 * KiB, // 64 KiB of unit text, a few 4 KiB environment files, plus the '| ' of each line
  attempts: [
    { fmt: 'text', cmd: 'flanneld_unit systemctl cat --no-pager flanneld.service' },
    { fmt: 'text', cmd: 'flanneld_unit flanneld_unit_files' },
  ],
};

// Add a section here and a parser in parse/probe-output.ts; the script follows from this table.
// The budgets add up to well under the 4 MiB output cap (a unit test holds them to it).
export const SECTIONS: readonly ProbeSection[] = [
  {
    name: 'hostname',
    budget: 256, // the kernel holds at most 64 bytes
    // The kernel's name for the node, what `hostname` prints; read without a process.
    attempts: [
      { fmt: 'text', cmd: 'cat /proc/sys/kernel/hostname' },
      { fmt: 'text', cmd: 'hostname' },
    ],
  },
  fileSection('hostname.file', '/etc/hostname', 256),
  {
    name: 'addresses',
    budget: MiB, // `ip -j` grows with the interfaces: ~1 KiB each, so room for ~1000
    // iproute2 older than 4.13 has no -j and exits 255 ("Option "-j" is unknown").
    attempts: [
      { fmt: 'json', cmd: 'ip_json addr' },
      { fmt: 'json', cmd: 'ip -j addr show' },
      { fmt: 'text', cmd: 'ip -o addr show' },
    ],
  },
  {
    name: 'routes',
    budget: 512 * KiB, // ~100 bytes a route
    // iproute2 4.13–4.16 accepts -j for routes but prints text anyway; the parser sniffs.
    attempts: [
      { fmt: 'json', cmd: 'ip_json route' },
      { fmt: 'json', cmd: 'ip -j route show' },
      { fmt: 'text', cmd: 'ip route show' },
    ],
  },
  // glibc reads 3 nameservers and 6 search domains; a few KiB is already generous.
  fileSection('resolv', '/etc/resolv.conf', 16 * KiB),
  // flanneld writes its lease here (4 lines); missing means flannel never got one.
  fileSection('flannel.env', '/run/flannel/subnet.env', 4 * KiB),
  {
    name: 'links',
    budget: MiB, // ~1.2 KiB a link with -d
    // -d adds the link kind (vxlan for flannel.1, tun for flannel0).
    attempts: [
      { fmt: 'json', cmd: 'ip_json link' },
      { fmt: 'json', cmd: 'ip -j -d link show' },
      { fmt: 'text', cmd: 'ip -d link show' },
    ],
  },
  // Unit states mean something only when PID 1 is systemd: the sections after this one that ask
  // systemd read its name from $pid1. comm is at most 16 bytes.
  { name: 'init', budget: 64, keepAs: 'pid1', attempts: [{ fmt: 'text', cmd: 'cat /proc/1/comm' }] },
  // Every service unit, whatever the inventory asks for: unit names never enter the probe.
  // ~150 bytes a unit: room for a few thousand.
  { name: 'units', budget: 256 * KiB, keepAs: 'units', attempts: [{ fmt: 'text', cmd: 'systemctl list-units --type=service --all --no-legend --plain --no-pager' }] },
  // Enablement: whether each unit starts again after a reboot. Also lists unit files systemd
  // has not loaded (an inactive, disabled unit is not in `list-units --all`). ~80 bytes a unit.
  // Only where PID 1 is systemd: without it the states mean nothing (service skips), and
  // list-unit-files walks every unit directory itself, ~0.35 s of CPU a node.
  {
    name: 'unit-files',
    budget: 256 * KiB,
    attempts: [{ fmt: 'text', cmd: '[ "$pid1" = systemd ] && systemctl list-unit-files --type=service --no-legend --no-pager' }],
  },
  { name: 'units.failed', budget: 16 * KiB, attempts: [{ fmt: 'text', cmd: 'failed_journals' }] }, // itself keeps at most ~10 KiB
  // With systemd-resolved, /etc/resolv.conf names only its stub (127.0.0.53); the servers it
  // forwards to are listed here.
  fileSection('resolv.resolved', '/run/systemd/resolve/resolv.conf', 16 * KiB),
  // Ignition's record of provisioning (Ignition 2.x, well under 1 KiB); missing on a node it
  // never provisioned.
  fileSection('ignition.result', '/etc/.ignition-result.json', 16 * KiB),
  FLANNEL_UNIT,
  { name: 'flanneld.version', budget: KiB, attempts: [{ fmt: 'text', cmd: 'flanneld_version' }] },
  // Which API a plain etcdctl speaks is asked in the batch, only where a flanneld drop-in runs
  // etcdctl (facts/gatherers/etcdctl-version.ts): a Go binary's start is ~8 ms of CPU.
  // Kubernetes evidence (kube.*): a few KiB of arguments a process, a few KiB a unit and a CNI
  // config; the budgets leave the rest of the output cap to the sections above.
  { name: 'kube.procs', budget: 8 * KiB, attempts: [{ fmt: 'text', cmd: 'kube_procs' }] },
  { name: 'kube.units', budget: 16 * KiB, attempts: [{ fmt: 'text', cmd: 'kube_units' }] },
  { name: 'cni', budget: 12 * KiB, attempts: [{ fmt: 'text', cmd: 'cni_config' }] },
];

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

export interface ProbeSectionOutput {
  rc: number;
  fmt: string;
  body: string;
  // The output was over the section's budget and was not sent; size: the file's size in bytes
  // when the section reads a file (null when unknown). Absent: the whole output is in body.
  cut?: { size: number | null };
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
