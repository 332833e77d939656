import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLEANUP_CALLS, runSmoke, smokeTtlSeconds } from '../../../src/smoke/run.js';
import { SMOKE_STEPS, STEP_CALLS, STEP_FNS } from '../../../src/smoke/steps.js';
import type { SmokeCtx } from '../../../src/smoke/steps.js';
import type { StepResult } from '../../../src/smoke/run.js';
import { fakeEtcd } from '../../fixtures/etcd/fake-etcd.js';
import type { FakeEtcd } from '../../fixtures/etcd/fake-etcd.js';

const access = { endpoints: ['http://127.0.0.1:2379'] };
const plan = { dir: '/clusterctl-smoke-20261125T000000Z-abc', value: 'clusterctl-v' };
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
    assert.equal(snapshot(f), before);
    assert.deepEqual(
      f.calls.map((c) => c.slice(0, 2).join(' ')),
      ['v2 ls', 'v2 mkdir', 'v2 set', 'v2 get', 'v2 rm', 'v2 rmdir', 'v2 ls'],
    );
    assert.ok(f.commands.every((c) => c.startsWith('ETCDCTL_API=2 etcdctl --endpoints=http://127.0.0.1:2379 ')));
  });

  test('v2: DIR is made at the top of the keyspace (a parent made on the way would carry no TTL)', async () => {
    const f = seeded(fakeEtcd());
    await runSmoke(f, access, 'v2', 'n1', plan, opts);
    const mkdir = f.calls.find((c) => c[1] === 'mkdir');
    assert.deepEqual(mkdir?.slice(-1), [plan.dir]);
    assert.equal(plan.dir.lastIndexOf('/'), 0);
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

  test('v2: set times out after the server stored the key → cleanup still removes key and dir', async () => {
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
    f.v2.set(plan.dir, null).set(KEY, 'theirs');
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

  test('v3: del refused, the lease revoke still removes the key (it was put with the lease)', async () => {
    const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'del' ? { code: 1, stderr: 'Error: etcdserver: permission denied\n' } : undefined) }));
    const before = snapshot(f);
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    assert.equal(r.steps.find((s) => s.step === 'rm')?.status, 'fail');
    assert.equal(r.cleanup.cleanedUp, true, r.cleanup.message);
    assert.equal(snapshot(f), before);
    assert.equal(f.leases.size, 0);
  });

  test('cleanup that cannot remove the key reports a leftover with the exact key and the command to delete it', async () => {
    const denied = { code: 1, stderr: 'Error: etcdserver: permission denied\n' };
    const f = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'del' || (args[0] === 'lease' && args[1] === 'revoke') ? denied : undefined) }));
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    assert.equal(r.steps.find((s) => s.step === 'rm')?.status, 'fail');
    assert.equal(r.cleanup.cleanedUp, false);
    assert.match(r.cleanup.message, new RegExp(`LEFT BEHIND in etcd \\(v3\\): ${KEY}`));
    assert.match(r.cleanup.message, /permission denied/);
    assert.ok(r.cleanup.message.includes(`Delete with: ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 --dial-timeout=2s --command-timeout=4s del -- ${KEY}`));
    assert.match(r.cleanup.message, /it expires by itself within 125s of its creation \(TTL\)/);
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

  // What the run creates outlives the run by a margin, and no more: etcd removes it by itself when
  // clusterctl is killed before its cleanup (SIGKILL, a machine that goes away).
  test('v2: DIR and KEY carry a TTL of every call of a run and a cleanup at the per-call timeout, plus a minute', async () => {
    assert.equal(smokeTtlSeconds(5000), Math.ceil(((10 + 3) * 5000) / 1000) + 60);
    const f = seeded(fakeEtcd());
    await runSmoke(f, access, 'v2', 'n1', plan, opts);
    assert.deepEqual(f.calls.find((c) => c[1] === 'mkdir'), ['v2', 'mkdir', '--ttl', '125', plan.dir]);
    assert.deepEqual(f.calls.find((c) => c[1] === 'set'), ['v2', 'set', '--ttl', '125', KEY, plan.value]);
    assert.ok(f.commands.some((c) => c.includes(`mkdir --ttl 125 -- ${plan.dir}`)));
  });

  test('v3: KEY is put with a lease of that TTL, and the lease is revoked at the end', async () => {
    const f = seeded(fakeEtcd());
    const r = await runSmoke(f, access, 'v3', 'n1', plan, opts);
    const lease = /with lease ([0-9a-f]+)/.exec(r.steps.find((s) => s.step === 'set')?.message ?? '')?.[1] ?? '';
    assert.match(lease, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      f.calls.filter((c) => c[1] === 'lease' || c[1] === 'put'),
      [['v3', 'lease', 'grant', '125'], ['v3', 'put', `--lease=${lease}`, KEY, plan.value], ['v3', 'lease', 'revoke', lease]],
    );
    assert.match(r.steps.find((s) => s.step === 'rm')?.message ?? '', new RegExp(`removed ${KEY} and revoked lease ${lease}`));
    assert.equal(f.leases.size, 0);
  });

  for (const api of ['v2', 'v3'] as const) {
    test(`${api}: killed right after set (no cleanup at all), nothing is left once the TTL runs out`, async () => {
      const f = seeded(fakeEtcd());
      const before = snapshot(f);
      const c: SmokeCtx = { t: f, access, api, node: 'n1', dir: plan.dir, key: KEY, value: plan.value, timeoutMs: 5000, ttlS: smokeTtlSeconds(5000) };
      for (const step of ['ls', 'mkdir', 'set'] as const) if (api === 'v2' || step !== 'mkdir') assert.equal((await STEP_FNS[step](c)).ok, true);
      assert.notEqual(snapshot(f), before); // the run's key is there, and then clusterctl is gone
      f.expire();
      assert.equal(snapshot(f), before);
    });

    test(`${api}: no step makes more etcdctl calls than STEP_CALLS says, no cleanup more than CLEANUP_CALLS`, async () => {
      const f = seeded(fakeEtcd());
      const perStep = new Map<string, number>();
      let seen = 0;
      await runSmoke(f, access, api, 'n1', plan, { ...opts, onStep: (r) => (perStep.set(r.step, f.calls.length - seen), (seen = f.calls.length)) });
      for (const step of SMOKE_STEPS) assert.ok((perStep.get(step) ?? 0) <= STEP_CALLS[step], `${api} ${step}: ${perStep.get(step)} calls`);
      assert.equal(Math.max(...perStep.values()), api === 'v2' ? 1 : 3);
      // The longest cleanup: everything created, and get found another value.
      const g = seeded(fakeEtcd({ intercept: (_a, args) => (args[0] === 'get' && args.includes(KEY) ? { code: 1, stderr: 'Error: boom\n' } : undefined) }));
      let atCleanup = 0;
      const r = await runSmoke(g, access, api, 'n1', plan, { ...opts, onStep: (s) => void (s.step === 'gone' && (atCleanup = g.calls.length)) });
      assert.match(r.cleanup.message, /^cleaned up/);
      assert.equal(g.calls.length - atCleanup, CLEANUP_CALLS);
    });
  }
});
