import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckResult } from '../../../src/checks/types.js';
import { evaluate } from '../../../src/run/evaluate.js';
import { facts, flannel, node } from '../../fixtures/facts/builders.js';

describe('--only / --skip selection', () => {
  test('the engine applies the selection to each node report', () => {
    const n = node();
    const inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes: [n] };
    const ssh: CheckResult = { id: 'ssh', status: 'pass', expected: null, actual: 'connected', message: 'connected' };
    const gathered = [{ node: n, durationMs: 1, ssh, gathered: { ok: true as const, facts: facts() } }];
    const [all] = evaluate(inventory, gathered);
    const [net] = evaluate(inventory, gathered, { only: ['net'], skip: ['net.dns'] });
    assert.ok(all?.checks.some((c) => c.id === 'hostname') && all.checks.some((c) => c.id === 'net.dns'));
    assert.deepEqual(net?.checks.map((c) => c.id), all?.checks.map((c) => c.id).filter((id) => id === 'ssh' || (id.startsWith('net.') && id !== 'net.dns')));
    assert.deepEqual(['ssh', 'net.address', 'net.gateway', 'net.route'].filter((id) => !net?.checks.some((c) => c.id === id)), []);
  });
});
