import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dnsCheck } from '../../../src/checks/dns.js';
import { parseResolv } from '../../../src/facts/parse/resolv.js';
import { ctx, facts, node } from '../../fixtures/facts/builders.js';

const fixture = (name: string) => parseResolv(readFileSync(new URL(`../../fixtures/systemd/${name}`, import.meta.url), 'utf8'));
const STUB = fixture('stub-resolv.conf');
const UPSTREAM = fixture('resolved-resolv.conf');
const run = (over: Parameters<typeof facts>[0]) => dnsCheck.run(node(), facts(over), ctx()).map((r) => `${r.status} | ${r.actual} | ${r.message}`);

describe('net.dns with systemd-resolved', () => {
  test('the stub in /etc/resolv.conf: the servers resolved forwards to are compared, and the message says so', () => {
    assert.deepEqual(run({ resolv: STUB, resolvResolved: UPSTREAM }), [
      'pass | 198.18.0.1, 198.18.0.2 | nameservers 198.18.0.1, 198.18.0.2 (systemd-resolved: /etc/resolv.conf is its stub 127.0.0.53; servers read from /run/systemd/resolve/resolv.conf)',
    ]);
  });
  test('a stub that hides wrong servers fails, naming the file the servers were read from', () => {
    assert.deepEqual(run({ resolv: STUB, resolvResolved: { nameservers: ['198.18.0.1', '198.18.0.9'], search: [] } }), [
      'fail | 198.18.0.1, 198.18.0.9 | /run/systemd/resolve/resolv.conf has 198.18.0.1, 198.18.0.9: missing 198.18.0.2; unexpected 198.18.0.9 (expected 198.18.0.1, 198.18.0.2) (systemd-resolved: /etc/resolv.conf is its stub 127.0.0.53; servers read from /run/systemd/resolve/resolv.conf)',
    ]);
  });
  test('the stub with no resolved file: resolved is not running, DNS goes nowhere', () => {
    assert.deepEqual(run({ resolv: STUB, resolvResolved: { present: false } }), [
      "fail | 127.0.0.53 | /etc/resolv.conf points at systemd-resolved's stub 127.0.0.53, but /run/systemd/resolve/resolv.conf does not exist: is systemd-resolved running? (expected 198.18.0.1, 198.18.0.2)",
    ]);
  });
  test('the resolved file unreadable: an error with the reason', () => {
    const rs = run({ resolv: STUB, resolvResolved: null, problems: ['resolv.resolved: `cat /run/systemd/resolve/resolv.conf` failed (rc=1): Permission denied'] });
    assert.deepEqual(rs, ['error | null | Could not check: resolv.resolved: `cat /run/systemd/resolve/resolv.conf` failed (rc=1): Permission denied']);
  });
  test('no stub: /etc/resolv.conf is read as before, whatever resolved has', () => {
    assert.deepEqual(run({ resolvResolved: { nameservers: ['198.18.0.9'], search: [] } }), ['pass | 198.18.0.1, 198.18.0.2 | nameservers 198.18.0.1, 198.18.0.2']);
  });
  test('an inventory that expects the stub itself is compared with the stub', () => {
    const rs = dnsCheck.run(node({ network: { ...node().network!, dns: ['127.0.0.53'] } }), facts({ resolv: STUB, resolvResolved: UPSTREAM }), ctx());
    assert.equal(rs[0]?.status, 'pass');
  });
});
