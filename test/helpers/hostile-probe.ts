// Issue 22, item 1 (the harness; test/unit/facts/probe.hostile.*.test.ts run it, a file a shell so
// each stays within the runner's time for a file): whatever a node prints for one probe section changes that section's fact and
// nothing else. The real probe runs under bash and dash on a stand-in node: every file it reads
// moved under a directory of the test's, every program it runs (ip, systemctl, journalctl,
// flanneld) a stand-in. Each source in turn holds hostile text (test/helpers/hostile-frames.ts)
// before its own; the facts are compared with a run where none does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFacts } from '../../src/facts/parse/probe-output.js';
import { PROBE, SECTIONS as PROBE_SECTIONS } from '../../src/facts/probe.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { withNonce } from '../../src/util/frame-shell.js';
import { HOSTILE_BYTES } from './hostile-frames.js';
import { TEST_NONCE } from './nonce.js';
import { sectionsOf } from './probe-sections.js';
import { SHELLS } from './shells.js';

const root = mkdtempSync(join(tmpdir(), 'cclhostile-probe-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, 'bin');
const src = join(root, 'src');
const node = join(root, 'node');
mkdirSync(bin);

// The files the probe reads, under `node`.
const FILES = ['/proc/sys/kernel/hostname', '/etc/hostname', '/etc/resolv.conf', '/run/flannel/subnet.env', '/proc/1/comm', '/run/systemd/resolve/resolv.conf', '/etc/.ignition-result.json'];
const probe = [...FILES, '/etc/cni/net.d']
  .reduce((p, f) => p.replaceAll(f, `${node}${f}`), PROBE)
  .replace('for d in /proc/[0-9]*; do', `for d in ${node}/proc/[0-9]*; do`)
  .replace('${d#/proc/}', '${d##*/}');

// What each source holds when nothing is hostile.
const BASELINE: Record<string, string | Buffer> = {
  '/proc/sys/kernel/hostname': 'lab-node-1\n',
  '/etc/hostname': 'lab-node-1\n',
  '/etc/resolv.conf': 'nameserver 198.18.0.1\n',
  '/run/flannel/subnet.env': 'FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.5.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
  '/proc/1/comm': 'systemd\n',
  '/run/systemd/resolve/resolv.conf': 'nameserver 198.18.0.2\n',
  '/etc/.ignition-result.json': '{"provisioningDate":"2026-01-01T00:00:00Z","userConfigProvided":true}\n',
  '/etc/cni/net.d/10-flannel.conflist': '{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel"}]}\n',
  '/proc/4242/comm': 'kubelet\n',
  '/proc/4242/status': 'Name:\tkubelet\nUid:\t0\t0\t0\t0\n', // root: only then are its arguments listed
  '/proc/4242/cmdline': Buffer.from('/opt/bin/kubelet\0--node-ip=198.18.1.11\0'),
  'addresses.out': JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '198.18.1.11', prefixlen: 24 }] }]),
  'routes.out': JSON.stringify([{ dst: 'default', gateway: '198.18.1.1', dev: 'eth0' }]),
  'links.out': JSON.stringify([{ ifname: 'eth0', flags: ['UP'], operstate: 'UP' }]),
  'units.out': 'kubelet.service loaded active running kubelet\nflanneld.service loaded active running flannel\n',
  'unit-files.out': 'kubelet.service enabled enabled\nflanneld.service enabled enabled\n',
  'failed.out': 'bad.service loaded failed failed Bad\n',
  'journal.out': 'bad.service: Failed with result exit-code.\n',
  'flannel-unit.out': '# /usr/lib/systemd/system/flanneld.service\n[Service]\nEnvironment="FLANNEL_IMAGE_TAG=v0.11.0"\n',
  'kube-unit.out': '# /usr/lib/systemd/system/kubelet.service\n[Service]\nExecStart=/opt/bin/kubelet --node-ip=198.18.1.11\n',
  'flanneld.out': 'v0.11.0\n',
};

const out = (name: string, rest = '') => `cat "${src}/${name}.out"${rest}`;
const standIn = (name: string, body: string) => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
// ip without -b (the probe falls back to one ip a table), and each table from its file.
standIn('ip', `case "$*" in *-b*) exit 1;; *addr*) ${out('addresses')};; *route*) ${out('routes')};; *link*) ${out('links')};; *) exit 1;; esac`);
standIn('systemctl', `case "$1 $3" in 'list-units '*) ${out('units')};; 'list-unit-files '*) ${out('unit-files')};; '--failed '*) ${out('failed')};; 'cat flanneld.service') ${out('flannel-unit')};; 'cat kubelet.service') ${out('kube-unit')};; *) exit 1;; esac`);
standIn('journalctl', out('journal'));
standIn('flanneld', out('flanneld'));

