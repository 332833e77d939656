import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { framePart } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const DONE = framePart(TEST_NONCE, 'done', 0, '');
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseFlat as parseFacts } from '../../../helpers/legacy-facts.js';
import { parseAddressesJson, parseAddressesText } from '../../../../src/facts/parse/addresses.js';
import { parseRoutesJson, parseRoutesText } from '../../../../src/facts/parse/routes.js';
import { parseResolv } from '../../../../src/facts/parse/resolv.js';
import { parseHostname } from '../../../../src/facts/parse/hostname.js';
import { SECTIONS } from '../../../../src/facts/probe.js';
import { fixture } from '../../../fixtures/facts/load.js';
import { value } from '../../../helpers/parsed.js';

const section = (name: string, body: string, rc = 0, fmt = 'text'): string =>
  framePart(TEST_NONCE, name, rc, body, ` fmt=${fmt}`);
const ALL_OK =
  section('hostname', 'lab-node-1') + section('hostname.file', 'lab-node-1') +
  section('addresses', '2: eth0    inet 198.18.1.11/24 scope global eth0') +
  section('routes', 'default via 198.18.1.1 dev eth0') + section('resolv', 'nameserver 198.18.0.1') +
  section('flannel.env', 'FLANNEL_NETWORK=10.1.0.0/16') + section('links', '1: lo: <LOOPBACK,UP> mtu 65536 state UNKNOWN') +
  section('init', 'systemd') + section('units', 'flanneld.service loaded active running flannel') +
  section('unit-files', 'flanneld.service enabled enabled') + section('units.failed', '') +
  section('resolv.resolved', 'nameserver 198.18.0.1') + section('ignition.result', '{"provisioningDate":"2026-01-01T00:00:00Z","userConfigProvided":true}') +
  section('flannel.unit', '', 1) + section('flanneld.version', '', 1) +
  section('kube.procs', '') + section('kube.units', '') + section('cni', '', 1) +
  DONE;
// Problems about the sections of the base probe; the captured fixtures predate the flannel sections.
const BASE = ['hostname', 'hostname.file', 'addresses', 'routes', 'resolv'];
const baseProblems = (problems: string[]) => problems.filter((p) => BASE.some((s) => p.startsWith(`${s}: `)));

