import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failureGroups, groupLine } from '../../../src/report/groups.js';
import { buildReport } from '../../../src/run/results.js';
import type { CheckResult, CheckStatus } from '../../../src/checks/types.js';

const r = (id: string, status: CheckStatus): CheckResult => ({ id, status, expected: null, actual: null, message: '' });
const node = (name: string, checks: CheckResult[]) => ({ name, host: 'h', reachable: true, durationMs: 1, checks });

describe('failures grouped by check', () => {
  test('one line a check: how many of the nodes that ran it, which ones, failures before errors', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`node-${i + 1}`, [r('hostname', 'pass'), r('net.route', [7, 19, 44].includes(i + 1) ? 'fail' : 'pass'), r('etcd.health', i === 0 ? 'error' : 'pass')]));
    nodes[1]?.checks.push(r('service', 'fail'), r('service', 'fail'));
    const groups = failureGroups(buildReport(nodes, 1));
    assert.deepEqual(groups.map(groupLine), [
      'net.route: 3 of 200 nodes failed: node-7, node-19, node-44',
      'service: 1 of 1 node failed: node-2',
      'etcd.health: 1 of 200 nodes could not be checked: node-1',
    ]);
  });

  test('many nodes: the first dozen named, the rest counted; node names escaped', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => node(i === 0 ? 'evil\u001b[2J' : `n${i}`, [r('net.dns', 'fail')]));
    const [line] = failureGroups(buildReport(nodes, 1)).map(groupLine);
    assert.equal(line, 'net.dns: 20 of 20 nodes failed: evil\\x1b[2J, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11 and 8 more');
  });

  test('nothing failed: no groups', () => {
    assert.deepEqual(failureGroups(buildReport([node('a', [r('hostname', 'pass'), r('service', 'skip')])], 1)), []);
  });
});
