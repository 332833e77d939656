import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flannelConfigCheck } from '../../../src/checks/flannel-config.js';
import { flannelInterfaceCheck } from '../../../src/checks/flannel-interface.js';
import { flannelLeaseCheck } from '../../../src/checks/flannel-lease.js';
import { flannelOverlapCheck } from '../../../src/checks/flannel-overlap.js';
import type { FlannelConfigFact, NodeFacts } from '../../../src/facts/types.js';
import { okFact } from '../../../src/facts/types.js';
import { flannel as flannelSpec } from '../../fixtures/facts/builders.js';
import { CONFIG, KEY, context, etcd, flannelFacts, status, w2 } from '../../helpers/flannel-checks.js';

describe('flannel.config', () => {
  const withConfig = (v2: FlannelConfigFact) => flannelFacts(1, { flannelConfig: v2 });
  test('found in both keyspaces and valid: pass, saying where', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: CONFIG } });
    const [r] = flannelConfigCheck.run(etcd, f, context([etcd, w2], [f, flannelFacts(2)]));
    assert.equal(r?.status, 'pass');
    // No flannel version on either node: v2, as every Container Linux and Flatcar flannel reads.
    assert.match(r?.message ?? '', new RegExp(`^Network 10\\.1\\.0\\.0/16, SubnetLen 24, Backend vxlan — ${KEY} in the v2 keyspace, which flannel reads \\(v2: e1, w2: no flannel version found on the node .*v2 assumed`));
  });
  test('different values in v2 and v3: pass, the message led by a warning', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: true, value: '{"Network": "10.9.0.0/16"}' } });
    assert.match(flannelConfigCheck.run(etcd, f, context([etcd], [f]))[0]?.message ?? '', /^warning: the v3 keyspace holds a different value/);
  });
  test('each node\'s flannel decides: w2 runs v0.22 (reads v3), the key is only in v2 → fail naming w2 and where the key is', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: true, value: CONFIG }, v3: { ok: true, found: false, value: '' } });
    const w2facts = flannelFacts(2, { flanneldVersion: 'v0.22.3' });
    const [r] = flannelConfigCheck.run(etcd, f, context([etcd, w2], [f, w2facts]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /is not in the v3 keyspace, which flannel reads \(w2: flannel v0\.22\.3 \(`flanneld --version` on PATH says v0\.22\.3\) reads v3, being ≥ 0\.18\); it is in the v2 keyspace/);
    assert.equal(r?.expected, `${KEY} (v2 and v3), Network 10.1.0.0/16`);
  });
  test('flannel-io/flannel#1057: key only in v3, v2 not served, flannel 0.11 from the unit → fail with the --enable-v2 hint', () => {
    const f = withConfig({ key: KEY, v2: { ok: false, error: 'etcdctl exited 4: Error: response is invalid json', unserved: true }, v3: { ok: true, found: true, value: CONFIG } });
    const unit = [{ path: '/usr/lib/systemd/system/flanneld.service', entries: [{ section: 'Service', key: 'Environment', value: '"FLANNEL_IMAGE_TAG=v0.11.0"' }] }];
    const [r] = flannelConfigCheck.run(etcd, { ...f, flannelUnit: okFact(unit) }, context([etcd], [{ ...f, flannelUnit: okFact(unit) }]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /etcd does not serve the v2 API, and flannel reads .* from v2 \(e1: flannel v0\.11\.0 \(FLANNEL_IMAGE_TAG=v0\.11\.0 in \/usr\/lib\/systemd\/system\/flanneld\.service\) reads v2, being < 0\.18\); it is in the v3 keyspace .*: start etcd with --enable-v2/);
  });
  test('etcdApi v3 against a flannel that reads v2: the configured keyspace, with a warning naming the node', () => {
    const f = withConfig({ key: KEY, v2: { ok: true, found: false, value: '' }, v3: { ok: true, found: true, value: CONFIG } });
    const old = { ...f, flanneldVersion: okFact('0.14.0') };
    const [r] = flannelConfigCheck.run(etcd, old, context([etcd], [old], { network: '10.1.0.0/16', etcdApi: 'v3' }));
    assert.equal(r?.status, 'pass');
    assert.match(r?.message ?? '', /^warning: e1: cluster\.flannel\.etcdApi is v3, but flannel 0\.14\.0 .* reads v2, being < 0\.18; set etcdApi to auto or v2/);
  });
  test('missing: fail; unreadable: error; invalid: fail with every problem', () => {
    const missing = withConfig({ key: KEY, v2: { ok: true, found: false, value: '' }, v3: { ok: true, found: false, value: '' } });
    assert.equal(flannelConfigCheck.run(etcd, missing, context([etcd], [missing]))[0]?.status, 'fail');
    const down = withConfig({ key: KEY, v2: { ok: false, error: 'etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured' } });
    assert.deepEqual(status(flannelConfigCheck.run(etcd, down, context([etcd], [down], { etcdApi: 'v2' }))), ['error: Could not check: could not read /coreos.com/network/config from the v2 keyspace: etcdctl exited 4: Error: client: etcd cluster is unavailable or misconfigured']);
    const wrong = withConfig({ key: KEY, v2: { ok: true, found: true, value: '{"Network": "10.2.0.0/16", "SubnetLen": 40}' } });
    const [r] = flannelConfigCheck.run(etcd, wrong, context([etcd], [wrong]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /Network is 10\.2\.0\.0\/16, the inventory says 10\.1\.0\.0\/16 \(cluster\.flannel\.network\); SubnetLen 40 is over 30/);
  });
  test('reported on the etcd nodes only; without any etcd node, skipped with what to do', () => {
    const inv = context([etcd, w2], [flannelFacts(1), flannelFacts(2)]).inventory;
    assert.deepEqual([flannelConfigCheck.appliesTo(etcd, inv), flannelConfigCheck.appliesTo(w2, inv)], [true, false]);
    assert.equal(flannelConfigCheck.appliesTo(w2, context([w2], [flannelFacts(2)]).inventory), true);
    assert.match(flannelConfigCheck.run(w2, flannelFacts(2), context([w2], [flannelFacts(2)]))[0]?.message ?? '', /no etcd node in the inventory/);
  });
  test('flannel not described in the inventory: no flannel results at all', () => {
    const ctx = context([etcd], [flannelFacts(1)]);
    ctx.inventory.cluster.flannel = flannelSpec();
    for (const c of [flannelConfigCheck, flannelOverlapCheck, flannelLeaseCheck, flannelInterfaceCheck]) assert.deepEqual(c.run(etcd, flannelFacts(1), ctx), []);
  });
});
