import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { flannelDropinCheck } from '../../../src/checks/flannel-dropin.js';
import { buildClusterView } from '../../../src/checks/cluster-view.js';
import type { CheckContext } from '../../../src/checks/types.js';
import { parseEtcdctlVersion } from '../../../src/facts/parse/etcdctl-version.js';
import { parseSystemctlCat } from '../../../src/facts/parse/systemd-unit.js';
import type { NodeFacts } from '../../../src/facts/types.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { facts, flannel, inventory, node } from '../../fixtures/facts/builders.js';

const KEY = '/coreos.com/network/config';
const read = (dir: string, name: string) => readFileSync(new URL(`../../fixtures/${dir}/${name}`, import.meta.url), 'utf8');
const p = parseSystemctlCat(read('flannel', 'systemctl-cat-container-linux-guide.txt'));
assert.ok(p.ok);
const GUIDE_UNIT = p.value;
const v = (name: string) => {
  const r = parseEtcdctlVersion(read('etcd', name));
  assert.ok(r.ok);
  return r.value;
};
const n1 = node({ name: 'node1', roles: ['etcd', 'master'] });
const n2 = node({ name: 'node2', host: '198.18.1.12' });

function context(all: [NodeSpec, NodeFacts][], network = '10.1.0.0/16'): CheckContext {
  const inv = inventory(all.map(([n]) => n), { flannel: flannel({ enabled: true, network }) });
  return { inventory: inv, cluster: buildClusterView(inv, new Map(all.map(([n, f]) => [n.name, f]))) };
}
const key = (value: string) => ({ key: KEY, v2: { ok: true as const, found: true, value }, v3: { ok: true as const, found: false, value: '' } });

describe('flannel.dropin', () => {
  test('the setup guide on Container Linux (etcdctl 3.3 speaks v2), same value as the key: pass, saying what it does', () => {
    const f1 = facts({ flannelUnit: GUIDE_UNIT, etcdctlVersion: v('etcdctl33-version.out'), flannelConfig: key('{"Network": "10.1.0.0/16"}') });
    const [r, ...more] = flannelDropinCheck.run(n1, f1, context([[n1, f1]]));
    assert.deepEqual(more, []);
    assert.equal(r?.status, 'pass');
    assert.equal(r?.message, `50-network-config.conf (/etc/systemd/system/flanneld.service.d/50-network-config.conf) writes ${KEY} = {"Network": "10.1.0.0/16"} at every start of flanneld (\`set\`, v2: etcdctl 3.3.13 speaks v2 by default); same as the key and the inventory`);
    assert.equal(r?.actual, `/usr/bin/etcdctl set ${KEY} '{"Network": "10.1.0.0/16"}'`);
  });
  test('the same drop-in on current Flatcar (etcdctl 3.4+, v3 by default): fail on that node, what to do', () => {
    const f1 = facts({ flannelUnit: GUIDE_UNIT, etcdctlVersion: v('etcdctl34-version.out'), flannelConfig: key('{"Network": "10.1.0.0/16"}') });
    const [r] = flannelDropinCheck.run(n1, f1, context([[n1, f1]]));
    assert.equal(r?.status, 'fail');
    assert.match(r?.message ?? '', /etcdctl 3\.4\.23 speaks v3 by default and nothing sets ETCDCTL_API=2: .* flanneld never starts; add Environment=ETCDCTL_API=2 to the drop-in/);
  });
  test('the key read on another node; the drop-in\'s value differs: pass led by a warning', () => {
    const f1 = facts({ flannelConfig: key('{"Network": "10.9.0.0/16"}') });
    const f2 = facts({ flannelUnit: GUIDE_UNIT, etcdctlVersion: v('etcdctl33-version.out') });
    const [r] = flannelDropinCheck.run(n2, f2, context([[n1, f1], [n2, f2]], '10.9.0.0/16'));
    assert.equal(r?.status, 'pass');
    assert.match(r?.message ?? '', /^warning: 50-network-config\.conf .* writes Network 10\.1\.0\.0\/16, the inventory says cluster\.flannel\.network 10\.9\.0\.0\/16; warning: .* the key holds \{"Network": "10\.9\.0\.0\/16"\} \(v2\): the next restart of flanneld on node2 puts the drop-in's value back/);
  });
  test('no etcdctl on the node: a warning that says why', () => {
    const f1 = facts({ flannelUnit: GUIDE_UNIT, etcdctlVersion: null, problems: ['etcdctl.version: `etcdctl version` and `etcdctl --version` failed (rc=127): sh: 1: etcdctl: not found'], flannelConfig: key('{"Network": "10.1.0.0/16"}') });
    const [r] = flannelDropinCheck.run(n1, f1, context([[n1, f1]]));
    assert.match(r?.message ?? '', /^warning: could not tell which API etcdctl on node1 speaks by default \(etcdctl\.version: .*etcdctl: not found\)/);
  });
  test('no drop-in that writes the key, or no unit: a pass saying so; flannel off: no result', () => {
    const unit = GUIDE_UNIT.slice(0, 1);
    const skip = [{ id: 'flannel.dropin', status: 'pass', expected: 'no drop-in that breaks flanneld or overwrites the key', actual: 'none', message: `no drop-in of ${n1.name}'s flanneld.service writes /coreos.com/network/config` }];
    assert.deepEqual(flannelDropinCheck.run(n1, facts({ flannelUnit: unit }), context([[n1, facts()]])), skip);
    assert.deepEqual(flannelDropinCheck.run(n1, facts({ flannelUnit: null }), context([[n1, facts()]])), skip);
    const off = context([[n1, facts()]]);
    off.inventory.cluster.flannel = flannel();
    assert.deepEqual(flannelDropinCheck.run(n1, facts({ flannelUnit: GUIDE_UNIT }), off), []);
  });
});
