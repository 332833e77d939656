import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressesJson, parseAddressesText } from '../../../../src/facts/parse/addresses.js';
import { fixture } from '../../../fixtures/facts/load.js';
import { value } from '../../../helpers/parsed.js';

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
