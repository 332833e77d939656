import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkKubelet } from '../../../src/checks/kube-kubelet.js';
import { evidenceOf, expectOf, masterOf } from '../../fixtures/kube/builders.js';

describe('kube.kubelet', () => {
  test('healthz ok on masters and workers; etcd-only nodes have none', () => {
    const want = 'http://127.0.0.1:10248/healthz answers 200 ok';
    assert.deepEqual(checkKubelet(expectOf(), evidenceOf()), [{ id: 'kube.kubelet', status: 'pass', expected: want, actual: '200 ok', message: 'kubelet on w1 is healthy (http://127.0.0.1:10248/healthz)' }]);
    assert.equal(checkKubelet(masterOf(), evidenceOf())[0]?.status, 'pass');
    assert.deepEqual(checkKubelet(expectOf({ master: false, worker: false }), evidenceOf()), []);
  });
  test('--healthz-port=0 (Typhoon): a skip with the reason and where it was read', () => {
    assert.deepEqual(checkKubelet(expectOf(), evidenceOf({ kubelet: { ok: { argv: ['kubelet', '--healthz-port=0'], from: '/proc/7/cmdline' } }, kubeletHealthz: { absent: 'not asked' } })), [
      { id: 'kube.kubelet', status: 'skip', expected: null, actual: 'healthz port 0', message: "the kubelet runs with healthz port 0, so it serves no healthz endpoint (/proc/7/cmdline); the Node's Ready condition (kube.node) still says whether it runs" },
    ]);
  });
  test('its --config file: healthzPort 0 there disables it too; a flag on the command line wins over the file', () => {
    const cfg = { ok: { healthzPort: 0 } };
    const [skip] = checkKubelet(expectOf(), evidenceOf({ kubeletConfig: cfg, kubeletHealthz: { absent: 'not asked' } }));
    assert.equal(skip?.message, "the kubelet runs with healthz port 0, so it serves no healthz endpoint (healthzPort: 0 in its --config file); the Node's Ready condition (kube.node) still says whether it runs");
    const [asked] = checkKubelet(expectOf(), evidenceOf({ kubeletConfig: cfg, kubelet: { ok: { argv: ['kubelet', '--healthz-port=10250'], from: 'x' } } }));
    assert.equal(asked?.expected, 'http://127.0.0.1:10250/healthz answers 200 ok');
  });
  test('kubelet stopped: refused, and no process: says so and what to do', () => {
    const [r] = checkKubelet(expectOf(), evidenceOf({ kubelet: { absent: 'no kubelet process' }, kubeletHealthz: { ok: { kind: 'refused' } } }));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.message, 'no kubelet runs on w1 (no kubelet process): start it (`systemctl start kubelet`; `journalctl -u kubelet` says why it stopped)');
    const [t] = checkKubelet(expectOf(), evidenceOf({ kubeletHealthz: { ok: { kind: 'timeout' } } }));
    assert.equal(t?.message, 'kubelet on w1 is not healthy at http://127.0.0.1:10248/healthz: no answer (timed out) (see `journalctl -u kubelet`)');
  });
  test('healthz not read: error', () => {
    assert.equal(checkKubelet(expectOf(), evidenceOf({ kubeletHealthz: { error: 'curl: no output' } }))[0]?.status, 'error');
  });
});
