import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSubnetEnv } from '../../../../src/facts/parse/subnet-env.js';
import { fixture } from '../../../fixtures/flannel/load.js';

describe('subnet.env', () => {
  test('the file flanneld writes (captured on the lab)', () => {
    assert.deepEqual(parseSubnetEnv(fixture('lab-subnet.env')), {
      vars: { FLANNEL_NETWORK: '198.19.128.0/17', FLANNEL_SUBNET: '198.19.129.1/24', FLANNEL_MTU: '1450', FLANNEL_IPMASQ: 'false' },
      network: '198.19.128.0/17',
      subnet: '198.19.129.1/24',
      mtu: 1450,
      ipmasq: false,
    });
  });
  test('hand-edited: comments, export, quotes, blank lines; a bad MTU is left out', () => {
    const f = parseSubnetEnv('# edited\n\nexport FLANNEL_NETWORK="10.1.0.0/16"\nFLANNEL_SUBNET=\'10.1.5.1/24\'\nFLANNEL_MTU=big\nFLANNEL_IPMASQ=true\n');
    assert.deepEqual(f, { vars: { FLANNEL_NETWORK: '10.1.0.0/16', FLANNEL_SUBNET: '10.1.5.1/24', FLANNEL_MTU: 'big', FLANNEL_IPMASQ: 'true' }, network: '10.1.0.0/16', subnet: '10.1.5.1/24', ipmasq: true });
  });
  test('an empty file has no lease', () => {
    assert.deepEqual(parseSubnetEnv(''), { vars: {} });
  });
  test('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => assert.equal(typeof parseSubnetEnv(s).vars, 'object')), { numRuns: 300 });
  });
});
