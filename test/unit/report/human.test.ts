import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { CheckResult, CheckStatus } from '../../../src/checks/types.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { humanPrinter } from '../../../src/report/human.js';
import { buildReport } from '../../../src/run/results.js';
import type { NodeReport } from '../../../src/run/results.js';

const r = (id: string, status: CheckStatus, message: string): CheckResult => ({ id, status, expected: null, actual: null, message });

// verify's plain output (not a terminal): every line, or with --quiet only what did not pass.
function plain(quiet: boolean): string[] {
  let out = '';
  const stdout = new Writable({ write: (c: Buffer | string, _e, cb) => ((out += c.toString()), cb()) });
  const io = { stdout, stderr: stdout, env: { NO_COLOR: '1' }, signal: new AbortController().signal };
  const nodes: NodeReport[] = ['a', 'b', 'c'].map((name) => ({
    name,
    host: `h-${name}`,
    reachable: true,
    durationMs: 1,
    checks: [r('hostname', 'pass', `hostname is ${name}`), r('net.route', name === 'a' ? 'pass' : 'fail', `route on ${name}`), r('service', name === 'c' ? 'error' : 'skip', `service on ${name}`)],
  }));
  const printer = humanPrinter(nodes.map((n) => ({ name: n.name, host: n.host }) as NodeSpec), io, quiet);
  for (const n of nodes) printer.nodeFinished?.(n);
  printer.done(buildReport(nodes, 10));
  return out.trimEnd().split('\n');
}

describe('plain output', () => {
  test('every result, the summary, then the failures grouped by check', () => {
    const lines = plain(false);
    assert.equal(lines.length, 9 + 1 + 2);
    assert.deepEqual(lines.slice(-3), [
      'NOT OK: 3 nodes, 4 passed, 2 failed, 2 skipped, 1 errors in 0.0s',
      '✖ net.route: 2 of 3 nodes failed: b, c',
      '✖ service: 1 of 3 nodes could not be checked: c',
    ]);
  });

  test('--quiet: only what failed or could not be checked, then the same ending', () => {
    const lines = plain(true);
    assert.deepEqual(lines.slice(0, 3).map((l) => l.replace(/\s+/g, ' ')), ['FAIL b net.route: route on b', 'FAIL c net.route: route on c', 'ERROR c service: service on c']);
    assert.equal(lines.length, 3 + 3);
  });
});
