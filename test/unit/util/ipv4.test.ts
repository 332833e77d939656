import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import IPCIDR from 'ip-cidr';
import {
  broadcastOf,
  cidrContains,
  cidrOverlap,
  formatIPv4,
  formatNetwork,
  hasHostBits,
  networkOf,
  parseCidr,
  parseIPv4,
  prefixMask,
} from '../../../src/util/ipv4.js';
import type { Cidr } from '../../../src/util/ipv4.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const cidr = fc.record({ address: u32, prefix: fc.integer({ min: 0, max: 32 }) });
const str = (c: Cidr) => `${formatIPv4(c.address)}/${c.prefix}`;

describe('parseIPv4 / formatIPv4', () => {
  test('parses dotted quads to unsigned numbers', () => {
    assert.equal(parseIPv4('0.0.0.0'), 0);
    assert.equal(parseIPv4('192.168.1.10'), 0xc0a8010a);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  });
  test('rejects anything else', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', ' 1.2.3.4', '1.2.3.4/24', 'a.b.c.d', '1..2.3']) {
      assert.equal(parseIPv4(bad), undefined, bad);
    }
  });
  test('round-trips every 32-bit value', () => {
    fc.assert(fc.property(u32, (n) => parseIPv4(formatIPv4(n)) === n));
  });
});

describe('CIDR helpers', () => {
  test('parseCidr keeps host bits and needs a prefix', () => {
    assert.deepEqual(parseCidr('10.1.2.3/16'), { address: 0x0a010203, prefix: 16 });
    assert.equal(parseCidr('10.1.2.3'), undefined);
    assert.equal(parseCidr('10.1.2.3/33'), undefined);
    assert.equal(parseCidr('10.1.2.3/016'), undefined);
  });
  test('masks, network, broadcast, host bits', () => {
    assert.equal(prefixMask(0), 0);
    assert.equal(prefixMask(24), 0xffffff00);
    assert.equal(prefixMask(32), 0xffffffff);
    const c = parseCidr('10.1.2.3/16')!;
    assert.equal(formatIPv4(networkOf(c)), '10.1.0.0');
    assert.equal(formatIPv4(broadcastOf(c)), '10.1.255.255');
    assert.equal(hasHostBits(c), true);
    assert.equal(formatNetwork(c), '10.1.0.0/16');
    assert.equal(hasHostBits(parseCidr('10.1.0.0/16')!), false);
    assert.equal(formatNetwork(parseCidr('1.2.3.4/0')!), '0.0.0.0/0');
  });
  test('contains and overlap on examples', () => {
    assert.equal(cidrContains('192.168.1.10/24', '192.168.1.1'), true);
    assert.equal(cidrContains('192.168.1.10/24', '192.168.2.1'), false);
    assert.equal(cidrOverlap('10.1.0.0/16', '10.1.128.0/17'), true);
    assert.equal(cidrOverlap('10.1.0.0/16', '10.2.0.0/16'), false);
    assert.equal(cidrOverlap('0.0.0.0/0', '192.168.1.0/24'), true);
    assert.throws(() => cidrOverlap('10.1.0.0', '10.1.0.0/16'), TypeError);
  });
});

describe('CIDR properties', () => {
  test('overlap is symmetric', () => {
    fc.assert(fc.property(cidr, cidr, (a, b) => cidrOverlap(a, b) === cidrOverlap(b, a)));
  });
  test('a CIDR overlaps itself', () => {
    fc.assert(fc.property(cidr, (a) => cidrOverlap(a, a) && cidrOverlap(str(a), str(a))));
  });
  test('adjacent blocks of the same size do not overlap', () => {
    fc.assert(
      fc.property(cidr.filter((c) => c.prefix > 0), (a) => {
        const size = 2 ** (32 - a.prefix);
        const next = { address: (networkOf(a) + size) >>> 0, prefix: a.prefix };
        // At the top of the address space "next" wraps to 0.0.0.0, which is still a different block.
        return !cidrOverlap(a, next);
      }),
    );
  });
  test('contains its network and broadcast, not the addresses just outside', () => {
    fc.assert(
      fc.property(cidr.filter((c) => c.prefix > 0), (a) => {
        const below = (networkOf(a) - 1) >>> 0;
        const above = (broadcastOf(a) + 1) >>> 0;
        return cidrContains(a, networkOf(a)) && cidrContains(a, broadcastOf(a)) && !cidrContains(a, below) && !cidrContains(a, above);
      }),
    );
  });
  test('contains ⇒ the /32 of that address overlaps', () => {
    fc.assert(fc.property(cidr, u32, (a, ip) => !cidrContains(a, ip) || cidrOverlap(a, { address: ip, prefix: 32 })));
  });
  test('agrees with ip-cidr on contains', () => {
    fc.assert(
      fc.property(cidr, u32, (a, ip) => cidrContains(a, ip) === new IPCIDR(str(a)).contains(formatIPv4(ip))),
      { numRuns: 300 },
    );
  });
});

// ip-cidr parses for ipv4.ts but accepts more than an inventory may say: IPv6, an address with
// a prefix, a prefix written "/00" or "/07". These stay refused.
describe('forms ip-cidr accepts and ipv4.ts does not', () => {
  test('an address is IPv4 and has no prefix', () => {
    for (const bad of ['::1', '::ffff:1.2.3.4', '1.2.3.4/24', '1.2.3.4/32', '1.2.3.4\n']) {
      assert.equal(IPCIDR.isValidAddress(bad) || bad.endsWith('\n'), true, `ip-cidr takes ${JSON.stringify(bad)}`);
      assert.equal(parseIPv4(bad), undefined, bad);
    }
  });
  test('a CIDR is IPv4 with its prefix written plainly', () => {
    for (const bad of ['::/0', '::ffff:1.2.3.4/24', '1.2.3.4/00', '1.2.3.4/07']) {
      assert.equal(IPCIDR.isValidCIDR(bad), true, `ip-cidr takes ${bad}`);
      assert.equal(parseCidr(bad), undefined, bad);
    }
    for (const bad of ['1.2.3.4/24/24', '1.2.3.4/', '/24', '1.2.3.4/32\n', ' 1.2.3.4/32', '1.2.3.04/8']) {
      assert.equal(parseCidr(bad), undefined, JSON.stringify(bad));
    }
    assert.deepEqual(parseCidr('1.2.3.4/0'), { address: 0x01020304, prefix: 0 });
    assert.deepEqual(parseCidr('1.2.3.4/7'), { address: 0x01020304, prefix: 7 });
  });
  test('every CIDR parseCidr accepts, ip-cidr accepts too, with the same range', () => {
    fc.assert(
      fc.property(cidr, (a) => {
        const text = str(a);
        const r = new IPCIDR(text);
        return parseCidr(text) !== undefined && r.start() === formatIPv4(networkOf(a)) && r.end() === formatIPv4(broadcastOf(a));
      }),
      { numRuns: 300 },
    );
  });
});
