// The probe as it was before issue 15 (commit f37240d's src/facts/probe.ts, the script builder
// and its table, unchanged): kept so the bench can measure it next to the current probe in the
// same run, and so tests can check that the current probe yields the same sections.
import type { Become } from '../src/util/become.js';
import { shellQuote } from '../src/util/shell.js';

export type ProbeFormat = 'json' | 'text';

export interface ProbeAttempt {
  fmt: ProbeFormat;
  cmd: string; // a constant shell command; read-only, because a failing one is run twice
}

export interface ProbeSection {
  name: string; // [a-z][a-z0-9.-]*; also the prefix of every problem about this section
  attempts: ProbeAttempt[]; // tried in order; the first that exits 0 wins
  // Bytes of output the probe keeps (default DEFAULT_BUDGET). More is not sent: the section is
  // marked cut and its checks say so, so one huge file cannot crowd the others out of the
  // transport's output cap (MAX_OUTPUT_BYTES). Size it to what a sane node prints.
  budget?: number;
  file?: string; // the file the section reads: a cut section reports its size
}

export const DEFAULT_BUDGET = 64 * 1024;
const KiB = 1024;
const MiB = 1024 * KiB;

const fileSection = (name: string, file: string, budget: number): ProbeSection => ({ name, file, budget, attempts: [{ fmt: 'text', cmd: `cat ${file}` }] });

// flanneld.service with its drop-ins, for the flannel version it runs, the etcd endpoints it dials
// and a drop-in that writes the config key. `systemctl cat` where systemd runs; else the files
// themselves, printed the same way ("# PATH" then the file), which the reader puts in systemd's
// order. Bounded: 16 KiB a file, 64 KiB in all. "| " before every line: a unit file's text must
// never read as a probe marker.
const FLANNEL_UNIT: ProbeSection = {
  name: 'flannel.unit',
  budget: 80 * KiB, // 64 KiB of unit text, plus the '| ' of each line
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
  budget: KiB,
  attempts: [{ fmt: 'text', cmd: 'command -v flanneld >/dev/null && command -v timeout >/dev/null && timeout 2 flanneld --version 2>&1 | head -c 200' }],
};
// The API a plain `etcdctl` speaks, as a unit's ExecStartPre runs it: ETCDCTL_API empty is unset
// to every etcdctl. 3.4+ knows `version` (v3 by default); ≤ 3.3 speaks v2 and knows `--version`.
const ETCDCTL_VERSION: ProbeSection = {
  name: 'etcdctl.version',
  budget: 4 * KiB,
  attempts: [
    { fmt: 'text', cmd: 'ETCDCTL_API= etcdctl version' },
    { fmt: 'text', cmd: 'ETCDCTL_API= etcdctl --version' },
  ],
};


