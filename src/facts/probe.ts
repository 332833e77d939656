import { shellQuote } from '../util/shell.js';

// The probe is the one command clusterctl runs on a node to gather facts. It is a constant:
// no inventory value ever goes into it, so nothing from a YAML file can reach a remote shell.

export type ProbeFormat = 'json' | 'text';

export interface ProbeAttempt {
  fmt: ProbeFormat;
  cmd: string; // a constant shell command; read-only, because a failing one is run twice
}

export interface ProbeSection {
  name: string; // [a-z][a-z0-9.-]*; also the prefix of every problem about this section
  attempts: ProbeAttempt[]; // tried in order; the first that exits 0 wins
}

// flanneld.service with its drop-ins, for the flannel version it runs, the etcd endpoints it dials
// and a drop-in that writes the config key. `systemctl cat` where systemd runs; else the files
// themselves, printed the same way ("# PATH" then the file), which the reader puts in systemd's
// order. Bounded: 16 KiB a file, 64 KiB in all. "| " before every line: a unit file's text must
// never read as a probe marker.
const FLANNEL_UNIT: ProbeSection = {
  name: 'flannel.unit',
  attempts: [
    { fmt: 'text', cmd: "systemctl cat --no-pager flanneld.service >/dev/null && systemctl cat --no-pager flanneld.service | head -c 65536 | sed 's/^/| /'" },
    {
      fmt: 'text',
      cmd:
        'set --; for d in /etc /run /usr/local/lib /usr/lib /lib; do for f in $d/systemd/system/flanneld.service $d/systemd/system/flanneld.service.d/*.conf; ' +
        'do [ -f "$f" ] && set -- "$@" "$f"; done; done; [ $# -gt 0 ] || exit 1; for f; do echo "# $f"; head -c 16384 "$f"; echo; done | head -c 65536 | sed \'s/^/| /\'',
    },
  ],
};
// The flanneld on PATH (a hand-installed one); the flannel-wrapper's runs in a container. Bounded
// by `timeout`: a flanneld too old to know --version would start instead.
const FLANNELD_VERSION: ProbeSection = {
  name: 'flanneld.version',
  attempts: [{ fmt: 'text', cmd: 'command -v flanneld >/dev/null && command -v timeout >/dev/null && timeout 2 flanneld --version 2>&1 | head -c 200' }],
};
// The API a plain `etcdctl` speaks, as a unit's ExecStartPre runs it: ETCDCTL_API empty is unset
// to every etcdctl. 3.4+ knows `version` (v3 by default); ≤ 3.3 speaks v2 and knows `--version`.
const ETCDCTL_VERSION: ProbeSection = {
  name: 'etcdctl.version',
  attempts: [
    { fmt: 'text', cmd: 'ETCDCTL_API= etcdctl version' },
    { fmt: 'text', cmd: 'ETCDCTL_API= etcdctl --version' },
  ],
};

