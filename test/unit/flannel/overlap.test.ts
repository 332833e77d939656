import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clashes, factRanges, inventoryRanges } from '../../../src/flannel/overlap.js';
import { clashesAcross } from '../../../src/flannel/plan.js';
import { cidrOverlap, formatIPv4, formatNetwork, networkOf, broadcastOf } from '../../../src/util/ipv4.js';
import { facts, node } from '../../fixtures/facts/builders.js';

const cidr = fc.record({ address: fc.nat({ max: 0xffffffff }), prefix: fc.integer({ min: 0, max: 32 }) });
const text = (c: { address: number; prefix: number }) => `${formatIPv4(c.address)}/${c.prefix}`;

describe('overlap maths (properties)', () => {
  test('overlap is symmetric', () => {
    fc.assert(fc.property(cidr, cidr, (a, b) => cidrOverlap(text(a), text(b)) === cidrOverlap(text(b), text(a))), { numRuns: 2000 });
  });
  test('a CIDR overlaps itself and every CIDR inside it', () => {
    fc.assert(fc.property(cidr, fc.integer({ min: 0, max: 32 }), (a, extra) => {
      const inner = { address: a.address, prefix: Math.min(32, a.prefix + extra) };
      return cidrOverlap(text(a), text(a)) && cidrOverlap(text(a), text(inner));
    }), { numRuns: 2000 });
  });
  test('adjacent ranges of the same size do not overlap', () => {
    fc.assert(fc.property(cidr.filter((c) => c.prefix > 0), (a) => {
      const next = (broadcastOf(a) + 1) >>> 0;
      if (next === 0) return true; // the last block has no neighbour above
      return !cidrOverlap(formatNetwork(a), text({ address: next, prefix: a.prefix }));
    }), { numRuns: 2000 });
  });
  test('overlap means a shared address: brute force on small prefixes', () => {
    fc.assert(fc.property(cidr.map((c) => ({ ...c, prefix: 26 + (c.prefix % 7) })), cidr.map((c) => ({ ...c, prefix: 26 + (c.prefix % 7) })), (a, b0) => {
      const b = { address: (networkOf(a) & 0xfffffe00) | (b0.address & 0x1ff), prefix: b0.prefix }; // same /23 neighbourhood
      let shared = false;
      for (let x = networkOf(a); x <= broadcastOf(a); x++) if (x >= networkOf(b) && x <= broadcastOf(b)) shared = true;
      return cidrOverlap(text(a), text(b)) === shared;
    }), { numRuns: 300 });
  });
});

describe('host ranges of a node', () => {
  const lease = { present: true as const, vars: {}, network: '10.1.0.0/16', subnet: '10.1.5.1/24' };
  test('facts: addresses, default gateway, routes and their gateways; not flannel devices nor the own lease', () => {
    const f = facts({
      addresses: [
        { ifname: 'eth0', family: 'inet', address: '198.18.1.11', prefixlen: 24 },
        { ifname: 'flannel.1', family: 'inet', address: '10.1.5.0', prefixlen: 32 },
        { ifname: 'docker0', family: 'inet', address: '10.1.5.1', prefixlen: 24 },
        { ifname: 'eth0', family: 'inet6', address: 'fe80::1', prefixlen: 64 },
      ],
      routes: [
        { dst: 'default', gateway: '198.18.1.1', dev: 'eth0' },
        { dst: '10.1.0.0/16', dev: 'flannel.1' },
        { dst: '10.1.5.0/24', dev: 'docker0', protocol: 'kernel' },
        { dst: '10.45.0.0/16', gateway: '198.18.1.254', dev: 'eth0' },
      ],
      subnetEnv: lease,
    });
    assert.deepEqual(factRanges(f, { network: '10.1.0.0/16' }), [
      { what: 'eth0 address 198.18.1.11/24', range: '198.18.1.0/24' },
      { what: 'default gateway 198.18.1.1', range: '198.18.1.1/32' },
      { what: 'route 10.45.0.0/16 via 198.18.1.254 dev eth0', range: '10.45.0.0/16' },
      { what: 'route 10.45.0.0/16 gateway 198.18.1.254', range: '198.18.1.254/32' },
    ]);
  });
  test('host-gw: routes to other nodes\' leases (SubnetLen blocks inside Network) are flannel\'s own', () => {
    const f = facts({ routes: [{ dst: '10.1.7.0/24', gateway: '198.18.1.13', dev: 'eth0' }, { dst: '10.1.0.0/20', gateway: '198.18.1.9', dev: 'eth0' }], addresses: [] });
    const ranges = factRanges(f, { network: '10.1.0.0/16', subnetLen: 24, backendType: 'host-gw' });
    assert.deepEqual(ranges.map((r) => r.range), ['10.1.0.0/20', '198.18.1.9/32']);
  });
  test('inventory: subnet, gateway, route destinations and gateways', () => {
    assert.deepEqual(inventoryRanges(node()).map((r) => `${r.what}=${r.range}`), [
      'eth0 address 198.18.1.11/24 (inventory)=198.18.1.0/24',
      'gateway (inventory)=198.18.1.1/32',
      'route 198.19.45.0/24 (inventory)=198.19.45.0/24',
      'route 198.19.45.0/24 gateway 198.18.1.254 (inventory)=198.18.1.254/32',
    ]);
  });
  test('clashes name the range and the Network; across nodes they name the node', () => {
    assert.deepEqual(clashes('198.18.0.0/15', inventoryRanges(node())).length, 4);
    assert.deepEqual(clashes('198.19.0.0/16', inventoryRanges(node())), [{ what: 'route 198.19.45.0/24 (inventory)', range: '198.19.45.0/24', network: '198.19.0.0/16' }]);
    const across = clashesAcross('198.19.45.128/25', [{ node: node(), facts: facts() }, { node: node({ name: 'b', network: undefined }), facts: facts({ routes: [] }) }]);
    assert.deepEqual(across.map((c) => `${c.node}: ${c.clash.what}`), ['lab-node-1: route 198.19.45.0/24 via 198.18.1.254 dev eth0', 'lab-node-1: route 198.19.45.0/24 (inventory)']);
  });
});
