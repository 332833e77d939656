import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseLinksJson, parseLinksText } from '../../../../src/facts/parse/links.js';
import { parseSubnetEnv } from '../../../../src/facts/parse/subnet-env.js';
import { parseUnits } from '../../../../src/facts/parse/units.js';
import { parseFacts } from '../../../../src/facts/parse/probe-output.js';
import type { Parsed } from '../../../../src/facts/parse/common.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/flannel/${name}`, import.meta.url), 'utf8');
function value<T>(p: Parsed<T>): T {
  assert.ok(p.ok, p.ok ? '' : p.error);
  return p.value;
}

describe('subnet.env', () => {
  test('the file flanneld writes (captured on the lab)', () => {
    assert.deepEqual(parseSubnetEnv(fixture('lab-subnet.env')), {
      present: true,
      vars: { FLANNEL_NETWORK: '198.19.128.0/17', FLANNEL_SUBNET: '198.19.129.1/24', FLANNEL_MTU: '1450', FLANNEL_IPMASQ: 'false' },
      network: '198.19.128.0/17',
      subnet: '198.19.129.1/24',
      mtu: 1450,
      ipmasq: false,
    });
  });
  test('hand-edited: comments, export, quotes, blank lines; a bad MTU is left out', () => {
    const f = parseSubnetEnv('# edited\n\nexport FLANNEL_NETWORK="10.1.0.0/16"\nFLANNEL_SUBNET=\'10.1.5.1/24\'\nFLANNEL_MTU=big\nFLANNEL_IPMASQ=true\n');
    assert.deepEqual(f, { present: true, vars: { FLANNEL_NETWORK: '10.1.0.0/16', FLANNEL_SUBNET: '10.1.5.1/24', FLANNEL_MTU: 'big', FLANNEL_IPMASQ: 'true' }, network: '10.1.0.0/16', subnet: '10.1.5.1/24', ipmasq: true });
  });
  test('an empty file has no lease', () => {
    assert.deepEqual(parseSubnetEnv(''), { present: true, vars: {} });
  });
  test('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => assert.equal(parseSubnetEnv(s).present, true)), { numRuns: 300 });
  });
});

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

describe('systemd units', () => {
  test('Flatcar layout: failed unit with its bullet, not-found unit, a long instance name', () => {
    const units = value(parseUnits(fixture('systemctl-flatcar.txt')));
    const by = (u: string) => units.find((x) => x.unit === u);
    assert.deepEqual(by('etcd-member.service'), { unit: 'etcd-member.service', load: 'loaded', active: 'failed', sub: 'failed', description: 'etcd (System Application Container)' });
    assert.deepEqual([by('flanneld.service')?.active, by('flanneld.service')?.sub], ['active', 'running']);
    assert.deepEqual([by('kubelet.service')?.load, by('kubelet.service')?.active], ['not-found', 'inactive']);
    assert.equal(by('sshd@2-198.18.1.11:22-198.18.0.1:50000.service')?.active, 'active');
    assert.equal(units.length, 9);
  });
  test('Container Linux layout: a unit still starting', () => {
    const units = value(parseUnits(fixture('systemctl-container-linux.txt')));
    assert.deepEqual(units.find((u) => u.unit === 'flanneld.service')?.sub, 'start-pre');
    assert.equal(units.find((u) => u.unit === 'flanneld.service')?.active, 'activating');
  });
  test('no units at all is an empty list; prose is an error', () => {
    assert.deepEqual(value(parseUnits('')), []);
    assert.equal(parseUnits('System has not been booted with systemd as init system (PID 1). Can\'t operate.').ok, false);
  });
});

describe('probe sections for flannel', () => {
  const section = (name: string, body: string, rc = 0, fmt = 'text') => `@@clusterctl:begin ${name}\n${body}\n@@clusterctl:end ${name} rc=${rc} fmt=${fmt}\n`;
  test('no subnet.env is a fact (present: false), not a problem; PID 1 not systemd leaves units null without a problem', () => {
    const out = section('flannel.env', 'cat: /run/flannel/subnet.env: No such file or directory', 1) + section('init', 'process_api') +
      section('units', fixture('lab-systemctl-no-systemd.txt').replace(/\nrc=1\n$/, ''), 1) + section('links', fixture('lab-ip-j-d-link.json'), 0, 'json') + '@@clusterctl:done\n';
    const f = parseFacts(out);
    assert.deepEqual(f.subnetEnv, { present: false });
    assert.equal(f.init, 'process_api');
    assert.equal(f.units, null);
    assert.equal(f.links?.length, 3);
    assert.deepEqual(f.problems.filter((p) => /^(flannel\.env|init|units|links): /.test(p)), []);
  });
  test('systemd as PID 1 and systemctl failing is a problem naming the command', () => {
    const f = parseFacts(section('init', 'systemd') + section('units', 'Failed to connect to bus: No such file or directory', 1) + '@@clusterctl:done\n');
    assert.equal(f.units, null);
    assert.ok(f.problems.includes('units: `systemctl list-units --type=service --all --no-legend --plain --no-pager` failed (rc=1): Failed to connect to bus: No such file or directory'), f.problems.join('\n'));
  });
});
