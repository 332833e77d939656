import { valueOf } from '../../../src/facts/types.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { routeCheck } from '../../../src/checks/route.js';
import { facts, network, node, ctx } from '../../fixtures/facts/builders.js';

const NO_NET = 'no network section in the inventory for this node';

describe('net.route', () => {
  const two = network({ routes: [
    { destination: '198.19.45.0/24', gateway: '198.18.1.254' },
    { destination: '198.19.46.7/32', gateway: '198.18.1.254' },
  ] });

  test('one pass per route', () => {
    const f = facts({ routes: [...(valueOf(facts().routes) ?? []), { dst: '198.19.46.7/32', gateway: '198.18.1.254', dev: 'eth0' }] });
    assert.deepEqual(routeCheck.run(node({ network: two }), f, ctx()), [
      { id: 'net.route', status: 'pass', expected: '198.19.45.0/24 via 198.18.1.254', actual: '198.19.45.0/24 via 198.18.1.254 dev eth0', message: 'route 198.19.45.0/24 via 198.18.1.254' },
      { id: 'net.route', status: 'pass', expected: '198.19.46.7/32 via 198.18.1.254', actual: '198.19.46.7/32 via 198.18.1.254 dev eth0', message: 'route 198.19.46.7/32 via 198.18.1.254' },
    ]);
  });

  test('missing, one result per route', () => {
    const results = routeCheck.run(node({ network: two }), facts(), ctx());
    assert.deepEqual(results.map((r) => r.status), ['pass', 'fail']);
    assert.deepEqual(results[1], { id: 'net.route', status: 'fail', expected: '198.19.46.7/32 via 198.18.1.254', actual: 'none', message: 'no route to 198.19.46.7/32' });
  });

  test('via another gateway', () => {
    const [r] = routeCheck.run(node(), facts({ routes: [{ dst: '198.19.45.0/24', gateway: '198.18.1.200', dev: 'eth0' }] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, '198.19.45.0/24 via 198.18.1.200 dev eth0');
    assert.equal(r?.message, 'route to 198.19.45.0/24 goes via 198.18.1.200 dev eth0, expected via 198.18.1.254');
  });

  test('a blackhole or on-link route is not the expected one', () => {
    const [r] = routeCheck.run(node(), facts({ routes: [{ dst: '198.19.45.0/24' }] }), ctx());
    assert.equal(r?.message, 'route to 198.19.45.0/24 goes with no gateway, expected via 198.18.1.254');
  });

  test('an inventory host route without /32 matches the kernel\'s', () => {
    const n = node({ network: network({ routes: [{ destination: '198.19.46.7', gateway: '198.18.1.254' }] }) });
    const [r] = routeCheck.run(n, facts({ routes: [{ dst: '198.19.46.7/32', gateway: '198.18.1.254' }] }), ctx());
    assert.equal(r?.status, 'pass');
  });

  test('skips and errors', () => {
    assert.deepEqual(routeCheck.run(node({ network: undefined }), facts(), ctx()), [
      { id: 'net.route', status: 'skip', expected: null, actual: null, message: NO_NET },
    ]);
    assert.deepEqual(routeCheck.run(node({ network: network({ routes: [] }) }), facts(), ctx()), [
      { id: 'net.route', status: 'skip', expected: null, actual: null, message: 'no routes in the inventory for this node' },
    ]);
    const results = routeCheck.run(node({ network: two }), facts({ routes: null, problems: ['routes: missing from the probe output'] }), ctx());
    assert.deepEqual(results.map((r) => [r.status, r.expected]), [
      ['error', '198.19.45.0/24 via 198.18.1.254'],
      ['error', '198.19.46.7/32 via 198.18.1.254'],
    ]);
  });
});
