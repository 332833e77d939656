// Issue 22, item 1, on real etcd: a flannel config key whose value imitates clusterctl's markers
// (the ones before one framing, and today's with a guessed nonce) changes flannel.config's own
// value and nothing else. Before one framing, `@@clusterctl-batch no-etcdctl` anywhere in the
// batch's output made etcd.health, etcd.members and flannel.config "etcdctl not found".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { etcdLab, onNode } from '../fixtures/etcd/lab.js';
import { labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';
import { shellQuote } from '../../src/util/shell.js';

const env = { LAB_ETCD: 'cluster3', LAB_ETCD_V2: '1', LAB_FLANNEL: '1' };
const KEY = '/coreos.com/network/config';
const MARKERS = [
  '@@clusterctl-batch no-etcdctl',
  '@@clusterctl-etcdctl-version begin',
  '| etcdctl version: 9.9.9',
  '@@clusterctl-etcdctl-version end rc=0',
  '@@clusterctl:end 0000000000000000 etcdctl.0 rc=0',
  '@@clusterctl:begin 0000000000000000 etcdctl-version',
];

// The key in both keyspaces, written through node 1's own etcd.
async function writeKey(value: string): Promise<void> {
  const e = '--endpoints=http://127.0.0.1:2379';
  const v = shellQuote(value);
  await onNode(1, `ETCDCTL_API=2 etcdctl ${e} set -- ${KEY} ${v} >/dev/null && ETCDCTL_API=3 etcdctl ${e} put -- ${KEY} ${v} >/dev/null`);
}

// etcd.health, etcd.members and flannel.config on each etcd node, as "node id=status".
const etcdAndKey = (report: JsonReport) =>
  report.nodes.flatMap((n) => n.checks.filter((c) => ['etcd.health', 'etcd.members', 'flannel.config'].includes(c.id)).map((c) => `${n.name} ${c.id}=${c.status}`));
const everyEtcdNode = (config: string) => [1, 2, 3].flatMap((i) => [`${nodeName(i)} etcd.health=pass`, `${nodeName(i)} etcd.members=pass`, `${nodeName(i)} flannel.config=${config}`]);

describe('one framing on the real lab: node text cannot forge another fact (LAB_ETCD=cluster3, LAB_FLANNEL=1)', { skip: labSkip }, () => {
  before(async () => {
    await etcdLab(['up', '3'], env);
  });
  after(async () => {
    await etcdLab(['down'], env);
  });

  test('the issue\'s value (valid JSON, markers inside a string): etcd.health, etcd.members and flannel.config pass on every etcd node', async () => {
    const value = `{"Network": "198.19.128.0/17", "Backend": {"Type": "vxlan"}, "x": "\\n${MARKERS.join('\\n')}\\n"}`;
    await writeKey(value);
    const { report } = await verifyJson();
    assert.deepEqual(etcdAndKey(report), everyEtcdNode('pass'));
    // The value was read whole: flannel names the key it ignores.
    const config = report.nodes[0]?.checks.find((c) => c.id === 'flannel.config');
    assert.match(config?.message ?? '', /^warning: flannel ignores unknown key x/);
    assert.match(config?.message ?? '', /Network 198\.19\.128\.0\/17, SubnetLen 24, Backend vxlan/);
  });

  test('the markers on lines of their own (not JSON any more): only flannel.config fails, for its own value', async () => {
    await writeKey(`{"Network": "198.19.128.0/17"}\n${MARKERS.join('\n')}\n`);
    const { report } = await verifyJson();
    assert.deepEqual(etcdAndKey(report), everyEtcdNode('fail'));
    for (const n of report.nodes.slice(0, 3)) assert.match(n.checks.find((c) => c.id === 'flannel.config')?.message ?? '', /not valid JSON/, n.name);
  });
});