// Add a section here and a parser in parse.ts; the script follows from this table. The budgets
// add up to well under the 4 MiB output cap (a unit test holds them to it).
export const SECTIONS: readonly ProbeSection[] = [
  {
    name: 'hostname',
    budget: 256, // the kernel holds at most 64 bytes
    // Container Linux has `hostname`; a minimal image may not, the kernel always knows.
    attempts: [
      { fmt: 'text', cmd: 'hostname' },
      { fmt: 'text', cmd: 'cat /proc/sys/kernel/hostname' },
    ],
  },
  fileSection('hostname.file', '/etc/hostname', 256),
  {
    name: 'addresses',
    budget: MiB, // `ip -j` grows with the interfaces: ~1 KiB each, so room for ~1000
    // iproute2 older than 4.13 has no -j and exits 255 ("Option "-j" is unknown").
    attempts: [
      { fmt: 'json', cmd: 'ip -j addr show' },
      { fmt: 'text', cmd: 'ip -o addr show' },
    ],
  },
  {
    name: 'routes',
    budget: 512 * KiB, // ~100 bytes a route
    // iproute2 4.13–4.16 accepts -j for routes but prints text anyway; the parser sniffs.
    attempts: [
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
      { fmt: 'json', cmd: 'ip -j -d link show' },
      { fmt: 'text', cmd: 'ip -d link show' },
    ],
  },
  // Unit states mean something only when PID 1 is systemd. comm is at most 16 bytes.
  { name: 'init', budget: 64, attempts: [{ fmt: 'text', cmd: 'cat /proc/1/comm' }] },
  // Every service unit, whatever the inventory asks for: unit names never enter the probe.
  // ~150 bytes a unit: room for a few thousand.
  { name: 'units', budget: 256 * KiB, attempts: [{ fmt: 'text', cmd: 'systemctl list-units --type=service --all --no-legend --plain --no-pager' }] },
  // Enablement: whether each unit starts again after a reboot. Also lists unit files systemd
  // has not loaded (an inactive, disabled unit is not in `list-units --all`). ~80 bytes a unit.
  // Only where PID 1 is systemd: without it the states mean nothing (service skips), and
  // list-unit-files walks every unit directory itself, ~0.35 s of CPU a node.
  {
    name: 'unit-files',
    budget: 256 * KiB,
    attempts: [{ fmt: 'text', cmd: '[ "$(cat /proc/1/comm)" = systemd ] && systemctl list-unit-files --type=service --no-legend --no-pager' }],
  },
  // The last lines of each failed service's journal (at most 8 units × 5 lines × 200 chars).
  // "| " before every log line: a log line can be written by anyone and must never read as a
  // probe marker. Some systemd versions print "●" before a failed unit even with --plain.
  {
    name: 'units.failed',
    budget: 16 * KiB, // the command itself keeps at most ~10 KiB
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
  fileSection('resolv.resolved', '/run/systemd/resolve/resolv.conf', 16 * KiB),
  // Ignition's record of provisioning (Ignition 2.x, well under 1 KiB); missing on a node it
  // never provisioned.
  fileSection('ignition.result', '/etc/.ignition-result.json', 16 * KiB),
  FLANNEL_UNIT,
  FLANNELD_VERSION,
  ETCDCTL_VERSION,
];

export const MARKER = '@@clusterctl:';

// Shell functions do the work so each section costs one line of script. `x` runs attempt $c
// with at most $l bytes of its output kept (`head -c`), and appends "@rc=" and its exit status,
// which the pipeline would otherwise lose: the status travels on fd 5, the output on fd 3.
// `p` runs a section: attempts with stderr discarded (a warning must not corrupt JSON); when all
// fail, the last again with stderr kept, so the report can say why ("ip: not found"). Output
// over the budget is not printed: the end marker says `cut=` and the file's size when known.
// POSIX sh; LC_ALL=C makes ${#o} count bytes.
const PRELUDE = [
  'LC_ALL=C; export LC_ALL',
  // coreutils is on every Container Linux and Flatcar node; without head, no budgets but no loss.
  'command -v head >/dev/null || head(){ cat; }',
  // become: sudo (see probeFor): a file that exists but the SSH user may not read is read
  // through `sudo -n -- cat FILE` (never a prompt); every other read stays the user's.
  '[ "${clusterctl_become-}" = sudo ] && cat(){ if [ $# = 1 ] && [ -e "$1" ] && [ ! -r "$1" ]; then sudo -n -- cat "$1"; else command cat "$@"; fi; }',
  'x(){ { r=$( { { if [ $1 = 1 ]; then (eval "$c") 2>&1; else (eval "$c") 2>/dev/null; fi; echo $? >&5; } | head -c $l >&3; } 5>&1 ); echo "@rc=$r"; } 3>&1; }',
  // Cut: more than the budget came back, or the command died of SIGPIPE (141) because head
  // stopped reading (the shell drops NUL bytes, so /dev/zero would otherwise look empty).
  'y(){ o=$(x $1); r=${o##*@rc=}; o=${o%@rc=*}; [ ${#o} -le $b ] && [ "$r" != 141 ] || r=cut; }',
  `p(){ n=$1 b=$2 z=$3; l=$((b+1)); shift 3; echo "${MARKER}begin $n"; for a; do f=\${a%%:*}; c=\${a#*:}; y 0; ` +
    '[ "$r" = 0 ] || [ "$r" = cut ] && break; done; ' +
    '[ "$r" = 0 ] || [ "$r" = cut ] || y 1; ' +
    `if [ "$r" = cut ]; then s=$([ -n "$z" ] && stat -L -c %s "$z" 2>/dev/null) || s=?; echo "${MARKER}end $n rc=0 fmt=$f cut=$s"; ` +
    `else printf '%s\\n' "$(printf %s "$o")"; echo "${MARKER}end $n rc=$r fmt=$f"; fi; }`,
];

export function buildProbe(sections: readonly ProbeSection[]): string {
  const lines = sections.map((s) => {
    if (!/^[a-z][a-z0-9.-]*$/.test(s.name)) throw new Error(`bad probe section name ${s.name}`);
    const budget = s.budget ?? DEFAULT_BUDGET;
    if (!Number.isSafeInteger(budget) || budget < 1) throw new Error(`bad probe budget ${budget} for ${s.name}`);
    return ['p', s.name, String(budget), shellQuote(s.file ?? ''), ...s.attempts.map((a) => shellQuote(`${a.fmt}:${a.cmd}`))].join(' ');
  });
  return [...PRELUDE, ...lines, `echo "${MARKER}done"`, ''].join('\n');
}

export const PROBE: string = buildProbe(SECTIONS);

// What runs on a node: the one constant probe, told by a constant first line whether it may use
// sudo for root-only files (become). No inventory text ever enters it.
export function probeFor(become: Become): string {
  return become === 'sudo' ? `clusterctl_become=sudo\n${PROBE}` : PROBE;
}
