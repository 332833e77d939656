// Issue 22, item 1 (the harness; test/unit/facts/batch.hostile.*.test.ts run it, a file a shell so
// each stays within the runner's time for a file): whatever a node prints in one part of its batch changes that part's fact and
// nothing else. The whole batch (etcd, the flannel key, etcdctl.version, provisioned, kube, the
// reach test) runs for real under bash (bash 5's reach path and bash 4's) and dash, with
// stand-ins for the programs it runs; each stand-in in turn prints hostile text
// (test/helpers/hostile-frames.ts), and the facts are compared with a run where none does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { etcdHealthCheck, etcdMembersCheck } from '../../src/checks/etcd.js';
import { batchScriptOf, readBatchOutput } from '../../src/facts/batch.js';
import type { BatchFacts, BatchPlan } from '../../src/facts/batch.js';
import { withNonce } from '../../src/util/frame-shell.js';
import { readParts } from '../../src/util/frames.js';
import type { Parts } from '../../src/util/frames.js';
import { ctx, facts, node } from '../fixtures/facts/builders.js';
import { FULL_BATCH_KEY, fullBatchPlan } from './full-batch.js';
import { PLANNED_COLLECTORS } from '../../src/facts/collectors/planned.js';
import { HOSTILE_BYTES } from './hostile-frames.js';
import { TEST_NONCE } from './nonce.js';
import { SHELLS } from './shells.js';

const KEY = FULL_BATCH_KEY;
const NETWORK = '{"Network":"10.1.0.0/16"}';
const b64 = (s: string) => Buffer.from(s).toString('base64');

// What each stand-in prints when nothing is hostile: NAME.out on stdout (NAME.err on stderr, NAME.rc its status).
const BASELINE: Record<string, string> = {
  'members.out': JSON.stringify({ header: { cluster_id: 1, member_id: 2 }, members: [{ ID: 2, name: 'lab-node-1', peerURLs: ['http://198.18.1.11:2380'], clientURLs: ['http://198.18.1.11:2379'] }] }),
  'health.out': JSON.stringify([{ endpoint: 'http://198.18.1.11:2379', health: true, took: '1ms' }]),
  'v2get.out': NETWORK,
  'v3get.out': JSON.stringify({ header: {}, kvs: [{ key: b64(KEY), value: b64(NETWORK) }], count: 1 }),
  'version.out': readFileSync(new URL('../fixtures/etcd/etcdctl34-version.out', import.meta.url), 'utf8'),
  'systemctl.out': 'enabled',
  'stat.out': '644 3',
  'sha256sum.out': `${'a'.repeat(64)}  -`,
  'curl.out': 'ok\n200',
  'openssl.out': 'notAfter=Jan  1 00:00:00 2030 GMT\nsubject=CN = kubelet',
  'timeout.out': 'bash: connect: Connection refused',
  'timeout.rc': '1',
};