// Add a section here and a parser in parse.ts; the script follows from this table.
export const SECTIONS: readonly ProbeSection[] = [
  {
    name: 'hostname',
    // Container Linux has `hostname`; a minimal image may not, the kernel always knows.
    attempts: [
      { fmt: 'text', cmd: 'hostname' },
      { fmt: 'text', cmd: 'cat /proc/sys/kernel/hostname' },
    ],
  },
  { name: 'hostname.file', attempts: [{ fmt: 'text', cmd: 'cat /etc/hostname' }] },
  {
    name: 'addresses',
    // iproute2 older than 4.13 has no -j and exits 255 ("Option "-j" is unknown").
    attempts: [
      { fmt: 'json', cmd: 'ip -j addr show' },
      { fmt: 'text', cmd: 'ip -o addr show' },
    ],
  },
  {
    name: 'routes',
    // iproute2 4.13–4.16 accepts -j for routes but prints text anyway; the parser sniffs.
    attempts: [
      { fmt: 'json', cmd: 'ip -j route show' },
      { fmt: 'text', cmd: 'ip route show' },
    ],
  },
  { name: 'resolv', attempts: [{ fmt: 'text', cmd: 'cat /etc/resolv.conf' }] },
  // flanneld writes its lease here; missing means flannel never got one.
  { name: 'flannel.env', attempts: [{ fmt: 'text', cmd: 'cat /run/flannel/subnet.env' }] },
  {
    name: 'links',
    // -d adds the link kind (vxlan for flannel.1, tun for flannel0).
    attempts: [
      { fmt: 'json', cmd: 'ip -j -d link show' },
      { fmt: 'text', cmd: 'ip -d link show' },
    ],
  },
  // Unit states mean something only when PID 1 is systemd.
  { name: 'init', attempts: [{ fmt: 'text', cmd: 'cat /proc/1/comm' }] },
  // Every service unit, whatever the inventory asks for: unit names never enter the probe.
  { name: 'units', attempts: [{ fmt: 'text', cmd: 'systemctl list-units --type=service --all --no-legend --plain --no-pager' }] },
  // Enablement: whether each unit starts again after a reboot. Also lists unit files systemd
  // has not loaded (an inactive, disabled unit is not in `list-units --all`).
  { name: 'unit-files', attempts: [{ fmt: 'text', cmd: 'systemctl list-unit-files --type=service --no-legend --no-pager' }] },
  // The last lines of each failed service's journal (at most 8 units × 5 lines × 200 chars).
  // "| " before every log line: a log line can be written by anyone and must never read as a
  // probe marker. Some systemd versions print "●" before a failed unit even with --plain.
  {
    name: 'units.failed',
    attempts: [
      {
        fmt: 'text',
        cmd:
          'systemctl --failed --type=service --no-legend --plain --no-pager | head -n 8 | while read -r a b _; do ' +
          'case $a in *.service) u=$a;; *) u=$b;; esac; case $u in *.service) ;; *) continue;; esac; echo "unit $u"; ' +
          `journalctl -u "$u" -n 5 --no-pager -o cat 2>&1 | cut -c1-200 | sed 's/^/| /'; done`,
      },
    ],
  },
  // With systemd-resolved, /etc/resolv.conf names only its stub (127.0.0.53); the servers it
  // forwards to are listed here.
  { name: 'resolv.resolved', attempts: [{ fmt: 'text', cmd: 'cat /run/systemd/resolve/resolv.conf' }] },
  // Ignition's record of provisioning (Ignition 2.x); missing on a node it never provisioned.
  { name: 'ignition.result', attempts: [{ fmt: 'text', cmd: 'cat /etc/.ignition-result.json' }] },
  FLANNEL_UNIT,
  FLANNELD_VERSION,
  ETCDCTL_VERSION,
];

export const MARKER = '@@clusterctl:';

// One shell function does the work so each section costs one line of script. Attempts run
// with stderr discarded (a warning must not corrupt JSON); when all fail, the last one is run
// again with stderr kept, so the report can say why ("ip: not found").
const PRELUDE = [
  'LC_ALL=C; export LC_ALL',
  `p(){ n=$1; shift; echo "${MARKER}begin $n"; for a; do f=\${a%%:*}; c=\${a#*:}; ` +
    'o=$(eval "$c" 2>/dev/null); r=$?; [ $r = 0 ] && break; done; ' +
    '[ $r = 0 ] || o=$(eval "$c" 2>&1); ' +
    `printf '%s\\n' "$o"; echo "${MARKER}end $n rc=$r fmt=$f"; }`,
];

export function buildProbe(sections: readonly ProbeSection[]): string {
  const lines = sections.map((s) => {
    if (!/^[a-z][a-z0-9.-]*$/.test(s.name)) throw new Error(`bad probe section name ${s.name}`);
    return ['p', s.name, ...s.attempts.map((a) => shellQuote(`${a.fmt}:${a.cmd}`))].join(' ');
  });
  return [...PRELUDE, ...lines, `echo "${MARKER}done"`, ''].join('\n');
}

export const PROBE: string = buildProbe(SECTIONS);

export interface ProbeSectionOutput {
  rc: number;
  fmt: string;
  body: string;
}

const BEGIN = /^@@clusterctl:begin ([a-z][a-z0-9.-]*)$/;
const END = /^@@clusterctl:end ([a-z][a-z0-9.-]*) rc=(\d+) fmt=([a-z]*)$/;

// Cut the probe's stdout into sections. A section without its end marker (output cut short)
// is left out, so a caller sees it as missing rather than half-read; other lines are ignored.
export function splitSections(stdout: string): Map<string, ProbeSectionOutput> {
  const sections = new Map<string, ProbeSectionOutput>();
  let open: { name: string; lines: string[] } | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const begin = BEGIN.exec(line);
    if (begin) {
      open = { name: begin[1] ?? '', lines: [] };
      continue;
    }
    const end = END.exec(line);
    if (end && open && end[1] === open.name) {
      sections.set(open.name, { rc: Number(end[2]), fmt: end[3] ?? '', body: open.lines.join('\n') });
      open = null;
      continue;
    }
    open?.lines.push(line);
  }
  return sections;
}

// How a section's output was produced, for problem messages: "`ip -j route show`".
export function describeAttempt(section: string, fmt: string): string {
  const s = SECTIONS.find((x) => x.name === section);
  const attempt = s?.attempts.filter((a) => a.fmt === fmt).at(-1) ?? s?.attempts.at(-1);
  return attempt ? `\`${attempt.cmd}\`` : `section ${section}`;
}
