import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelConfigCheck } from '../../../src/checks/flannel-config.js';
import { flannelInterfaceCheck } from '../../../src/checks/flannel-interface.js';
import { flannelLeaseCheck } from '../../../src/checks/flannel-lease.js';
import { flannelOverlapCheck } from '../../../src/checks/flannel-overlap.js';
import type { NodeFacts } from '../../../src/facts/types.js';
import { flannel as flannelSpec } from '../../fixtures/facts/builders.js';
import { CONFIG, KEY, context, etcd, flannelFacts, status, w2 } from '../../helpers/flannel-checks.js';

describe('flannel.config', () => {
  const withConfig = (v2: NodeFacts['flannelConfig']) => flannelFacts(1, { flannelConfig: v2 });
  test('found in both keyspaces and valid: pass, saying where', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: CONFIG } });
    const [r] = flannelConfigCheck.run(etcd, f, context([etcd, w2], [f, flannelFacts(2)]));
    assert.equal(r?.status, 'pass');
    assert.equal(r?.message, `Network 10.1.0.0/16, SubnetLen 24, Backend vxlan — ${KEY} in both the v2 and v3 keyspaces (same value)`);
  });
  test('different values in v2 and v3: pass with a warning', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: '{"Network": "10.9.0.0/16"}' } });
    assert.match(flannelConfigCheck.run(etcd, f, context([etcd], [f]))[0]?.message ?? '', /; warning: the v3 keyspace holds a different value/);
  });
  test('missing: fail; unreadable: error; invalid: fail with every problem', () => {
    const missing = withConfig({ key: KEY, v2: { ok: true, found: false, value: '' }, v3: { ok: true, found: false, value: '' } });
    assert.equal(flannelConfigCheck.run(etcd, missing, context([etcd], [missing]))[0]?.status, 'fail');
    const down = withConfig({ key: KEY, v2: { ok: false, error: 'etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured' } });
    assert.deepEqual(status(flannelConfigCheck.run(etcd, down, context([etcd], [down], { etcdApi: 'v2' }))), ['error: Could not check: could not read /coreos.com/network/config: v2: etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured']);
    const wrong = withConfig({ key: KEY, v2: { ok: true, found: true, value: '{"Network": "10.2.0.0/16", "SubnetLen": 40}' } });
    const [r] = flannelConfigCheck.run(etcd, wrong, context([etcd], [wrong]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /Network is 10\.2\.0\.0\/16, the inventory says 10\.1\.0\.0\/16 \(cluster\.flannel\.network\); SubnetLen 40 is over 30/);
  });
  test('reported on the etcd nodes only; without any etcd node, skipped with what to do', () => {
    assert.deepEqual(flannelConfigCheck.run(w2, flannelFacts(2), context([etcd, w2], [flannelFacts(1), flannelFacts(2)])), []);
    assert.match(flannelConfigCheck.run(w2, flannelFacts(2), context([w2], [flannelFacts(2)]))[0]?.message ?? '', /no etcd node in the inventory/);
  });
  test('flannel not described in the inventory: no flannel results at all', () => {
    const ctx = context([etcd], [flannelFacts(1)]);
    ctx.inventory.cluster.flannel = flannelSpec();
    for (const c of [flannelConfigCheck, flannelOverlapCheck, flannelLeaseCheck, flannelInterfaceCheck]) assert.deepEqual(c.run(etcd, flannelFacts(1), ctx), []);
  });
});
