import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addressCheck, gatewayCheck } from '../../../src/checks/network.js';
import { facts, network, node, ctx } from '../../fixtures/facts/builders.js';

const eth = (ifname: string, address: string, prefixlen: number) => ({ ifname, family: 'inet' as const, address, prefixlen });
const NO_NET = 'no network section in the inventory for this node';

describe('net.address', () => {
  test('pass', () => {
    assert.deepEqual(addressCheck.run(node(), facts(), ctx()), [
      { id: 'net.address', status: 'pass', expected: '198.18.1.11/24 on eth0', actual: '198.18.1.11/24 on eth0', message: '198.18.1.11/24 on eth0' },
    ]);
  });

  test('on another interface', () => {
    const [r] = addressCheck.run(node(), facts({ addresses: [eth('eth1', '198.18.1.11', 24)] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, '198.18.1.11/24 on eth1');
    assert.equal(r?.message, '198.18.1.11/24 found on eth1, expected on eth0');
  });

  test('with another prefix length', () => {
    const [r] = addressCheck.run(node(), facts({ addresses: [eth('eth0', '198.18.1.11', 16)] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, '198.18.1.11/16 found on eth0, expected /24');
  });

  test('absent: says what the interface has', () => {
    const [r] = addressCheck.run(node(), facts({ addresses: [eth('eth0', '198.18.1.99', 24), eth('eth0', '198.18.1.98', 24)] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, '198.18.1.99/24, 198.18.1.98/24');
    assert.equal(r?.message, '198.18.1.11 is not on this node; eth0 has 198.18.1.99/24, 198.18.1.98/24');
    const [none] = addressCheck.run(node(), facts({ addresses: [] }), ctx());
    assert.equal(none?.actual, 'none');
    assert.match(none?.message ?? '', /eth0 has no IPv4 address/);
  });

  test('skip without a network section, error without facts', () => {
    assert.deepEqual(addressCheck.run(node({ network: undefined }), facts(), ctx()), [
      { id: 'net.address', status: 'skip', expected: null, actual: null, message: NO_NET },
    ]);
    const [r] = addressCheck.run(node(), facts({ addresses: null, problems: ['addresses: `ip -o addr show` failed (rc=127): sh: ip: not found'] }), ctx());
    assert.equal(r?.status, 'error');
    assert.equal(r?.expected, '198.18.1.11/24 on eth0');
    assert.match(r?.message ?? '', /ip: not found/);
  });
});

describe('net.gateway', () => {
  const want = 'via 198.18.1.1 dev eth0';

  test('pass, also when the route names no dev', () => {
    assert.deepEqual(gatewayCheck.run(node(), facts(), ctx()), [
      { id: 'net.gateway', status: 'pass', expected: want, actual: want, message: `default route ${want}` },
    ]);
    assert.equal(gatewayCheck.run(node(), facts({ routes: [{ dst: 'default', gateway: '198.18.1.1' }] }), ctx())[0]?.status, 'pass');
  });

  test('no default route', () => {
    const [r] = gatewayCheck.run(node(), facts({ routes: [{ dst: '198.18.1.0/24', dev: 'eth0' }] }), ctx());
    assert.deepEqual(r, { id: 'net.gateway', status: 'fail', expected: want, actual: 'none', message: 'no default route' });
  });

  test('another gateway', () => {
    const [r] = gatewayCheck.run(node(), facts({ routes: [{ dst: 'default', gateway: '198.18.1.254', dev: 'eth0' }] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, 'via 198.18.1.254 dev eth0');
    assert.equal(r?.message, `default route goes via 198.18.1.254 dev eth0, expected ${want}`);
  });

  test('right gateway on another interface', () => {
    const [r] = gatewayCheck.run(node(), facts({ routes: [{ dst: 'default', gateway: '198.18.1.1', dev: 'eth1' }] }), ctx());
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'default route via 198.18.1.1 uses dev eth1, expected eth0');
  });

  test('default route without a gateway', () => {
    const [r] = gatewayCheck.run(node(), facts({ routes: [{ dst: 'default', dev: 'ppp0' }] }), ctx());
    assert.equal(r?.actual, 'no gateway dev ppp0');
    assert.equal(r?.status, 'fail');
  });

  test('skips and error', () => {
    assert.equal(gatewayCheck.run(node({ network: undefined }), facts(), ctx())[0]?.message, NO_NET);
    const noGw = network();
    delete noGw.gateway;
    assert.deepEqual(gatewayCheck.run(node({ network: noGw }), facts(), ctx()), [
      { id: 'net.gateway', status: 'skip', expected: null, actual: null, message: 'no gateway in the inventory for this node' },
    ]);
    const [r] = gatewayCheck.run(node(), facts({ routes: null, problems: ['routes: missing from the probe output'] }), ctx());
    assert.equal(r?.status, 'error');
    assert.equal(r?.message, 'Could not check: routes: missing from the probe output');
  });
});