function probeWith(shell: (typeof SHELLS)[number], sources: Record<string, string | Buffer>): { facts: NodeFacts; stdout: string } {
  for (const d of [src, node]) rmSync(d, { recursive: true, force: true });
  mkdirSync(src);
  for (const [name, text] of Object.entries(sources)) {
    const path = name.startsWith('/') ? join(node, name) : join(src, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  const stdout = execFileSync(shell.bin, ['-c', withNonce(TEST_NONCE, probe)], { env: { PATH: `${bin}:${shell.path()}` }, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return { facts: parseFacts(stdout, TEST_NONCE), stdout };
}

// Each source: the section that prints it, and the facts its text may change (PID 1's name
// decides whether systemd is asked at all; the kept unit list whether kube.units asks for units).
const SYSTEMD: (keyof NodeFacts)[] = ['init', 'units', 'unitFiles', 'failedJournal', 'flannelUnit', 'kubeUnits'];
const SOURCES: Record<string, [string, (keyof NodeFacts)[]]> = {
  '/proc/sys/kernel/hostname': ['hostname', ['hostname']],
  '/etc/hostname': ['hostname.file', ['hostnameFile']],
  'addresses.out': ['addresses', ['addresses']],
  'routes.out': ['routes', ['routes']],
  '/etc/resolv.conf': ['resolv', ['resolv']],
  '/run/flannel/subnet.env': ['flannel.env', ['subnetEnv']],
  'links.out': ['links', ['links']],
  '/proc/1/comm': ['init', SYSTEMD],
  'units.out': ['units', ['units', 'kubeUnits']],
  'unit-files.out': ['unit-files', ['unitFiles']],
  'journal.out': ['units.failed', ['failedJournal']],
  '/run/systemd/resolve/resolv.conf': ['resolv.resolved', ['resolvResolved']],
  '/etc/.ignition-result.json': ['ignition.result', ['ignitionResult']],
  'flannel-unit.out': ['flannel.unit', ['flannelUnit']],
  'flanneld.out': ['flanneld.version', ['flanneldVersion']],
  '/proc/4242/cmdline': ['kube.procs', ['kubeProcs']],
  'kube-unit.out': ['kube.units', ['kubeUnits']],
  '/etc/cni/net.d/10-flannel.conflist': ['cni', ['cni']],
};

const changed = (a: NodeFacts, b: NodeFacts) => (Object.keys(a) as (keyof NodeFacts)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

// A section's place in the probe's reply.
const order = (name: string) => PROBE_SECTIONS.findIndex((s) => s.name === name);

export function probeHostileTests(name: (typeof SHELLS)[number]['name'], together = 1): void {
  const shell = SHELLS.find((s) => s.name === name)!;
  describe(`the probe under ${shell.name}: a section's text changes its own fact only`, () => {
    const base = probeWith(shell, BASELINE);

    test('the baseline reads every section', () => {
      const errors = Object.entries(base.facts).filter(([, f]) => 'error' in f && !/not gathered/.test(String((f as { error: string }).error)));
      assert.deepEqual(errors, []);
      assert.deepEqual(base.facts.hostname, { ok: 'lab-node-1' });
      assert.ok('ok' in base.facts.kubeProcs && base.facts.kubeProcs.ok.length === 1, JSON.stringify(base.facts.kubeProcs));
      assert.ok('ok' in base.facts.kubeUnits && 'kubelet.service' in base.facts.kubeUnits.ok, JSON.stringify(base.facts.kubeUnits));
    });

    // Sources in groups of `together` (one probe run a group: dash's runs are slow): the text stays in
    // the sections of the group, and only their facts may change.
    const entries = Object.entries(SOURCES);
    for (let i = 0; i < entries.length; i += together) {
      const group = entries.slice(i, i + together);
      const owners = new Set(group.flatMap(([, [, o]]) => o));
      test(`hostile ${group.map(([s]) => s).join(', ')}: only ${[...owners].join(', ')} may change`, () => {
        const sources = { ...BASELINE };
        for (const [source] of group) {
          const rest = BASELINE[source] ?? '';
          sources[source] = Buffer.concat([HOSTILE_BYTES, Buffer.from('\n'), Buffer.isBuffer(rest) ? rest : Buffer.from(rest)]);
        }
        const hostile = probeWith(shell, sources);
        // The text is in its own section, or the section was cut for its size; in no other.
        const sections = sectionsOf(hostile.stdout);
        const holding = [...sections].filter(([, s]) => s.body.includes('@@clusterctl-batch')).map(([name]) => name);
        assert.deepEqual(holding, group.map(([, [section]]) => section).filter((name) => !sections.get(name)?.cut).sort((a, b) => order(a) - order(b)));
        assert.deepEqual([...sections.keys()], [...sectionsOf(base.stdout).keys()], 'every section, once, and the end');
        const diff = changed(base.facts, hostile.facts);
        assert.ok(diff.every((k) => owners.has(k)), `changed: ${diff.join(', ')}`);
      });
    }
  });
}
