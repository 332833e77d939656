import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { etcdHealthCheck } from '../../../../src/checks/etcd.js';
import { gatherEtcd } from '../../../../src/facts/gatherers/etcd.js';
import type { ExecResult, Transport } from '../../../../src/transport/types.js';
import { ctx, facts } from '../../../fixtures/facts/builders.js';
import { cluster3 } from '../../../fixtures/etcd/nodes.js';

// gatherEtcd's remote script under a real sh, with an etcdctl that replays captured output.
function replaying(map: Record<string, string>): Transport {
  const dir = fileURLToPath(new URL('../../../fixtures/etcd/', import.meta.url));
  const bin = mkdtempSync(join(tmpdir(), 'clusterctl-etcd-gather-'));
  const cases = Object.entries(map)
    .map(([key, name]) => `  "${key}") f=${dir}${name};;`)
    .join('\n');
  writeFileSync(join(bin, 'etcdctl'), `#!/bin/sh\nfor a; do case $a in -*) ;; *) w="$w $a";; esac; done\ncase "$ETCDCTL_API$w" in\n${cases}\n  *) echo "no fixture for $ETCDCTL_API$w" >&2; exit 99;;\nesac\ncat "$f.out"; cat "$f.err" >&2; exit $(cat "$f.rc")\n`);
  chmodSync(join(bin, 'etcdctl'), 0o755);
  let execs = 0;
  const t: Transport & { execs: () => number } = {
    execs: () => execs,
    exec: (command) =>
      new Promise<ExecResult>((resolve) => {
        execs++;
        execFile('/bin/sh', ['-c', command], { env: { PATH: `${bin}:/usr/bin:/bin` } }, (err, stdout, stderr) =>
          resolve({ stdout, stderr, code: err ? Number(err.code) : 0, timedOut: false }),
        );
      }),
    close() {},
  };
  return t;
}

describe('gatherEtcd (captured outputs replayed under sh)', () => {
  const access = { endpoints: ['http://198.18.1.11:2379'] };
  test('v3 answers: one round trip, members and health from v3', async () => {
    const t = replaying({ '3 json member list': 'c3-stopped-v3-member-list', '3 json endpoint health': 'c3-stopped-v3-endpoint-health' });
    const f = await gatherEtcd(t, access, 30_000);
    assert.equal((t as unknown as { execs: () => number }).execs(), 1);
    assert.equal(f.api, 'v3');
    assert.equal(f.members?.length, 3);
    assert.deepEqual(f.health?.filter((h) => !h.healthy).map((h) => h.endpoint), ['http://198.18.1.12:2379']);
  });
  test('v3 does not answer, v2 does: v2 asked in the same round trip, facts from v2', async () => {
    const t = replaying({ '3 json member list': 'v3-get-unreachable', '2 member list': 'c3-stopped-v2-member-list', '2 cluster-health': 'c3-stopped-v2-cluster-health' });
    const f = await gatherEtcd(t, access, 30_000);
    assert.equal(f.api, 'v2');
    assert.equal(f.members?.map((m) => m.name).sort().join(), 'lab-node-1,lab-node-2,lab-node-3');
    assert.equal(f.health?.filter((h) => !h.healthy).length, 1);
  });
  test('etcdctl 3.3 prints text for -w json endpoint health (etcd-io/etcd#9532): read as text, one round trip', async () => {
    const t = replaying({ '3 json member list': 'c3-v3-member-list', '3 json endpoint health': 'etcdctl33-endpoint-health-unhealthy' });
    const f = await gatherEtcd(t, access, 30_000);
    assert.equal((t as unknown as { execs: () => number }).execs(), 1);
    assert.deepEqual(f.health?.map((h) => `${h.endpoint} ${h.healthy}`), ['http://10.0.0.10:2379 true', 'http://10.0.0.12:2379 true', 'http://10.0.0.11:2379 false']);
    const [r] = etcdHealthCheck.run(cluster3[0]!, facts({ etcd: f }), ctx(...cluster3));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'unhealthy (v3 endpoint health in text, as etcdctl 3.3 prints it whatever -w says): http://10.0.0.11:2379 (failed to connect: context deadline exceeded)');
    const healthy = await gatherEtcd(replaying({ '3 json member list': 'c3-v3-member-list', '3 json endpoint health': 'etcdctl33-endpoint-health' }), access, 30_000);
    assert.equal(etcdHealthCheck.run(cluster3[0]!, facts({ etcd: healthy }), ctx(...cluster3))[0]?.status, 'pass');
  });
  test('endpoint health prints neither JSON nor health lines: v2 cluster-health, asked in the same round trip', async () => {
    const t = replaying({ '3 json member list': 'c3-v3-member-list', '3 json endpoint health': 'v3-unknown-command', '2 cluster-health': 'c3-stopped-v2-cluster-health' });
    const f = await gatherEtcd(t, access, 30_000);
    assert.equal((t as unknown as { execs: () => number }).execs(), 1);
    assert.match(f.healthFrom ?? '', /^v2 cluster-health/);
    assert.equal(f.health?.filter((h) => !h.healthy).length, 1);
  });
  test('nothing answers: health and members unreadable, with both APIs\' errors', async () => {
    const t = replaying({ '3 json member list': 'v3-get-unreachable', '2 member list': 'v2-get-unreachable' });
    const f = await gatherEtcd(t, access, 30_000);
    assert.equal(f.api, null);
    assert.match(f.membersError ?? '', /^v3: etcdctl exited 1: Error: context deadline exceeded.*; v2: etcdctl exited 2: .*connection refused/);
    assert.equal(etcdHealthCheck.run(cluster3[0]!, facts({ etcd: f }), ctx(...cluster3))[0]?.status, 'fail');
  });
});
