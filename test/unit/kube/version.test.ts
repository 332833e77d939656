import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeVersion, skewProblem, supportedKubelets } from '../../../src/kube/version.js';

describe('kubelet–apiserver version skew', () => {
  test('versions as the API prints them', () => {
    assert.deepEqual(parseKubeVersion('v1.20.2'), { major: 1, minor: 20, patch: 2 });
    assert.deepEqual(parseKubeVersion('v1.21.0-rc.0'), { major: 1, minor: 21, patch: 0 });
    assert.deepEqual(parseKubeVersion('v1.20.2+k3s1'), { major: 1, minor: 20, patch: 2 });
    assert.equal(parseKubeVersion('v0.0.0-master+$Format:%h$') !== undefined, true);
    assert.equal(parseKubeVersion('unknown'), undefined);
  });
  test('same, older by 2, patch differences: supported', () => {
    assert.equal(skewProblem('v1.20.2', 'v1.20.2'), undefined);
    assert.equal(skewProblem('v1.18.20', 'v1.20.2'), undefined);
    assert.equal(skewProblem('v1.20.9', 'v1.20.2'), undefined);
  });
  test('newer than the apiserver, or 3 minors older before 1.28: not supported', () => {
    assert.equal(skewProblem('v1.21.0', 'v1.20.2'), 'kubelet v1.21.0 is newer than the apiserver v1.20.2: kubelets must not be newer than the apiserver; upgrade the masters first');
    assert.equal(skewProblem('v1.17.4', 'v1.20.2'), 'kubelet v1.17.4 is 3 minor versions older than the apiserver v1.20.2: at most 2 are supported; upgrade the kubelet');
  });
  test('from 1.28 a kubelet may lag by 3', () => {
    assert.equal(skewProblem('v1.25.0', 'v1.28.1'), undefined);
    assert.match(skewProblem('v1.24.0', 'v1.28.1') ?? '', /4 minor versions older .* at most 3/);
    assert.equal(supportedKubelets('v1.20.2'), 'v1.18 to v1.20.x');
    assert.equal(supportedKubelets('v1.28.1'), 'v1.25 to v1.28.x');
  });
});
