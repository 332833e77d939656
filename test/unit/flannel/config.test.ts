import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig, validateFlannelConfig } from '../../../src/flannel/config.js';
import { apisToWrite } from '../../../src/flannel/plan.js';
import { resolveConfig } from '../../../src/flannel/key.js';

describe('validateFlannelConfig: what flanneld accepts, and what the inventory expects', () => {
  const ok: [string, string, { network: string; subnetLen: number; backendType: string }][] = [
    ['the setup guide', '{"Network": "10.1.0.0/16"}', { network: '10.1.0.0/16', subnetLen: 24, backendType: 'udp' }],
    ['vxlan, SubnetLen 26', '{"Network":"10.1.0.0/16","SubnetLen":26,"Backend":{"Type":"vxlan"}}', { network: '10.1.0.0/16', subnetLen: 26, backendType: 'vxlan' }],
    ['keys in any case (Go json)', '{"network": "10.1.0.0/16", "backend": {"type": "host-gw"}}', { network: '10.1.0.0/16', subnetLen: 24, backendType: 'host-gw' }],
    ['SubnetLen 30, the most', '{"Network": "10.1.0.0/16", "SubnetLen": 30}', { network: '10.1.0.0/16', subnetLen: 30, backendType: 'udp' }],
  ];
  for (const [name, text, config] of ok) {
    test(`valid: ${name}`, () => {
      const v = validateFlannelConfig(text);
      assert.ok(v.ok, v.ok ? '' : v.problems.join('; '));
      assert.deepEqual(v.config, config);
    });
  }
  const bad: [string, string, RegExp, { network?: string; subnetLen?: number }?][] = [
    ['not JSON (cut short)', '{"Network": "10.1.0.0/16"', /^not valid JSON/],
    ['not an object', '"10.1.0.0/16"', /must be a JSON object/],
    ['Network missing', '{"SubnetLen": 24}', /^Network is missing$/],
    ['Network not a string', '{"Network": 10}', /Network must be a string/],
    ['Network not a CIDR', '{"Network": "10.1.0.0"}', /not an IPv4 CIDR/],
    ['host bits', '{"Network": "10.1.2.0/16"}', /host bits set; did you mean 10\.1\.0\.0\/16\?/],
    ['SubnetLen not above the prefix', '{"Network": "10.1.0.0/24", "SubnetLen": 24}', /SubnetLen 24 must be greater than Network's prefix \/24/],
    ['SubnetLen over 30', '{"Network": "10.1.0.0/16", "SubnetLen": 31}', /SubnetLen 31 is over 30/],
    ['SubnetLen not a number', '{"Network": "10.1.0.0/16", "SubnetLen": "24"}', /SubnetLen must be a whole number/],
    ['unknown backend', '{"Network": "10.1.0.0/16", "Backend": {"Type": "vxlam"}}', /Backend\.Type "vxlam" is not one flannel knows/],
    ['Backend not an object', '{"Network": "10.1.0.0/16", "Backend": "vxlan"}', /Backend must be an object/],
    ['SubnetMin outside', '{"Network": "10.1.0.0/16", "SubnetMin": "10.2.0.0"}', /SubnetMin 10\.2\.0\.0 is outside Network 10\.1\.0\.0\/16/],
    ['another Network than the inventory', '{"Network": "10.1.0.0/16"}', /Network is 10\.1\.0\.0\/16, the inventory says 10\.2\.0\.0\/16/, { network: '10.2.0.0/16' }],
    ['another SubnetLen than the inventory', '{"Network": "10.1.0.0/16"}', /SubnetLen is 24, the inventory says 26/, { subnetLen: 26 }],
  ];
  for (const [name, text, problem, expect] of bad) {
    test(`invalid: ${name}`, () => {
      const v = validateFlannelConfig(text, expect);
      assert.equal(v.ok, false);
      assert.ok(!v.ok && v.problems.some((p) => problem.test(p)), !v.ok ? v.problems.join('; ') : '');
    });
  }
  test('every problem at once', () => {
    const v = validateFlannelConfig('{"Network": "10.1.2.0/16", "SubnetLen": 40, "Backend": {"Type": "x"}}');
    assert.equal(!v.ok && v.problems.length, 3);
  });
  test('unknown keys and a Backend without Type are warnings, not problems', () => {
    const v = validateFlannelConfig('{"Network": "10.1.0.0/16", "Netwrok": "x", "Backend": {}}');
    assert.ok(v.ok);
    assert.deepEqual(v.warnings, ['Backend has no Type: flannel uses udp', 'flannel ignores unknown key Netwrok']);
  });
  test('buildConfig writes the setup guide shape, adding only what was asked', () => {
    assert.equal(buildConfig('10.1.0.0/16'), '{"Network":"10.1.0.0/16"}');
    assert.equal(buildConfig('10.1.0.0/16', 26, 'vxlan'), '{"Network":"10.1.0.0/16","SubnetLen":26,"Backend":{"Type":"vxlan"}}');
  });
});

describe('resolveConfig: where the key was found', () => {
  const key = '/coreos.com/network/config';
  const v = '{"Network": "10.1.0.0/16"}';
  test('both keyspaces, same value', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: true, value: v } });
    assert.deepEqual(r, { kind: 'found', api: 'v2', value: v, where: `${key} in both the v2 and v3 keyspaces (same value)` });
  });
  test('both, different values: v2 counts (flannel 0.11), with a warning naming the v3 value', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: true, value: '{"Network": "10.9.0.0/16"}' } });
    assert.equal(r.kind === 'found' && r.api, 'v2');
    assert.match(r.kind === 'found' ? (r.warning ?? '') : '', /^warning: the v3 keyspace holds a different value \(\{"Network": "10\.9\.0\.0\/16"\}\)/);
  });
  test('only v3 (flannel >= 0.18), and v2 unreadable: found, with a note', () => {
    const r = resolveConfig({ key, v2: { ok: false, error: 'etcdctl exited 1: Error: client: etcd cluster is unavailable' }, v3: { ok: true, found: true, value: v } });
    assert.equal(r.kind === 'found' && r.api, 'v3');
    assert.match(r.kind === 'found' ? r.where : '', /in the v3 keyspace; the v2 keyspace could not be read \(etcdctl exited 1/);
  });
  test('missing everywhere asked: missing, with the command to fix it', () => {
    assert.deepEqual(resolveConfig({ key, v2: { ok: true, found: false, value: '' } }), { kind: 'missing', message: `${key} is not in the v2 keyspace; write it with \`clusterctl flannel set --network CIDR\`` });
  });
  test('not found in one, unreadable in the other: cannot tell', () => {
    const r = resolveConfig({ key, v2: { ok: true, found: false, value: '' }, v3: { ok: false, error: 'etcdctl exited 1: context deadline exceeded' } });
    assert.equal(r.kind, 'unreadable');
  });
  test('apisToWrite: the configured keyspace, or for auto every one that answered', () => {
    const read = { key, v2: { ok: false as const, error: 'x' }, v3: { ok: true as const, found: false, value: '' } };
    assert.deepEqual(apisToWrite('v2', read), ['v2']);
    assert.deepEqual(apisToWrite('auto', read), ['v3']);
    assert.deepEqual(apisToWrite('auto', { key, v2: { ok: true, found: true, value: v }, v3: { ok: true, found: false, value: '' } }), ['v2', 'v3']);
    assert.deepEqual(apisToWrite('auto', { key }), []);
  });
});
