import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseLinksJson, parseLinksText } from '../../../../src/facts/parse/links.js';
import { fixture } from '../../../fixtures/flannel/load.js';
import { value } from '../../../helpers/parsed.js';

describe('links', () => {
  test('ip -j -d link (captured): flannel.1 is a vxlan with id 1, up; eth0 a veth', () => {
    const links = value(parseLinksJson(fixture('lab-ip-j-d-link.json')));
    assert.deepEqual(links.map((l) => [l.ifname, l.kind ?? null, l.up]), [['lo', null, true], ['eth0', 'veth', true], ['flannel.1', 'vxlan', true]]);
    assert.equal(links.find((l) => l.ifname === 'flannel.1')?.vxlanId, 1);
  });
  test('ip -d link text (captured) reads the same as JSON', () => {
    const strip = (ls: ReturnType<typeof value<import('../../../../src/facts/types.js').LinkFact[]>>) => ls.map((l) => [l.ifname, l.kind ?? null, l.up, l.vxlanId ?? null]);
    assert.deepEqual(strip(value(parseLinksText(fixture('lab-ip-d-link.txt')))), strip(value(parseLinksJson(fixture('lab-ip-j-d-link.json')))));
  });
  test('udp backend: flannel0 is a tun; docker0 a bridge that is down', () => {
    const links = value(parseLinksText(fixture('udp-ip-d-link.txt')));
    assert.deepEqual(links.map((l) => [l.ifname, l.kind ?? null, l.up, l.operstate]), [
      ['lo', null, true, 'UNKNOWN'], ['eth0', null, true, 'UP'], ['flannel0', 'tun', true, 'UNKNOWN'], ['docker0', 'bridge', true, 'DOWN'],
    ]);
  });
  test('garbage is an error, not an empty list', () => {
    assert.equal(parseLinksText('Object "link" is unknown, try "ip help".').ok, false);
    assert.equal(parseLinksJson('{"not": "an array"}').ok, false);
  });
});
