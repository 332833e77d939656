import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { metricsRegistry } from '../../../src/serve/metrics.js';
import { isLoopback, listen, parseListen, serveHttp } from '../../../src/serve/server.js';
import { ServeState } from '../../../src/serve/state.js';
import { healthy, nodeReport, r, round } from './fixtures.js';

describe('--listen', () => {
  test('ADDR:PORT, [V6]:PORT, :PORT', () => {
    assert.deepEqual(parseListen('127.0.0.1:9475'), { host: '127.0.0.1', port: 9475 });
    assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
    assert.deepEqual(parseListen(':9475'), { host: '0.0.0.0', port: 9475 });
    for (const bad of ['9475', '127.0.0.1', '127.0.0.1:99999', 'a:b', '[::1]']) assert.throws(() => parseListen(bad), /--listen: .* is not ADDR:PORT/, bad);
    assert.deepEqual(['127.0.0.1', '::1', '0.0.0.0', '198.18.0.1'].map(isLoopback), [true, true, false, false]);
  });
});

describe('the HTTP server', () => {
  const state = new ServeState(['a', 'b']);
  const server = serveHttp(state, metricsRegistry(state, 30_000), 30, 'clusterctl: test');
  let base = '';
  before(async () => {
    const at: AddressInfo = await listen(server, { host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${at.port}`;
  });
  after(() => server.close());

  test('before the first round: /healthz 503, the page says so, /metrics answers', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 503);
    assert.match(await (await fetch(`${base}/`)).text(), /No round completed yet/);
    const m = await fetch(`${base}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  });

  test('after a round: the answers of the last round; 404 and 405 elsewhere', async () => {
    state.update(round(healthy('a'), nodeReport('b', [r('hostname', 'fail', 'expected b, got x')])), 0);
    const h = await fetch(`${base}/healthz`);
    assert.equal(h.status, 503);
    assert.match(await h.text(), /^b hostname: expected b, got x$/m);
    const j = await fetch(`${base}/healthz`, { headers: { accept: 'application/json' } });
    assert.equal(((await j.json()) as { nodes: { checks: { status: string }[] }[] }).nodes[1]?.checks[0]?.status, 'fail');
    const page = await fetch(`${base}/`);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /data-node="b" data-check="hostname" data-status="fail"/);
    assert.match(await (await fetch(`${base}/metrics`)).text(), /clusterctl_check_status\{node="b",check="hostname"\} 3/);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
  });
});
