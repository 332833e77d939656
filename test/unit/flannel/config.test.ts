import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig, validateFlannelConfig } from '../../../src/flannel/config.js';

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
