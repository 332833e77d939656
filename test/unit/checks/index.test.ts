import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { readFileSync } from 'node:fs';
import { CHECK_IDS, CHECKS, runChecks } from '../../../src/checks/index.js';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import type { Check } from '../../../src/checks/types.js';
import { facts, node, ctx } from '../../fixtures/facts/builders.js';

describe('checks index', () => {
  test('order and ids', () => {
    const ids = ['hostname', 'hostname.file', 'net.address', 'net.gateway', 'net.dns', 'net.route', 'etcd.health', 'etcd.members',
      'flannel.config', 'flannel.dropin', 'flannel.etcd-reach', 'flannel.overlap', 'flannel.lease', 'flannel.interface', 'flannel.datapath', 'service', 'ignition', 'ignition.files', 'ignition.units',
      'kube.apiserver', 'kube.kubelet', 'kube.node', 'kube.podcidr', 'kube.cni', 'kube.certs', 'kube.nodes'];
    assert.deepEqual(CHECKS.map((c) => c.id), ids);
    assert.deepEqual(CHECK_IDS, ['ssh', ...ids]);
  });

  test('a matching node passes everything', () => {
    const results = runChecks(node(), facts(), ctx());
    // A worker in an inventory without a flannel section, not imported from a config: etcd.*,
    // flannel.*, service, ignition.files|units and kube.* do not apply to it; every other check passes.
    const applicable = CHECKS.filter((c) => !/^(etcd|flannel|kube)\.|^service$|^ignition\./.test(c.id));
    assert.deepEqual(results.map((r) => [r.id, r.status]), applicable.map((c) => [c.id, 'pass']));
  });

  test('a node without network: hostname checks run, every net.* check skips once', () => {
    const results = runChecks(node({ network: undefined }), facts(), ctx());
    assert.deepEqual(results.map((r) => `${r.id}:${r.status}`), [
      'hostname:pass', 'hostname.file:pass', 'net.address:skip', 'net.gateway:skip', 'net.dns:skip', 'net.route:skip', 'ignition:pass',
    ]);
  });

  test('facts from a dead probe give errors, never a crash', () => {
    const results = runChecks(node(), parseFacts('garbage\u0000\uFFFD', TEST_NONCE), ctx());
    assert.deepEqual(results.map((r) => r.status), ['error', 'error', 'error', 'error', 'error', 'error', 'error']);
    assert.ok(results.every((r) => r.message.startsWith('Could not check: ')));
  });

  test('real probe output from the old-iproute fixture, end to end', () => {
    const out = readFileSync(new URL('../../fixtures/facts/probe-old-iproute.txt', import.meta.url), 'utf8');
    const results = runChecks(node({ hostname: 'vm', network: undefined }), parseFacts(out, TEST_NONCE), ctx());
    assert.deepEqual(results.slice(0, 2).map((r) => r.status), ['pass', 'pass']);
  });

  test('a check that throws is reported as an error result', () => {
    const boom: Check = { id: 'boom', scope: 'node', appliesTo: () => true, run: () => { throw new Error('bug'); } };
    const last = runChecks(node(), facts(), ctx(), [...CHECKS, boom]).at(-1);
    assert.equal(last?.id, 'boom');
    assert.equal(last?.status, 'error');
    assert.match(last?.message ?? '', /internal error in clusterctl.*bug/);
  });
});
