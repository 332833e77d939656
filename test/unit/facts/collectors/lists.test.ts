import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLANNED_COLLECTORS } from '../../../../src/facts/collectors/planned.js';
import { SECTION_COLLECTORS } from '../../../../src/facts/collectors/sections.js';
import { parseFacts } from '../../../../src/facts/parse/probe-output.js';
import { partsUnder } from '../../../../src/util/frames.js';
import { probeOutput } from '../../../helpers/fake-transport.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const sections = SECTION_COLLECTORS.map((c) => c.section.name);

describe('the collector lists: one name a fact, one reader a part', () => {
  test('every fact, section name and planned label is named once', () => {
    const facts = [...SECTION_COLLECTORS, ...PLANNED_COLLECTORS].map((c) => c.fact);
    assert.equal(new Set(facts).size, facts.length);
    assert.equal(new Set(sections).size, sections.length);
    const labels = PLANNED_COLLECTORS.map((c) => c.label);
    assert.deepEqual(labels.filter((l) => sections.includes(l)), []);
  });

  test('the probe reply has a fact for every collector, in the order `clusterctl facts` prints them', () => {
    const facts = parseFacts(probeOutput({}), TEST_NONCE);
    assert.deepEqual(Object.keys(facts), [...PLANNED_COLLECTORS.map((c) => c.fact), 'init', ...SECTION_COLLECTORS.map((c) => c.fact).filter((f) => f !== 'init')]);
    for (const c of PLANNED_COLLECTORS) assert.deepEqual(facts[c.fact], { absent: 'not gathered: no selected check needs it here' });
  });

  // A batch that rides in the probe's request shares its reply: the parts of a collector that
  // rides (and the etcdctl run's) must never include a probe section.
  test("no riding collector's parts can take a probe section's", () => {
    const all = new Map(sections.map((name) => [name, { rc: 0, attrs: {}, body: '' }]));
    const riders = PLANNED_COLLECTORS.filter((c) => !c.usesProbe);
    assert.deepEqual(riders.map((c) => c.fact), ['etcd', 'flannelConfig', 'provisioned']);
    for (const prefix of ['etcdctl', ...riders.flatMap((c) => (c.prefix ? [c.prefix] : []))]) assert.deepEqual([...partsUnder(all, prefix).keys()], [], prefix);
  });
});
