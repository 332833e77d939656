import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dnsCheck } from '../../../src/checks/dns.js';
import { routeCheck } from '../../../src/checks/route.js';
import { facts, network, node, ctx } from '../../fixtures/facts/builders.js';

const NO_NET = 'no network section in the inventory for this node';
const resolv = (...nameservers: string[]) => ({ resolv: { nameservers, search: [] } });

describe('net.dns', () => {
  const want = '198.18.0.1, 198.18.0.2';

  test('pass', () => {
    assert.deepEqual(dnsCheck.run(node(), facts(), ctx()), [
      { id: 'net.dns', status: 'pass', expected: want, actual: want, message: `nameservers ${want}` },
    ]);
  });

  test('missing one', () => {
    const [r] = dnsCheck.run(node(), facts(resolv('198.18.0.1')), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, '198.18.0.1');
    assert.equal(r?.message, `/etc/resolv.conf has 198.18.0.1: missing 198.18.0.2 (expected ${want})`);
  });

  test('an extra one', () => {
    const [r] = dnsCheck.run(node(), facts(resolv('198.18.0.1', '198.18.0.2', '198.18.0.53')), ctx());
    assert.equal(r?.message, `/etc/resolv.conf has 198.18.0.1, 198.18.0.2, 198.18.0.53: unexpected 198.18.0.53 (expected ${want})`);
  });

  test('missing and extra together', () => {
    const [r] = dnsCheck.run(node(), facts(resolv('198.18.0.1', '198.18.0.53')), ctx());
    assert.match(r?.message ?? '', /missing 198\.18\.0\.2; unexpected 198\.18\.0\.53/);
  });

  test('order differs', () => {
    const [r] = dnsCheck.run(node(), facts(resolv('198.18.0.2', '198.18.0.1')), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, '198.18.0.2, 198.18.0.1');
    assert.match(r?.message ?? '', /same nameservers in a different order/);
  });

  test('none at all', () => {
    const [r] = dnsCheck.run(node(), facts(resolv()), ctx());
    assert.deepEqual(r, { id: 'net.dns', status: 'fail', expected: want, actual: 'none', message: `no nameserver in /etc/resolv.conf, expected ${want}` });
  });

  test('skips and error', () => {
    assert.equal(dnsCheck.run(node({ network: undefined }), facts(), ctx())[0]?.message, NO_NET);
    assert.deepEqual(dnsCheck.run(node({ network: network({ dns: [] }) }), facts(), ctx()), [
      { id: 'net.dns', status: 'skip', expected: null, actual: null, message: 'no dns servers in the inventory for this node' },
    ]);
    const [r] = dnsCheck.run(node(), facts({ resolv: null, problems: ['resolv: `cat /etc/resolv.conf` failed (rc=1): Permission denied'] }), ctx());
    assert.equal(r?.status, 'error');
    assert.equal(r?.expected, want);
    assert.match(r?.message ?? '', /Permission denied/);
  });
});

describe('net.route', () => {
  const two = network({ routes: [
    { destination: '198.19.45.0/24', gateway: '198.18.1.254' },
    { destination: '198.19.46.7/32', gateway: '198.18.1.254' },
  ] });

  test('one pass per route', () => {
    const f = facts({ routes: [...(facts().routes ?? []), { dst: '198.19.46.7/32', gateway: '198.18.1.254', dev: 'eth0' }] });
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
