import assert from 'node:assert/strict';
import { framePart } from '../../../src/util/frames.js';
import { splitNonce } from '../../helpers/nonce.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { smokeEtcdCommand } from '../../../src/commands/smoke-etcd.js';
import type { SmokeEtcdOptions } from '../../../src/commands/smoke-etcd.js';
import type { Io } from '../../../src/io.js';
import { UserError } from '../../../src/errors.js';
import { CLOSE_MS } from '../../../src/smoke/run.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { SshError } from '../../../src/transport/ssh.js';
import type { Transport } from '../../../src/transport/types.js';
import { fakeEtcd } from '../../fixtures/etcd/fake-etcd.js';
import type { FakeEtcd } from '../../fixtures/etcd/fake-etcd.js';

const INVENTORY = `defaults: { identityFile: /dev/null, knownHostsFile: /dev/null }
cluster:
  etcd: { endpoints: ["http://127.0.0.1:2379"] }
nodes:
  - { name: e1, host: 10.0.0.1, roles: [etcd, master] }
  - { name: e2, host: 10.0.0.2, roles: [etcd], etcd: { endpoints: ["http://10.0.0.2:2379"] } }
  - { name: w1, host: 10.0.0.3, roles: [worker] }
`;

function setup(text = INVENTORY) {
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-smoke-'));
  writeFileSync(join(dir, 'inventory.yaml'), text);
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  const holds: number[] = [];
  const io: Io = { stdout: out, stderr: new PassThrough(), env: { NO_COLOR: '1' }, signal: new AbortController().signal, holdOnInterrupt: (ms) => holds.push(ms) };
  const opts: SmokeEtcdOptions = { inventory: join(dir, 'inventory.yaml'), api: 'auto', json: true, concurrency: 4, connectTimeoutMs: 1000, commandTimeoutMs: 3000 };
  return { io, opts, holds, stdout: () => stdout };
}

// auto-detect runs a shell script, not one etcdctl call: answer it like a node with both APIs.
function node(f: FakeEtcd): Transport {
  return {
    ...f,
    exec: (cmd, o) =>
      cmd.includes('command -v etcdctl')
        ? Promise.resolve({ stdout: ['etcdctl', 'v3', 'v2'].map((p) => framePart(splitNonce(cmd).nonce ?? '', p, 0, p === 'etcdctl' ? '/usr/bin/etcdctl' : '')).join(''), stderr: '', code: 0, timedOut: false })
        : f.exec(cmd, o),
  };
}

