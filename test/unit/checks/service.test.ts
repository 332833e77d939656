import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serviceCheck } from '../../../src/checks/service.js';
import type { CheckContext } from '../../../src/checks/types.js';
import { parseUnits } from '../../../src/facts/parse/units.js';
import type { ServicesSpec } from '../../../src/inventory/types.js';
import { facts, flannel, node } from '../../fixtures/facts/builders.js';

const units = (name: string) => {
  const p = parseUnits(readFileSync(new URL(`../../fixtures/flannel/${name}`, import.meta.url), 'utf8'));
  assert.ok(p.ok);
  return p.value;
};
const DEFAULTS: ServicesSpec = { all: ['flanneld.service'], etcd: ['etcd-member.service'], master: [], worker: [] };
const ctx = (services: ServicesSpec | null = DEFAULTS): CheckContext => ({
  inventory: { path: '/t/i.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel(), ...(services ? { services } : {}) }, nodes: [] },
  facts: new Map(),
});
const lines = (rs: { status: string; expected: string | null; actual: string | null; message: string }[]) => rs.map((r) => `${r.status} ${r.expected} | ${r.actual} | ${r.message}`);

describe('service: systemd units per role, one result each', () => {
  test('Flatcar fixture: flanneld active, etcd-member failed (with the journalctl hint), kubelet not installed', () => {
    const n = node({ roles: ['etcd', 'master'] });
    const rs = serviceCheck.run(n, facts({ init: 'systemd', units: units('systemctl-flatcar.txt') }), ctx({ ...DEFAULTS, master: ['kubelet.service'] }));
    assert.deepEqual(lines(rs), [
      'pass flanneld.service active | active (running) | flanneld.service active (running)',
      'fail etcd-member.service active | failed (failed) | etcd-member.service is failed (failed), expected active; see `journalctl -u etcd-member.service`',
      'fail kubelet.service active | not found | kubelet.service is not installed on lab-node-1 (systemd has no such unit)',
    ]);
  });
  test('Container Linux fixture: a worker only needs flanneld, which is still starting', () => {
    const rs = serviceCheck.run(node(), facts({ init: 'systemd', units: units('systemctl-container-linux.txt') }), ctx());
    assert.deepEqual(lines(rs), ['fail flanneld.service active | activating (start-pre) | flanneld.service is activating (start-pre), expected active']);
  });
  test('PID 1 is not systemd: one skip per unit, saying so', () => {
    const rs = serviceCheck.run(node({ roles: ['etcd'] }), facts({ init: 'process_api', units: null }), ctx());
    assert.deepEqual(rs.map((r) => `${r.status}: ${r.message}`), [
      "skip: flanneld.service: PID 1 is 'process_api', not systemd, so unit states cannot be read",
      "skip: etcd-member.service: PID 1 is 'process_api', not systemd, so unit states cannot be read",
    ]);
  });
  test('no services expected (no flannel, no cluster.services): no results; PID 1 unknown: error', () => {
    assert.deepEqual(serviceCheck.run(node(), facts(), ctx(null)), []);
    const rs = serviceCheck.run(node(), facts({ init: null, problems: ['init: `cat /proc/1/comm` failed (rc=1): Permission denied'] }), ctx());
    assert.deepEqual(rs.map((r) => `${r.status}: ${r.message}`), ['error: Could not check: init: `cat /proc/1/comm` failed (rc=1): Permission denied']);
  });
});
