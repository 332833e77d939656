import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSmoke } from '../../../src/smoke/run.js';
import type { StepResult } from '../../../src/smoke/run.js';
import { fakeEtcd } from '../../fixtures/etcd/fake-etcd.js';
import type { FakeEtcd } from '../../fixtures/etcd/fake-etcd.js';

const access = { endpoints: ['http://127.0.0.1:2379'] };
const plan = { dir: '/clusterctl-smoke/20261125T000000Z-abc', value: 'clusterctl-v' };
const KEY = `${plan.dir}/key`;
const opts = { timeoutMs: 5000 };

// Data that was there before the run; every test checks it is exactly there after.
function seeded(f: FakeEtcd): FakeEtcd {
  f.v2.set('/coreos.com', null).set('/coreos.com/network', null).set('/coreos.com/network/config', '{"Network":"10.1.0.0/16"}');
  f.v3.set('/coreos.com/network/config', '{"Network":"10.1.0.0/16"}').set('plain', 'x');
  return f;
}
const snapshot = (f: FakeEtcd) => JSON.stringify([[...f.v2].sort(), [...f.v3].sort()]);
const statuses = (steps: StepResult[]) => steps.map((s) => `${s.step}=${s.status}`);

describe('smoke sequence (fake etcd)', () => {
  test('v2: the setup guide sequence passes, in order, and leaves the keyspace as it was', async () => {
    const f = seeded(fakeEtcd());
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v2', 'n1', plan, opts);
    assert.deepEqual(statuses(r.steps), ['ls=pass', 'mkdir=pass', 'set=pass', 'get=pass', 'rm=pass', 'rmdir=pass', 'gone=pass']);
    assert.equal(r.cleanup.cleanedUp, true);
    assert.equal(snapshot(f), before); // /clusterctl-smoke, created by mkdir, is gone too
    assert.deepEqual(
      f.calls.map((c) => c.slice(0, 2).join(' ')),
      ['v2 ls', 'v2 ls', 'v2 mkdir', 'v2 set', 'v2 get', 'v2 rm', 'v2 rmdir', 'v2 rmdir', 'v2 ls'],
    );
    assert.ok(f.commands.every((c) => c.startsWith('ETCDCTL_API=2 etcdctl --endpoints=http://127.0.0.1:2379 ')));
  });

  test('v2: a /clusterctl-smoke that existed before the run stays', async () => {
    const f = seeded(fakeEtcd());
    f.v2.set('/clusterctl-smoke', null).set('/clusterctl-smoke/other', null);
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v2', 'n1', plan, opts);
    assert.equal(r.steps.every((s) => s.status === 'pass'), true);
    assert.equal(snapshot(f), before);
  });

  test('v3: mkdir and rmdir are skipped with the reason, the rest passes, keyspace unchanged', async () => {
    const f = seeded(fakeEtcd());
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    assert.deepEqual(statuses(r.steps), ['ls=pass', 'mkdir=skip', 'set=pass', 'get=pass', 'rm=pass', 'rmdir=skip', 'gone=pass']);
    assert.match(r.steps[1]?.message ?? '', /v3 has no directories/);
    assert.equal(snapshot(f), before);
    assert.ok(f.commands.every((c) => c.startsWith('ETCDCTL_API=3 etcdctl ')));
  });

  for (const api of ['v2', 'v3'] as const) {
    test(`${api}: get returns another value → get fails, later steps not run, cleanup removes everything`, async () => {
      const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'get' && args.includes(KEY) ? (api === 'v2' ? { stdout: 'other\n' } : undefined) : undefined) }));
      if (api === 'v3') {
        // v3 reads with -w json: answer with another value for our key
        f.exec = ((orig) => async (cmd, o) => {
          const r = await orig(cmd, o);
          return cmd.includes(' get -- ') ? { ...r, stdout: JSON.stringify({ header: {}, kvs: [{ key: Buffer.from(KEY).toString('base64'), value: Buffer.from('other').toString('base64') }], count: 1 }) } : r;
        })(f.exec.bind(f));
      }
      const before = snapshot(f);
      const r = await runSmoke(f, access, api, 'n1', plan, opts);
      const get = r.steps.find((s) => s.step === 'get');
      assert.equal(get?.status, 'fail');
      assert.match(get?.message ?? '', /holds 'other', expected 'clusterctl-v'/);
      assert.deepEqual(r.steps.filter((s) => ['rm', 'gone'].includes(s.step)).map((s) => s.message), ['not run: get failed', 'not run: get failed']);
      assert.equal(r.cleanup.cleanedUp, true);
      assert.match(r.cleanup.message, /cleaned up/);
      assert.equal(snapshot(f), before);
    });
  }

  test('v2: set times out after the server stored the key → cleanup still removes key, dir and parent', async () => {
    const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'set' ? { apply: true, code: null, timedOut: true, stdout: '' } : undefined) }));
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v2', 'n1', plan, opts);
    const set = r.steps.find((s) => s.step === 'set');
    assert.equal(set?.status, 'fail');
    assert.match(set?.message ?? '', /did not finish within 5s and was stopped/);
    assert.equal(r.cleanup.cleanedUp, true);
    assert.equal(snapshot(f), before);
  });

  test('v2: DIR already exists → refused at mkdir, nothing else runs and nothing is touched', async () => {
    const f = seeded(fakeEtcd());
    f.v2.set('/clusterctl-smoke', null).set(plan.dir, null).set(KEY, 'theirs');
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v2', 'n1', plan, opts);
    assert.deepEqual(statuses(r.steps), ['ls=pass', 'mkdir=fail', 'set=skip', 'get=skip', 'rm=skip', 'rmdir=skip', 'gone=skip']);
    assert.match(r.steps[1]?.message ?? '', /already exists: refusing to run over it .*105: Key already exists/);
    assert.equal(r.cleanup.cleanedUp, true);
    assert.match(r.cleanup.message, /someone else's and was left alone/);
    assert.equal(snapshot(f), before);
    assert.equal(f.calls.some((c) => ['rm', 'rmdir', 'set', 'del', 'put'].includes(c[1] ?? '')), false);
  });

  test('v3: a key under DIR already exists → refused before put, nothing touched', async () => {
    const f = seeded(fakeEtcd());
    f.v3.set(KEY, 'theirs');
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    assert.equal(r.steps.find((s) => s.step === 'set')?.status, 'fail');
    assert.match(r.steps.find((s) => s.step === 'set')?.message ?? '', new RegExp(`already holds ${KEY}: refusing`));
    assert.equal(snapshot(f), before);
    assert.equal(f.calls.some((c) => c[1] === 'put' || c[1] === 'del'), false);
  });

  test('cleanup that cannot remove the key reports a leftover with the exact key and the command to delete it', async () => {
    const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'del' ? { code: 1, stderr: 'Error: etcdserver: permission denied\n' } : undefined) }));
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    assert.equal(r.steps.find((s) => s.step === 'rm')?.status, 'fail');
    assert.equal(r.cleanup.cleanedUp, false);
    assert.match(r.cleanup.message, new RegExp(`LEFT BEHIND in etcd \\(v3\\): ${KEY}`));
    assert.match(r.cleanup.message, /permission denied/);
    assert.ok(r.cleanup.message.includes(`Delete with: ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 --dial-timeout=2s --command-timeout=4s del -- ${KEY}`));
    assert.equal(f.v3.get(KEY), 'clusterctl-v'); // the fake really kept it: the report is not guessing
  });

  test('interrupt while set runs: remaining steps are not run, cleanup removes what set wrote', async () => {
    const ctl = new AbortController();
    const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'set' ? (ctl.abort(), { apply: true }) : undefined) }));
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v2', 'n1', plan, { ...opts, signal: ctl.signal });
    assert.deepEqual(statuses(r.steps), ['ls=pass', 'mkdir=pass', 'set=pass', 'get=skip', 'rm=skip', 'rmdir=skip', 'gone=skip']);
    assert.equal(r.steps[3]?.message, 'not run: interrupted');
    assert.equal(r.cleanup.cleanedUp, true);
    assert.equal(snapshot(f), before);
  });

  test('etcdctl missing: ls fails with "etcdctl not found on NODE", nothing else runs', async () => {
    const f = fakeEtcd({ etcdctl: false });
    const r = await runSmoke(f, access, 'v2', 'lab-node-1', plan, opts);
    assert.equal(r.steps[0]?.status, 'fail');
    assert.match(r.steps[0]?.message ?? '', /^etcdctl not found on lab-node-1/);
    assert.equal(f.commands.length, 1);
    assert.equal(r.cleanup.cleanedUp, true);
  });

  test('explicit v2 on a server without the v2 store: ls fails and says so', async () => {
    const f = fakeEtcd({ v2Enabled: false });
    const r = await runSmoke(f, access, 'v2', 'n1', plan, opts);
    assert.equal(r.steps[0]?.status, 'fail');
    assert.match(r.steps[0]?.message ?? '', /does not serve the v2 API: etcd >= 3\.4 needs --enable-v2.*use the v3 API/);
  });
});