describe('smoke-etcd command (fake nodes)', () => {
  test('every etcd-role node, JSON in the documented shape, exit 0, each node with its own endpoints', async () => {
    const { io, opts, holds, stdout } = setup();
    const fakes = new Map<string, FakeEtcd>();
    const connect = async (n: NodeSpec) => node(fakes.set(n.name, fakeEtcd()).get(n.name)!);
    assert.equal(await smokeEtcdCommand(opts, io, connect), 0);
    const report = JSON.parse(stdout()) as { ok: boolean; nodes: { name: string; api: string; steps: { step: string; status: string; durationMs: number; message: string }[]; cleanedUp: boolean }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(report.nodes.map((n) => [n.name, n.api, n.cleanedUp]), [['e1', 'v3', true], ['e2', 'v3', true]]);
    assert.deepEqual(Object.keys(report.nodes[0]?.steps[0] ?? {}), ['step', 'status', 'durationMs', 'message']);
    assert.ok(fakes.get('e2')?.commands.every((c) => c.includes('--endpoints=http://10.0.0.2:2379')));
    assert.ok(fakes.get('e1')?.commands.every((c) => c.includes('--endpoints=http://127.0.0.1:2379')));
    assert.deepEqual(holds, [(3 + 3) * 3000 + 2000]); // main waits this long for cleanup after a signal
  });

  test('one node unreachable: that node is an error, the other passes, exit 1; plain output names both', async () => {
    const { io, opts, stdout } = setup();
    const connect = async (n: NodeSpec) => {
      if (n.name === 'e2') throw new SshError('refused', 'connection refused (is sshd running on the node?)');
      return node(fakeEtcd());
    };
    assert.equal(await smokeEtcdCommand({ ...opts, json: false }, io, connect), 1);
    assert.match(stdout(), /PASS  e1 get \d+ ms: \/clusterctl-smoke-\S+\/key = clusterctl-[0-9a-f]{12}/);
    assert.match(stdout(), /ERROR e2 cannot connect to core@10\.0\.0\.2:22: connection refused/);
    assert.match(stdout(), /NOT OK: etcd smoke test on 2 nodes, 1 passed, 1 failed; nothing left behind/);
  });

  test('a leftover makes the run fail and is reported with the key', async () => {
    const { io, opts, stdout } = setup();
    const connect = async () => node(fakeEtcd({ intercept: (_a, args) => (args[0] === 'del' || args[1] === 'revoke' ? { code: 1, stderr: 'Error: permission denied\n' } : undefined) }));
    assert.equal(await smokeEtcdCommand({ ...opts, node: 'e1', json: false }, io, connect), 1);
    assert.match(stdout(), /ERROR e1 cleanup: LEFT BEHIND in etcd \(v3\): \/clusterctl-smoke-\S+\/key/);
    assert.match(stdout(), /LEFTOVERS on e1/);
  });

  test('--node picks any node; an unknown one or no etcd node is a usage error', async () => {
    const { io, opts, stdout } = setup();
    assert.equal(await smokeEtcdCommand({ ...opts, node: 'w1' }, io, async () => node(fakeEtcd())), 0);
    assert.deepEqual((JSON.parse(stdout()) as { nodes: { name: string }[] }).nodes.map((n) => n.name), ['w1']);
    await assert.rejects(smokeEtcdCommand({ ...opts, node: 'nope' }, io, async () => node(fakeEtcd())), (e: Error) => e instanceof UserError && /--node nope: no such node .*\(nodes: e1, e2, w1\)/.test(e.message));
    const noEtcd = setup(INVENTORY.replace(/\[etcd, master\]/, '[master]').replace(/roles: \[etcd\]/, 'roles: [worker]'));
    await assert.rejects(smokeEtcdCommand(noEtcd.opts, noEtcd.io, async () => node(fakeEtcd())), /no node in .* has role etcd/);
  });

  // A signal at any etcdctl call of a run: the calls that still run (the one in flight, the rest of
  // its step, the cleanup) fit in the grace main gives (each within --command-timeout), so main
  // never exits in the middle of a cleanup. Before, the grace was 4 calls and a v2 run needed 5.
  for (const api of ['v2', 'v3'] as const) {
    test(`${api}: a stop signal at any call leaves the cleanup time to finish, and nothing behind`, async () => {
      const total = fakeEtcd();
      await smokeEtcdCommand({ ...setup().opts, node: 'e1', api }, setup().io, async () => total);
      for (let at = 0; at < total.calls.length; at++) {
        const { io, opts, holds } = setup();
        const ctl = new AbortController();
        let after = 0;
        const f = fakeEtcd({ intercept: (_a, _args, n) => (n === at && ctl.abort('SIGTERM'), ctl.signal.aborted && after++, undefined) });
        await smokeEtcdCommand({ ...opts, node: 'e1', api }, { ...io, signal: ctl.signal }, async () => f);
        const [grace] = holds;
        assert.ok(after * opts.commandTimeoutMs + CLOSE_MS <= (grace ?? 0), `signal at call ${at}: ${after} calls after it, grace ${grace} ms`);
        assert.deepEqual([[...f.v2], [...f.v3], [...f.leases]], [[], [], []], `signal at call ${at}`);
      }
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} while get runs (v2): the rest is skipped, the cleanup sequence removes KEY and DIR and confirms it`, async () => {
      const { io, opts, stdout } = setup();
      const ctl = new AbortController();
      const f = fakeEtcd({ intercept: (_a, args) => void (args[0] === 'get' && ctl.abort(signal)) });
      assert.equal(await smokeEtcdCommand({ ...opts, node: 'e1', api: 'v2' }, { ...io, signal: ctl.signal }, async () => f), 1);
      const at = f.calls.findIndex((c) => c[1] === 'get');
      assert.deepEqual(f.calls.slice(at + 1).map((c) => c[1]), ['rm', 'rmdir', 'ls']);
      assert.deepEqual([[...f.v2], f.closed], [[], true]);
      const report = JSON.parse(stdout()) as { nodes: { steps: { step: string; message: string }[]; cleanup: string }[] };
      assert.deepEqual(report.nodes[0]?.steps.filter((s) => s.message === 'not run: interrupted').map((s) => s.step), ['rm', 'rmdir', 'gone']);
      assert.match(report.nodes[0]?.cleanup ?? '', /^cleaned up: \/clusterctl-smoke-\S+ is gone$/);
    });
  }
});