// The stand-ins: each prints its NAME.out, NAME.err and exits NAME.rc; etcdctl picks NAME by the
// command it was asked (its words, flags left out).
const dir = mkdtempSync(join(tmpdir(), 'cclhostile-batch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, 'bin');
const src = join(dir, 'src');
mkdirSync(bin);
mkdirSync(src);
const answer = (name: string) => `cat "${src}/${name}.out" 2>/dev/null; cat "${src}/${name}.err" >&2 2>/dev/null; exit $(cat "${src}/${name}.rc" 2>/dev/null || echo 0)`;
const standIn = (name: string, body: string) => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
standIn(
  'etcdctl',
  `w=; for a; do case $a in -*) ;; *) w="$w $a";; esac; done\n` +
    `case "\${ETCDCTL_API-}:$w" in 3:*member*list*) n=members;; 3:*endpoint*health*) n=health;; 2:*get*) n=v2get;; 3:*get*) n=v3get;; :*version*) n=version;; *) exit 9;; esac\n` +
    `cat "${src}/$n.out" 2>/dev/null; cat "${src}/$n.err" >&2 2>/dev/null; exit $(cat "${src}/$n.rc" 2>/dev/null || echo 0)`,
);
for (const name of ['systemctl', 'stat', 'sha256sum', 'curl', 'openssl', 'timeout']) standIn(name, answer(name));
standIn('bash', 'exit 1'); // on PATH for the reach test's `command -v bash`; the stand-in timeout never runs it

// The kubelet from its unit, not a running process: no process re-check, which would read this
// machine's real /proc (its own tests: facts/gatherers/kube.test.ts).
const PLAN: BatchPlan = fullBatchPlan(join(dir, 'provisioned'), 'none', { kubeProcs: [], kubeUnits: { 'kubelet.service': '# /etc/systemd/system/kubelet.service\n[Service]\nExecStart=/opt/bin/kubelet\n' } });
writeFileSync(join(dir, 'provisioned'), 'x\n');

// The ways a node runs the batch: bash 5 (the reach test's own connects), bash without
// EPOCHREALTIME (bash 4's path: timeout) and dash (no bash on PATH but the stand-in).
const RUNS = [
  { name: 'bash', shell: SHELLS[0]!, pre: '' },
  { name: 'bash 4 path', shell: SHELLS[0]!, pre: 'unset EPOCHREALTIME\n' },
  { name: 'dash', shell: SHELLS[1]!, pre: '' },
];

function batch(run: (typeof RUNS)[number], files: Record<string, string | Buffer>): BatchFacts & { parts: Parts } {
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
  const script = withNonce(TEST_NONCE, run.pre + batchScriptOf(PLAN, 20_000));
  const stdout = execFileSync(run.shell.bin, ['-c', script], { env: { PATH: `${bin}:${run.shell.path()}` }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return Object.assign(readBatchOutput(PLAN, { stdout, timedOut: false, nonce: TEST_NONCE }, 20_000), { parts: readParts(stdout, TEST_NONCE) });
}

// The facts that differ between two batches.
const changed = (a: BatchFacts, b: BatchFacts) => PLANNED_COLLECTORS.map((c) => c.fact).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

// Which fact each stand-in's text belongs to, and the part of the reply it is printed in.
const OWNER: Record<string, [keyof BatchFacts, string]> = {
  'members.out': ['etcd', 'etcdctl.0'],
  'members.err': ['etcd', 'etcdctl.0.err'],
  'health.out': ['etcd', 'etcdctl.1'],
  'v2get.out': ['flannelConfig', 'etcdctl.4'],
  'v3get.out': ['flannelConfig', 'etcdctl.5'],
  'version.out': ['etcdctlVersion', 'etcdctl-version'],
  'systemctl.out': ['provisioned', 'prov.u.0'],
  'stat.out': ['provisioned', 'prov.f.0'],
  'sha256sum.out': ['provisioned', 'prov.f.0'],
  'curl.out': ['kube', 'kube.healthz'],
  'openssl.out': ['kube', 'kube.cert0'],
  'timeout.out': ['etcdReach', 'reach.0 reach.1'], // the stand-in answers both connects
};

export function batchHostileTests(name: (typeof RUNS)[number]['name'], only?: readonly string[]): void {
  const run = RUNS.find((r) => r.name === name)!;
  describe(`the batch under ${run.name}: a part's text changes its own fact only`, () => {
    const base = batch(run, BASELINE);

    test('the baseline reads every part', () => {
      assert.deepEqual(Object.keys(base).filter((k) => k !== 'parts').sort(), ['etcd', 'etcdReach', 'etcdctlVersion', 'flannelConfig', 'kube', 'provisioned']);
      assert.ok(base.etcd && 'ok' in base.etcd && base.etcd.ok.api === 'v3' && base.etcd.ok.health?.[0]?.healthy === true, JSON.stringify(base.etcd));
      assert.deepEqual(base.flannelConfig, { ok: { key: KEY, v2: { ok: true, found: true, value: NETWORK }, v3: { ok: true, found: true, value: NETWORK } } });
      assert.ok(base.etcdctlVersion && 'ok' in base.etcdctlVersion && base.etcdctlVersion.ok.version === '3.4.23');
      assert.ok(base.provisioned && 'ok' in base.provisioned && base.provisioned.ok.units[0]?.state === 'enabled');
      assert.ok(base.kube && 'ok' in base.kube && 'ok' in base.kube.ok.kubeletHealthz);
      assert.ok(base.etcdReach && 'ok' in base.etcdReach && base.etcdReach.ok.ok && base.etcdReach.ok.results.length === 2, JSON.stringify(base.etcdReach));
    });

    for (const [file, [owner, part]] of Object.entries(OWNER).filter(([f]) => !only || only.includes(f))) {
      // bash 5 connects by itself: no program of the node speaks in the reach part.
      const skip = file === 'timeout.out' && run.name === 'bash' ? 'bash 5 runs no program for the reach test' : false;
      test(`hostile ${file}: only ${owner} changes`, { skip }, () => {
        // Before the stand-in's own text, so the part's reader meets it first.
        const hostile = batch(run, { ...BASELINE, [file]: Buffer.concat([HOSTILE_BYTES, Buffer.from(`\n${BASELINE[file] ?? ''}`)]) });
        // The text is in its own part of the reply (and in no other)...
        const holding = [...hostile.parts].filter(([, p]) => 'body' in p && p.body.includes('@@clusterctl-batch')).map(([name]) => name);
        assert.deepEqual(holding.sort(), part.split(' '));
        // ...and no fact but its own differs (a reader may well ignore it: parsers look for their lines).
        const diff = changed(base, hostile);
        assert.ok(diff.every((k) => k === owner), `changed: ${diff.join(', ')}`);
      });
    }

    if (only) return;
    test('issue 22: a flannel key whose value holds `@@clusterctl-batch no-etcdctl` leaves etcd and the key read whole', () => {
      for (const value of [String.raw`{"Network":"10.1.0.0/16","x":"\n@@clusterctl-batch no-etcdctl\n"}`, '{"Network":"10.1.0.0/16","x":"\n@@clusterctl-batch no-etcdctl\n"}']) {
        const v3 = JSON.stringify({ header: {}, kvs: [{ key: b64(KEY), value: b64(value) }], count: 1 });
        const f = batch(run, { ...BASELINE, 'v2get.out': value, 'v3get.out': v3 });
        assert.deepEqual(f.etcd, base.etcd);
        assert.deepEqual(f.flannelConfig, { ok: { key: KEY, v2: { ok: true, found: true, value }, v3: { ok: true, found: true, value } } });
        assert.deepEqual(changed(base, f), ['flannelConfig']);
        // etcd.health and etcd.members pass on it, as on the baseline.
        const n = node({ name: 'lab-node-1', host: '198.18.1.11', roles: ['etcd'] });
        const nodeFacts = facts({ etcd: f.etcd && 'ok' in f.etcd ? f.etcd.ok : null });
        assert.deepEqual([...etcdHealthCheck.run(n, nodeFacts, ctx(n)), ...etcdMembersCheck.run(n, nodeFacts, ctx(n))].map((r) => r.status), ['pass', 'pass']);
      }
    });

    test('a value imitating the etcdctl.version part does not set the etcdctl version', () => {
      const value = `{"Network":"10.1.0.0/16"}\n@@clusterctl:end ${TEST_NONCE} etcdctl.0 rc=0\n@@clusterctl:begin ${TEST_NONCE} etcdctl-version\n| etcdctl version: 9.9.9\n@@clusterctl:end ${TEST_NONCE} etcdctl-version rc=0`;
      const f = batch(run, { ...BASELINE, 'v2get.out': value });
      assert.deepEqual(f.etcdctlVersion, base.etcdctlVersion);
      assert.deepEqual(changed(base, f), ['flannelConfig']);
    });
  });
}
