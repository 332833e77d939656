import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoutesJson, parseRoutesText } from '../../../../src/facts/parse/routes.js';
import { fixture } from '../../../fixtures/facts/load.js';
import { value } from '../../../helpers/parsed.js';

// Captured in a throwaway netns: a veth pair eth0/eth1, a secondary address, static routes.
const NETNS_ROUTES = [
  { dst: 'default', gateway: '198.18.1.1', dev: 'eth0' },
  { dst: '198.18.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' },
  { dst: '198.18.2.0/23', dev: 'eth1', protocol: 'kernel', scope: 'link' },
  { dst: '198.19.45.0/24', gateway: '198.18.1.254', dev: 'eth0', protocol: 'static' },
  { dst: '198.19.46.7/32', gateway: '198.18.1.254', dev: 'eth0' },
  { dst: '198.19.47.0/24' }, // blackhole
];

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
