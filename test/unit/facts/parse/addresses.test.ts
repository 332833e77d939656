import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAddressesJson, parseAddressesText } from '../../../../src/facts/parse/addresses.js';
import { parseRoutesJson, parseRoutesText } from '../../../../src/facts/parse/routes.js';
import { parseResolv } from '../../../../src/facts/parse/resolv.js';
import { isMissingFile, parseHostname } from '../../../../src/facts/parse/hostname.js';
import type { Parsed } from '../../../../src/facts/parse/common.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/facts/${name}`, import.meta.url), 'utf8');
function value<T>(p: Parsed<T>): T {
  if (!p.ok) assert.fail(p.error);
  return p.value;
}

// Captured in a throwaway netns: a veth pair eth0/eth1, a secondary address, static routes.
const NETNS_ADDRESSES = [
  { ifname: 'lo', family: 'inet', address: '127.0.0.1', prefixlen: 8 },
  { ifname: 'lo', family: 'inet6', address: '::1', prefixlen: 128 },
  { ifname: 'eth1', family: 'inet', address: '198.18.2.5', prefixlen: 23 },
  { ifname: 'eth1', family: 'inet6', address: 'fe80::405b:96ff:fe64:1c6e', prefixlen: 64 },
  { ifname: 'eth0', family: 'inet', address: '198.18.1.11', prefixlen: 24 },
  { ifname: 'eth0', family: 'inet', address: '198.18.1.12', prefixlen: 24 },
  { ifname: 'eth0', family: 'inet6', address: 'fe80::bc35:9cff:fe2e:437b', prefixlen: 64 },
];
const NETNS_ROUTES = [
  { dst: 'default', gateway: '198.18.1.1', dev: 'eth0' },
  { dst: '198.18.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' },
  { dst: '198.18.2.0/23', dev: 'eth1', protocol: 'kernel', scope: 'link' },
  { dst: '198.19.45.0/24', gateway: '198.18.1.254', dev: 'eth0', protocol: 'static' },
  { dst: '198.19.46.7/32', gateway: '198.18.1.254', dev: 'eth0' },
  { dst: '198.19.47.0/24' }, // blackhole
];

describe('addresses', () => {
  test('ip -j and ip -o of the same namespace agree', () => {
    assert.deepEqual(value(parseAddressesJson(fixture('netns-ip-j-addr.json'))), NETNS_ADDRESSES);
    assert.deepEqual(value(parseAddressesText(fixture('netns-ip-o-addr.txt'))), NETNS_ADDRESSES);
  });

  test('host root namespace, both formats', () => {
    const json = value(parseAddressesJson(fixture('host-ip-j-addr.json')));
    assert.deepEqual(json, value(parseAddressesText(fixture('host-ip-o-addr.txt'))));
    assert.ok(json.some((a) => a.ifname === 'lo' && a.address === '127.0.0.1' && a.prefixlen === 8));
  });

  test('old iproute2 text: secondary with a label, @ifN names, peer addresses', () => {
    assert.deepEqual(value(parseAddressesText(fixture('old-ip-o-addr.txt'))), [
      { ifname: 'lo', family: 'inet', address: '127.0.0.1', prefixlen: 8 },
      { ifname: 'lo', family: 'inet6', address: '::1', prefixlen: 128 },
      { ifname: 'eth0', family: 'inet', address: '198.18.1.10', prefixlen: 24 },
      { ifname: 'eth0', family: 'inet', address: '198.18.1.20', prefixlen: 24 },
      { ifname: 'eth0', family: 'inet6', address: 'fe80::5054:ff:fe12:3456', prefixlen: 64 },
      { ifname: 'flannel.1', family: 'inet', address: '10.2.34.0', prefixlen: 32 },
      { ifname: 'docker0', family: 'inet', address: '172.17.0.1', prefixlen: 16 },
      { ifname: 'veth1a2b3c4', family: 'inet6', address: 'fe80::a0b1:c2ff:fed3:e4f5', prefixlen: 64 },
      { ifname: 'tun0', family: 'inet', address: '198.18.9.1', prefixlen: 32 },
    ]);
  });

  test('ip -j with missing fields keeps only complete entries', () => {
    assert.deepEqual(value(parseAddressesJson(fixture('sparse-ip-j-addr.json'))), [
      { ifname: 'lo', family: 'inet', address: '127.0.0.1', prefixlen: 8 },
      { ifname: 'eth0', family: 'inet', address: '198.18.1.10', prefixlen: 24 },
    ]);
  });

  test('garbage is reported, not thrown', () => {
    assert.match((parseAddressesJson('[{"ifname":') as { error: string }).error, /not valid JSON/);
    assert.match((parseAddressesJson('{}') as { error: string }).error, /not an array/);
    assert.match((parseAddressesText('Object "adr" is unknown') as { error: string }).error, /no address found/);
    assert.deepEqual(value(parseAddressesText('')), []);
  });
});