describe('parseFacts', () => {
  test('probe output captured here (iproute2 6.1, JSON)', () => {
    const f = parseFacts(fixture('probe-host.txt'));
    assert.deepEqual(baseProblems(f.problems), []);
    assert.equal(f.hostname, 'vm');
    assert.equal(f.hostnameFile, 'vm');
    assert.deepEqual(f.routes, [
      { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
      { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' },
    ]);
    assert.equal(f.addresses?.length, 5);
    assert.deepEqual(f.resolv, { nameservers: ['10.255.255.53'], search: [] });
  });

  test('probe output through an iproute2 without -j and no hostname binary', () => {
    const f = parseFacts(fixture('probe-old-iproute.txt'));
    assert.deepEqual(baseProblems(f.problems), []);
    assert.equal(f.addresses?.find((a) => a.ifname === 'eth0')?.address, '198.18.1.10');
    assert.deepEqual(f.routes?.[0], { dst: 'default', gateway: '198.18.1.1', dev: 'eth0', protocol: 'static' });
  });

  test('ip missing: addresses and routes null, with the error in words', () => {
    const f = parseFacts(fixture('probe-no-ip.txt'));
    assert.equal(f.addresses, null);
    assert.equal(f.routes, null);
    assert.equal(f.hostname, 'vm');
    assert.deepEqual(baseProblems(f.problems), [
      'addresses: `ip -o addr show` failed (rc=127): sh: 1: ip: not found',
      'routes: `ip route show` failed (rc=127): sh: 1: ip: not found',
    ]);
  });

  test('`ip -j route` that exits 0 but prints text (iproute2 4.13–4.16) is sniffed', () => {
    const f = parseFacts(ALL_OK.replace(`routes rc=0 fmt=text\n`, `routes rc=0 fmt=json\n`));
    assert.deepEqual(f.routes, [{ dst: 'default', gateway: '198.18.1.1', dev: 'eth0' }]);
  });

  test('missing /etc/hostname is null without a problem; other failures carry one', () => {
    const missing = parseFacts(ALL_OK.replace(section('hostname.file', 'lab-node-1'),
      section('hostname.file', 'cat: /etc/hostname: No such file or directory', 1)));
    assert.equal(missing.hostnameFile, null);
    assert.deepEqual(missing.problems, []);
    const denied = parseFacts(ALL_OK.replace(section('hostname.file', 'lab-node-1'),
      section('hostname.file', 'cat: /etc/hostname: Permission denied', 1)));
    assert.deepEqual(denied.problems, ['hostname.file: `cat /etc/hostname` failed (rc=1): cat: /etc/hostname: Permission denied; the SSH user may not read it: set become: sudo for this node (with a NOPASSWD sudo rule, see docs/trust.md)']);
  });

  test('missing resolv.conf means no nameservers', () => {
    const f = parseFacts(ALL_OK.replace(section('resolv', 'nameserver 198.18.0.1'),
      section('resolv', "cat: can't open '/etc/resolv.conf': No such file or directory", 1)));
    assert.deepEqual(f.resolv, { nameservers: [], search: [] });
  });

  test('unreadable output: null and a problem naming the command', () => {
    const f = parseFacts(ALL_OK.replace(section('routes', 'default via 198.18.1.1 dev eth0'), section('routes', '[{"dst":', 0, 'json')));
    assert.equal(f.routes, null);
    assert.match(f.problems[0] ?? '', /^routes: could not read the output of `ip -j route show`: not valid JSON/);
  });

  test('truncated output: the cut sections are missing, the rest parsed', () => {
    const cut = ALL_OK.slice(0, ALL_OK.indexOf(`@@clusterctl:end ${TEST_NONCE} routes`));
    const f = parseFacts(cut);
    assert.equal(f.hostname, 'lab-node-1');
    assert.equal(f.addresses?.length, 1);
    assert.equal(f.routes, null);
    assert.equal(f.resolv, null);
    assert.deepEqual(f.problems, [
      'routes: missing from the probe output (output cut short?)',
      'resolv: missing from the probe output (output cut short?)',
      'flannel.env: missing from the probe output (output cut short?)',
      'links: missing from the probe output (output cut short?)',
      'init: missing from the probe output (output cut short?)',
      'units: missing from the probe output (output cut short?)',
      'unit-files: missing from the probe output (output cut short?)',
      'units.failed: missing from the probe output (output cut short?)',
      'resolv.resolved: missing from the probe output (output cut short?)',
      'ignition.result: missing from the probe output (output cut short?)',
      'flannel.unit: missing from the probe output (output cut short?)',
      'flanneld.version: missing from the probe output (output cut short?)',
      'kube.procs: missing from the probe output (output cut short?)',
      'kube.units: missing from the probe output (output cut short?)',
      'cni: missing from the probe output (output cut short?)',
    ]);
  });

  test('empty output: everything null, one problem per section', () => {
    const f = parseFacts('');
    assert.deepEqual([f.hostname, f.hostnameFile, f.addresses, f.routes, f.resolv], [null, null, null, null, null]);
    assert.equal(f.problems.length, SECTIONS.length);
  });

  test('never throws, on any string or bytes decoded as UTF-8', () => {
    const sectionish = fc.tuple(fc.constantFrom('hostname', 'hostname.file', 'addresses', 'routes', 'resolv'), fc.string(), fc.nat(300), fc.constantFrom('json', 'text', ''))
      .map(([n, body, rc, fmt]) => section(n, body, rc, fmt));
    const inputs = fc.oneof(
      fc.string(),
      fc.uint8Array().map((b) => Buffer.from(b).toString('utf8')),
      fc.array(sectionish).map((parts) => parts.join('')),
    );
    fc.assert(fc.property(inputs, (s) => {
      const f = parseFacts(s);
      assert.ok(Array.isArray(f.problems));
    }), { numRuns: 500 });
  });
});

// Captures from the real lab (test/lab/capture-fixtures.sh), one file per command.
const LAB = new URL('../../../fixtures/lab/', import.meta.url);
const lab = (name: string): string | null => (existsSync(new URL(name, LAB)) ? readFileSync(new URL(name, LAB), 'utf8') : null);
const hasLab = existsSync(new URL('ip-j-addr.json', LAB));
describe('lab captures', { skip: !hasLab && 'no captures in test/fixtures/lab' }, () => {
  test('addresses: ip -j and ip -o agree, lab-node-1 has 198.18.1.11/16 on eth0', () => {
    const json = value(parseAddressesJson(lab('ip-j-addr.json') ?? ''));
    assert.deepEqual(json, value(parseAddressesText(lab('ip-o-addr.txt') ?? '')));
    assert.deepEqual(json.filter((a) => a.ifname === 'eth0'), [{ ifname: 'eth0', family: 'inet', address: '198.18.1.11', prefixlen: 16 }]);
  });

  test('routes: ip -j and ip route agree', () => {
    const json = value(parseRoutesJson(lab('ip-j-route.json') ?? ''));
    assert.deepEqual(json, value(parseRoutesText(lab('ip-route.txt') ?? '')));
    assert.deepEqual(json, [
      { dst: 'default', gateway: '198.18.0.1', dev: 'eth0' },
      { dst: '198.18.0.0/16', dev: 'eth0', protocol: 'kernel', scope: 'link' },
      { dst: '198.19.45.0/24', gateway: '198.18.0.124', dev: 'eth0' },
    ]);
  });

  test('resolv.conf and hostname', () => {
    assert.deepEqual(parseResolv(lab('resolv.conf') ?? ''), { nameservers: ['198.18.0.1', '198.18.0.2'], search: ['lab.test'] });
    assert.equal(parseHostname(lab('hostname.txt') ?? ''), 'lab-node-1');
  });

  test('raw probe captures, if any, parse without problems', () => {
    for (const file of readdirSync(LAB).filter((n) => n.startsWith('probe'))) {
      assert.deepEqual(parseFacts(lab(file) ?? '').problems, [], file);
    }
  });
});

describe('hostile output never crashes the parsers', () => {
  test('random bytes decoded as UTF-8 (with replacement characters) parse to facts or problems, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (raw) => {
        const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
        const facts = parseFacts(text);
        assert.equal(typeof facts, 'object');
      }),
      { numRuns: 300 },
    );
  });

  test('probe-shaped output with garbage inside each section parses without throwing', () => {
    const section = fc.tuple(fc.constantFrom('hostname', 'hostname.file', 'addresses', 'routes', 'resolv', 'flannel.env', 'links', 'init', 'units'), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('json', 'text'), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(section, { maxLength: 8 }), (sections) => {
        const out = sections.map(([n, body, fmt, rc]) => framePart(TEST_NONCE, n, rc, body, ` fmt=${fmt}`)).join('');
        const facts = parseFacts(`${out}${DONE}`);
        assert.equal(typeof facts, 'object');
      }),
      { numRuns: 300 },
    );
  });
});
