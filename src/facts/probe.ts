import type { Become } from '../util/become.js';
import { buildScript } from './framing.js';
import type { ScriptAttempt, ScriptFormat } from './framing.js';
import { readParts } from '../util/frames.js';

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
// process, when CMD is not on PATH).
export const PROBE_FUNCTIONS: readonly string[] = [
  // systemd answers only where it is PID 1 ($pid1, from the init section): elsewhere systemctl
  // fails (~3 ms of CPU for nothing), and no check reads unit states without systemd. Asked
  // when PID 1's name could not be read.
  'pid1_may_be_systemd() { [ -z "$pid1" ] || [ "$pid1" = systemd ]; }',
  'systemctl() { pid1_may_be_systemd || { echo "systemctl: not run: PID 1 is $pid1, not systemd" >&2; return 1; }; command systemctl "$@"; }',
  // flanneld.service and its drop-ins where systemctl cannot say (no systemd): "# PATH" then the
  // file, 16 KiB at most each, which the reader puts in systemd's order.
  'flanneld_unit_files() {',
  '  local d f',
  '  set --',
  '  for d in /etc /run /usr/local/lib /usr/lib /lib; do',
  '    for f in $d/systemd/system/flanneld.service $d/systemd/system/flanneld.service.d/*.conf; do [ -f "$f" ] && set -- "$@" "$f"; done',
  '  done',
  '  [ $# -gt 0 ] || return 1',
  '  for f; do echo "# $f"; first 16384 "$f"; echo; done',
  '}',
  // flanneld.service as `flanneld_unit systemctl cat --no-pager flanneld.service` (or
  // `flanneld_unit flanneld_unit_files`) prints it, "| " before each line; then each file an
  // EnvironmentFile= line names (Container Linux's /run/flannel/options.env, where
  // FLANNELD_ETCD_ENDPOINTS often is): "environment-file PATH" and its first 4 KiB, "| " before
  // each line, or "environment-file-missing PATH". The paths come from the node's own unit, never
  // from the inventory; relative ones and globs are not read. Under bash the unit's text goes
  // through the scratch file, so this costs no process of its own.
  'flanneld_unit() {',
  '  local t p line',
  '  if [ -n "${BASH_VERSION-}" ] && [ -n "$X" ]; then',
  '    "$@" >"$X" || return',
  '    local lim=81921 out len; slurp "$X"; t=$out',
  '  else t=$("$@" && echo .) || return; t=${t%.}; fi',
  '  quoted printf %s "$t"',
  '  while IFS= read -r line; do',
  '    line=${line#"${line%%[![:space:]]*}"}',
  '    case $line in EnvironmentFile=*|EnvironmentFile[[:space:]]*=*) p=${line#*=};; *) continue;; esac',
  '    p=${p#"${p%%[![:space:]]*}"} p=${p%"${p##*[![:space:]]}"} p=${p#-}',
  '    case $p in /*) ;; *) continue;; esac',
  '    if [ -f "$p" ]; then printf "environment-file %s\\n" "$p"; quoted first 4096 "$p"; else printf "environment-file-missing %s\\n" "$p"; fi',
  '  done <<EOF',
  '$t',
  'EOF',
  '}',
  // `ip_json addr|route|link`: that table as `ip -j -d` prints it. `addr` runs one `ip -b` for all
  // three (one process, not three), into the scratch file $X (no command substitution: that would
  // fork a subshell around ip), and keeps the other two lines for the sections after it; under the
  // POSIX path each attempt is a subshell, so nothing is kept and the sections fall back to their
  // own `ip`. Fails (the section's next attempt runs) where ip has no -j or -b, or one table failed.
  'ip_json() {',
  '  local line=',
  '  case $1 in',
  '    addr)',
  '      ip_route= ip_link=',
  '      [ -n "$X" ] || return',
  '      ip -j -d -b - >"$X" 2>/dev/null <<EOF || return',
  'addr show',
  'route show',
  'link show',
  'EOF',
  '      { IFS= read -r line; IFS= read -r ip_route; IFS= read -r ip_link; } <"$X";;',
  '    route) line=${ip_route-};;',
  '    *) line=${ip_link-};;',
  '  esac',
  '  [ -n "$line" ] && printf "%s\\n" "$line"',
  '}',
  // The flanneld on PATH (a hand-installed one); the flannel-wrapper's runs in a container.
  // Bounded by `timeout`: a flanneld too old to know --version would start instead.
  'flanneld_version() {',
  '  command -v flanneld >/dev/null && command -v timeout >/dev/null || return',
  '  capped 200 timeout 2 flanneld --version',
  '}',
  // Kubernetes: each running kubelet, kube-apiserver or hyperkube, "process PID NAME uid R E S F"
  // (the Uid: line of /proc/PID/status; "uid ?" when unreadable). Any user can start a process named
  // kubelet, so only a root one's arguments are printed (one a line, "| " before each, read after
  // its uid: a PID an impostor takes over later is no root process), and at most 8 others are
  // listed (impostors cannot crowd the section past its budget).
  // comm and status are read by the shell; a root match costs one process (tr). No inventory
  // text: the kube.* checks learn from this what to ask in the batch, and re-check the PID there.
  'kube_procs() {',
  '  local d c k u n=0',
  '  for d in /proc/[0-9]*; do',
  '    c=; { read -r c <"$d/comm"; } 2>/dev/null || continue',
  '    case $c in kubelet|kube-apiserver|hyperkube) ;; *) continue;; esac',
  '    u=; { while read -r k u && [ "$k" != Uid: ]; do :; done <"$d/status"; } 2>/dev/null',
  '    set -- process ${d#/proc/} $c uid ${u:-\\?}',
  '    case "$*" in *" uid 0 0 0 0") echo "$*"; quoted tr "\\000" "\\n" <"$d/cmdline";; *) n=$((n+1)); [ $n -gt 8 ] || echo "$*";; esac',
  '  done',
  '}',
  // kubelet.service and kube-apiserver.service as systemd merges them, where systemd knows them
  // ("unit NAME", then the text, "| " before each line): what starts next time.
  'kube_units() {',
  '  local u',
  '  [ "$pid1" = systemd ] || return 1',
  '  for u in kubelet.service kube-apiserver.service; do',
  '    case $units in *"$u"*) echo "unit $u"; quoted systemctl cat --no-pager "$u";; esac',
  '  done',
  '}',
  // The CNI configs the runtime reads ("file NAME" each, in the glob's order, which is the
  // runtime's), then the first one's text ("| " before each line). No directory: status 1.
  'cni_config() {',
  '  local f first=',
  '  [ -d /etc/cni/net.d ] || return 1',
  '  for f in /etc/cni/net.d/*; do',
  '    [ -f "$f" ] || continue',
  '    echo "file ${f##*/}"',
  '    case $f in *.conf|*.conflist|*.json) [ -n "$first" ] || first=$f;; esac',
  '  done',
  '  [ -z "$first" ] || { echo text; quoted first 8192 "$first"; }',
  '  return 0',
  '}',
  // The last lines of each failed service's journal (at most 8 units × 5 lines × 200 bytes),
  // "| " before each line: a log line can be written by anyone and must never read as a marker.
  // Some systemd versions print "●" before a failed unit even with --plain.
  'failed_journals() {',
  '  local list a b rest u k=0 j line',
  '  pid1_may_be_systemd || return 0',
  '  list=$(systemctl --failed --type=service --no-legend --plain --no-pager)',
  '  while read -r a b rest && [ $k -lt 8 ]; do',
  '    k=$((k+1))',
  '    case $a in *.service) u=$a;; *) u=$b;; esac',
  '    case $u in *.service) ;; *) continue;; esac',
  '    echo "unit $u"',
  '    j=$(journalctl -u "$u" -n 5 --no-pager -o cat 2>&1)',
  '    [ -z "$j" ] || while IFS= read -r line; do printf "| %.200s\\n" "$line"; done <<EOF',
  '$j',
  'EOF',
  '  done <<EOF',
  '$list',
  'EOF',
  '}',
];

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

// The same probe as a session (facts/framing.ts, transport/session.ts): started once a connection,
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