describe('routes', () => {
  test('ip -j route and ip route of the same namespace agree', () => {
    assert.deepEqual(value(parseRoutesJson(fixture('netns-ip-j-route.json'))), NETNS_ROUTES);
    assert.deepEqual(value(parseRoutesText(fixture('netns-ip-route.txt'))), NETNS_ROUTES);
  });

  test('host root namespace, both formats', () => {
    const json = value(parseRoutesJson(fixture('host-ip-j-route.json')));
    assert.deepEqual(json, value(parseRoutesText(fixture('host-ip-route.txt'))));
    assert.equal(json.filter((r) => r.dst === 'default').length, 1);
  });

  test('old iproute2 text: double spaces, host routes, multipath', () => {
    assert.deepEqual(value(parseRoutesText(fixture('old-ip-route.txt'))), [
      { dst: 'default', gateway: '198.18.1.1', dev: 'eth0', protocol: 'static' },
      { dst: '10.2.0.0/16', dev: 'flannel.1' },
      { dst: '172.17.0.0/16', dev: 'docker0', protocol: 'kernel', scope: 'link' },
      { dst: '198.18.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' },
      { dst: '198.18.1.1/32', dev: 'eth0', protocol: 'dhcp', scope: 'link' },
      { dst: '198.19.45.0/24', gateway: '198.18.1.254', dev: 'eth0', protocol: 'static' },
      { dst: '198.19.50.0/24', gateway: '198.18.1.253', dev: 'eth0', protocol: 'static' },
    ]);
  });

  test('ip -j with missing fields, numbers and nexthops', () => {
    assert.deepEqual(value(parseRoutesJson(fixture('sparse-ip-j-route.json'))), [
      { dst: 'default', gateway: '198.18.1.1' },
      { dst: '198.18.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' },
      { dst: '198.19.45.0/24', gateway: '198.18.1.254', dev: 'eth0', protocol: '42' },
      { dst: '198.19.46.7/32', dev: 'eth0', scope: '253' },
    ]);
  });

  test('IPv6 text routes and "via inet6"', () => {
    assert.deepEqual(value(parseRoutesText('default via inet6 fe80::1 dev eth0 proto static\n2001:db8::1 dev eth0')), [
      { dst: 'default', gateway: 'fe80::1', dev: 'eth0', protocol: 'static' },
      { dst: '2001:db8::1/128', dev: 'eth0' },
    ]);
  });

  test('garbage is reported, not thrown', () => {
    assert.match((parseRoutesText('Error: something') as { error: string }).error, /no route found/);
    assert.deepEqual(value(parseRoutesText('\n')), []);
    assert.match((parseRoutesJson('nope') as { error: string }).error, /not valid JSON/);
  });
});

describe('resolv.conf and hostname', () => {
  test('nameservers in order, search, comments', () => {
    const conf = '# Generated by systemd\n; old comment\nnameserver 198.18.0.1\nnameserver  198.18.0.2 # inline\n' +
      'search lab.example example\noptions ndots:5\nnameserver\n';
    assert.deepEqual(parseResolv(conf), { nameservers: ['198.18.0.1', '198.18.0.2'], search: ['lab.example', 'example'] });
  });

  test('domain counts as search; the last of domain/search wins', () => {
    assert.deepEqual(parseResolv('domain lab.example\n').search, ['lab.example']);
    assert.deepEqual(parseResolv('search a b\ndomain c\n').search, ['c']);
    assert.deepEqual(parseResolv('domain c\nsearch a b\n').search, ['a', 'b']);
    assert.deepEqual(parseResolv(''), { nameservers: [], search: [] });
  });

  test('hostname is the trimmed first line', () => {
    assert.equal(parseHostname('lab-node-1\n'), 'lab-node-1');
    assert.equal(parseHostname('  lab-node-1 \nsecond\n'), 'lab-node-1');
    assert.equal(parseHostname(''), '');
  });

  test('a missing file is told from other failures, GNU and busybox wording', () => {
    assert.equal(isMissingFile(1, 'cat: /etc/hostname: No such file or directory'), true);
    assert.equal(isMissingFile(1, "cat: can't open '/etc/hostname': No such file or directory"), true);
    assert.equal(isMissingFile(1, 'cat: /etc/hostname: Permission denied'), false);
    assert.equal(isMissingFile(0, ''), false);
  });
});
