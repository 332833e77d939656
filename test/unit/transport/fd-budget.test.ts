import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescriptorBudget, isLocalLimit, readFdLimits, RESERVE, withDescriptorBudget } from '../../../src/transport/fd-budget.js';
import type { Transport } from '../../../src/transport/types.js';
import { fakeTransport } from '../../helpers/fake-transport.js';

const emfile = () => Object.assign(new Error('connect EMFILE 198.18.1.11:22 - Local (undefined:undefined)'), { code: 'EMFILE' });
const tick = () => new Promise((r) => setImmediate(r));

describe('DescriptorBudget', () => {
  test('slots from the soft limit, what is open and the reserve; at least one', () => {
    assert.equal(DescriptorBudget.forThisProcess({ soft: 40, open: 20 }).slots, 40 - 20 - RESERVE);
    assert.equal(DescriptorBudget.forThisProcess({ soft: 40, open: 20 }).limit, 40);
    assert.equal(DescriptorBudget.forThisProcess({ soft: 20, open: 19 }).slots, 1);
    assert.equal(DescriptorBudget.forThisProcess({ soft: Number.POSITIVE_INFINITY, open: 5 }).slots, 4096);
  });

  test('this process: the limit /proc reports', () => {
    const l = readFdLimits();
    assert.ok(l && l.open > 2 && l.soft >= l.open, JSON.stringify(l));
  });

  test('waiters are served in order as slots come back; a release counts once', async () => {
    const b = new DescriptorBudget(2);
    const r1 = await b.acquire();
    const r2 = await b.acquire();
    const order: number[] = [];
    const w3 = b.acquire().then((r) => (order.push(3), r));
    const w4 = b.acquire().then((r) => (order.push(4), r));
    await tick();
    assert.deepEqual([b.inUse, b.waiting, order], [2, 2, []]);
    r1();
    r1();
    await tick();
    assert.deepEqual([b.inUse, b.waiting, order], [2, 1, [3]]);
    r2();
    (await w3)();
    (await w4)();
    assert.deepEqual([b.inUse, b.waiting, order], [0, 0, [3, 4]]);
  });

  test('a waiter whose signal aborts leaves the queue', async () => {
    const b = new DescriptorBudget(1);
    const held = await b.acquire();
    const ac = new AbortController();
    const w = b.acquire(ac.signal);
    ac.abort();
    await assert.rejects(w, /interrupted/);
    assert.equal(b.waiting, 0);
    held();
    assert.equal(b.inUse, 0);
  });

  test('EMFILE is a local limit, in the error or its cause', () => {
    assert.equal(isLocalLimit(emfile()), true);
    assert.equal(isLocalLimit(new Error('ssh failed', { cause: emfile() })), true);
    assert.equal(isLocalLimit(Object.assign(new Error('x'), { code: 'ENFILE' })), true);
    assert.equal(isLocalLimit(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' })), false);
  });
});

describe('withDescriptorBudget', () => {
  // A machine where only `room` connections can be open at once: one more gets EMFILE.
  function machine(room: number) {
    let open = 0;
    let peak = 0;
    const connect = async (): Promise<Transport> => {
      await tick();
      if (open >= room) throw emfile();
      open++;
      peak = Math.max(peak, open);
      const t = fakeTransport({ probe: { stdout: 'ok\n' } });
      return { ...t, close: () => void open-- };
    };
    return { connect, peak: () => peak, open: () => open };
  }

  // Every node connects, runs one command and closes, all at once, as verify does.
  async function all(connect: (n: number) => Promise<Transport>, nodes: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: nodes }, async (_, i) => {
        try {
          const t = await connect(i);
          const r = await t.exec('probe');
          await tick(); // the connection stays open while the others connect
          t.close();
          return r.stdout.trim();
        } catch (err) {
          return `failed: ${(err as Error).message}`;
        }
      }),
    );
  }

  test('without a budget, nodes past the limit fail with EMFILE (the defect)', async () => {
    const m = machine(5);
    const results = await all(m.connect, 24);
    assert.ok(results.filter((r) => r.startsWith('failed: connect EMFILE')).length > 0);
  });

  test('under a budget that fits, every node is checked and no more than the slots are open', async () => {
    const m = machine(5);
    const waits: string[] = [];
    const connect = withDescriptorBudget(m.connect, new DescriptorBudget(5, 40), () => waits.push('queued'));
    assert.deepEqual(await all(connect, 24), Array(24).fill('ok'));
    assert.equal(m.peak(), 5);
    assert.deepEqual(waits, ['queued'], 'said once');
  });

  test('a budget that is too generous learns from EMFILE: every node is still checked', async () => {
    const m = machine(3);
    const budget = new DescriptorBudget(10, 40);
    assert.deepEqual(await all(withDescriptorBudget(m.connect, budget), 24), Array(24).fill('ok'));
    assert.ok(budget.slots <= 9 && budget.slots >= 1, String(budget.slots));
    assert.equal(budget.inUse, 0);
  });

  test('EMFILE with nothing open is the machine\'s limit, said as such', async () => {
    const connect = withDescriptorBudget(async () => Promise.reject(emfile()), new DescriptorBudget(4, 40));
    await assert.rejects(connect(0), /this machine ran out of file descriptors \(ulimit -n 40\), not the node: raise `ulimit -n`/);
  });

  test('another error is the node\'s, and gives its slot back', async () => {
    const budget = new DescriptorBudget(1, 40);
    const connect = withDescriptorBudget(async () => Promise.reject(new Error('connection refused (is sshd running on the node?)')), budget);
    await assert.rejects(connect(0), /connection refused/);
    assert.equal(budget.inUse, 0);
  });

  test('a held connection says when others wait for it', async () => {
    const budget = new DescriptorBudget(1, 40);
    const connect = withDescriptorBudget(async () => fakeTransport({}), budget);
    const t = await connect(0);
    assert.equal(t.contended?.(), false);
    const next = connect(1);
    await tick();
    assert.equal(t.contended?.(), true);
    t.close();
    (await next).close();
    assert.equal(budget.inUse, 0);
  });
});
