import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KeptConnections } from '../../../src/run/kept.js';
import type { ConnectionEvent } from '../../../src/run/kept.js';
import { node } from '../../fixtures/facts/builders.js';
import { fakeClock } from '../../helpers/clock.js';
import { fakeTransport } from '../../helpers/fake-transport.js';
import type { FakeTransport } from '../../helpers/fake-transport.js';

const a = node({ name: 'a' });

describe('KeptConnections', () => {
  test('closing what connect handed out keeps the connection; the next connect gets the same one', async () => {
    const opened: FakeTransport[] = [];
    const kept = new KeptConnections(async () => {
      const t = fakeTransport({ 'echo hi': { stdout: 'hi\n' } });
      opened.push(t);
      return t;
    });
    const first = await kept.connect(a);
    first.close();
    const second = await kept.connect(a);
    assert.equal((await second.exec('echo hi')).stdout, 'hi\n');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.closed, false);
    assert.deepEqual(kept.opened(), new Map([['a', 1]]));
    kept.closeAll();
    assert.equal(opened[0]?.closed, true);
  });

  test('a connection that says it is no longer open is replaced at the next connect, and that is reported', async () => {
    const events: ConnectionEvent[] = [];
    const alive: boolean[] = [];
    const kept = new KeptConnections(
      async () => {
        const i = alive.push(true) - 1;
        return { ...fakeTransport({}), isOpen: () => alive[i] === true };
      },
      { onEvent: (e) => events.push(e) },
    );
    await kept.connect(a);
    alive[0] = false; // keepalive gave up, or the node closed it
    await kept.connect(a);
    assert.deepEqual(events, [
      { node: 'a', kind: 'lost', why: 'the connection closed' },
      { node: 'a', kind: 'reconnected', after: 0 },
    ]);
    assert.deepEqual(kept.opened(), new Map([['a', 2]]));
  });

  test('without a backoff every connect tries again at once (--wait spaces its attempts itself)', async () => {
    let tries = 0;
    const kept = new KeptConnections(async () => {
      tries++;
      throw new Error('connect ECONNREFUSED');
    }, { clock: fakeClock() });
    await assert.rejects(kept.connect(a), /ECONNREFUSED/);
    await assert.rejects(kept.connect(a), /ECONNREFUSED/);
    assert.equal(tries, 2);
  });

  test('a connection that comes up after closeAll (Ctrl-C mid-connect) is closed, not kept', async () => {
    let release!: () => void;
    const t = fakeTransport({});
    const kept = new KeptConnections(() => new Promise((resolve) => (release = () => resolve(t))));
    const pending = kept.connect(a);
    kept.closeAll();
    release();
    await assert.rejects(pending, /interrupted/);
    assert.equal(t.closed, true);
  });
});

describe('KeptConnections under a file-descriptor budget', () => {
  test('a connection others wait for is closed after its round and opened again next time, quietly', async () => {
    const events: ConnectionEvent[] = [];
    const opened: FakeTransport[] = [];
    let contended = true;
    const kept = new KeptConnections(
      async () => {
        const t = fakeTransport({});
        opened.push(t);
        return Object.assign(t, { contended: () => contended });
      },
      { onEvent: (e) => events.push(e) },
    );
    (await kept.connect(a)).close();
    assert.equal(opened[0]?.closed, true, 'given up: another node waits for its descriptor');
    contended = false;
    (await kept.connect(a)).close();
    assert.equal(opened.length, 2);
    assert.equal(opened[1]?.closed, false, 'kept: nobody waits');
    assert.deepEqual(events, [], 'parking is no reconnect news');
    kept.closeAll();
  });
});
