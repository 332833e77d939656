import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHealthText } from '../../../src/etcdctl/health-text.js';
import { captured } from '../../fixtures/etcd/load.js';

// The etcdctl33-* fixtures are written by hand from etcd v3.3.13's ep_command.go (see README).
describe('etcdctl 3.3 endpoint health text (etcd-io/etcd#9532)', () => {
  test('one healthy endpoint on stdout', () => {
    assert.deepEqual(parseHealthText(captured('etcdctl33-endpoint-health')), [{ endpoint: 'http://127.0.0.1:2379', healthy: true }]);
  });
  test('healthy lines on stdout, the unhealthy one on stderr with why', () => {
    assert.deepEqual(parseHealthText(captured('etcdctl33-endpoint-health-unhealthy')), [
      { endpoint: 'http://10.0.0.10:2379', healthy: true },
      { endpoint: 'http://10.0.0.12:2379', healthy: true },
      { endpoint: 'http://10.0.0.11:2379', healthy: false, error: 'failed to connect: context deadline exceeded' },
    ]);
    assert.deepEqual(parseHealthText(captured('etcdctl33-endpoint-health-timeout')).map((h) => h.error ?? 'ok'), ['ok', 'failed to commit proposal: context deadline exceeded']);
  });
  test('3.4 JSON, errors and empty output name no endpoint', () => {
    assert.deepEqual(parseHealthText(captured('v3-endpoint-health')), []);
    assert.deepEqual(parseHealthText(captured('v3-endpoint-health-unreachable')), []);
    assert.deepEqual(parseHealthText({ stdout: '', stderr: '', code: 0, timedOut: false }), []);
  });
});
