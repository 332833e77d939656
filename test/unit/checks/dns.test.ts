import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dnsCheck } from '../../../src/checks/dns.js';
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
