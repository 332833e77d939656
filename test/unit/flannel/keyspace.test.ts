import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideKeyspace, flannelReads, groupByKeyspace } from '../../../src/flannel/keyspace.js';
import { parseFlannelVersion } from '../../../src/facts/parse/flanneld-unit.js';

const v = (text: string) => parseFlannelVersion(text, `FLANNEL_IMAGE_TAG=${text} in flanneld.service`);

describe('the keyspace a flannel reads', () => {
  test('≤ 0.17 reads v2, ≥ 0.18 (and any 1.x) v3', () => {
    assert.deepEqual(['v0.11.0', 'v0.14.0', 'v0.17.9', 'v0.18.0', 'v0.22.3', 'v1.0.0'].map((t) => flannelReads(v(t) ?? { major: 9, minor: 9 })), ['v2', 'v2', 'v2', 'v3', 'v3', 'v3']);
  });
  test('auto follows the evidence and says why', () => {
    assert.deepEqual(decideKeyspace('auto', v('v0.14.0')), { api: 'v2', flannel: 'v0.14.0', why: 'flannel v0.14.0 (FLANNEL_IMAGE_TAG=v0.14.0 in flanneld.service) reads v2, being < 0.18' });
    assert.equal(decideKeyspace('auto', v('v0.22.3')).api, 'v3');
  });
  test('auto without evidence is v2, as every Container Linux and Flatcar flannel so far', () => {
    const d = decideKeyspace('auto', undefined);
    assert.equal(d.api, 'v2');
    assert.match(d.why, /no flannel version found on the node .*v2 assumed/);
  });
  test('etcdApi v2|v3 overrides, with a warning when the evidence says otherwise', () => {
    assert.deepEqual(decideKeyspace('v3', undefined), { api: 'v3', why: 'cluster.flannel.etcdApi is v3' });
    const d = decideKeyspace('v3', v('v0.11.0'));
    assert.equal(d.api, 'v3');
    assert.match(d.warning ?? '', /etcdApi is v3, but flannel v0.11.0 .* reads v2, being < 0.18; set etcdApi to auto or v2/);
    assert.equal(decideKeyspace('v2', v('v0.11.0')).warning, undefined);
  });
  test('grouping: one clause per reason, nodes listed', () => {
    const g = groupByKeyspace([
      { node: 'n1', decision: decideKeyspace('auto', v('v0.11.0')) },
      { node: 'n2', decision: decideKeyspace('auto', v('v0.11.0')) },
      { node: 'n3', decision: decideKeyspace('auto', undefined) },
      { node: 'n4', decision: decideKeyspace('auto', v('v0.20.0')) },
    ]);
    assert.deepEqual([...g.keys()], ['v2', 'v3']);
    assert.deepEqual(g.get('v2')?.nodes, ['n1', 'n2', 'n3']);
    assert.match(g.get('v2')?.reasons ?? '', /^n1, n2: flannel v0\.11\.0 .*; n3: no flannel version found/);
    assert.deepEqual(g.get('v3')?.nodes, ['n4']);
  });
});
