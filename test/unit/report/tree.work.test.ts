import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { CheckResult } from '../../../src/checks/types.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import type { Io } from '../../../src/io.js';
import { makeChalk } from '../../../src/report/format.js';
import { humanPrinter } from '../../../src/report/human.js';
import { nodeTree } from '../../../src/report/tree.js';
import type { NodeView } from '../../../src/report/tree.js';
import { buildReport } from '../../../src/run/results.js';
import type { NodeReport } from '../../../src/run/results.js';
import { fakeScreen, screenOf } from '../../helpers/screen.js';

// The live tree's work per change, counted in what it writes to the terminal: it must not grow
// with the number of nodes (listr2's tree redrew every node on every change: O(tree)).
const plain = makeChalk(false, {});
// Names and hosts of one width, so that only the counts could make one run write more than another.
const name = (i: number) => `node-${String(i).padStart(3, '0')}`;
const host = (i: number) => `198.18.1.${100 + (i % 100)}`;
const spec = (i: number) => ({ name: name(i), host: host(i) }) as NodeSpec;
const specs = (n: number) => Array.from({ length: n }, (_, i) => spec(i));
const r = (id: string, status: CheckResult['status'], message: string, expected: string | null = null, actual: string | null = null): CheckResult => ({ id, status, expected, actual, message });
const checks = (i: number) => Array.from({ length: 25 }, (_, k) => r(`check.${k}`, k === 3 ? 'fail' : 'pass', `message ${k} of ${name(i)}`, 'x', 'y'));
const view = (n: NodeReport): NodeView => ({ title: `${n.name} (${n.host})`, leaves: n.checks.map((c) => ({ title: `${c.id}: ${c.message}`, status: c.status })), collapse: false });
const report = (i: number): NodeReport => ({ name: name(i), host: host(i), reachable: true, durationMs: 5, checks: checks(i) });

// A run of `total` nodes, 4 at a time, on a 140×45 terminal, drawn by hand (no ticks): what the
// tree writes for one node finishing (and the next starting), once half the nodes are done.
function oneChange(total: number): { bytes: number; rows: number } {
  const screen = fakeScreen();
  const tree = nodeTree(specs(total), screen, plain, view, { waitForStart: true, tickMs: 0 });
  const half = Math.floor(total / 2);
  for (let i = 0; i < 4; i++) tree.start(name(i));
  for (let i = 0; i < half; i++) {
    tree.finish(name(i), report(i));
    tree.start(name(i + 4));
    tree.draw();
  }
  const before = screen.writes.length;
  tree.finish(name(half), report(half));
  tree.start(name(half + 4));
  tree.draw();
  const written = screen.writes.slice(before).join('');
  tree.close();
  return { bytes: Buffer.byteLength(written), rows: written.split('\n').length - 1 };
}

describe('the live tree: work per change', () => {
  test('a node finishing costs the same at 10 nodes and at 200 (its own lines and the live area)', () => {
    const small = oneChange(10);
    const large = oneChange(200);
    // Its 26 lines, 4 running nodes and the status line; the counts in that line differ by digits.
    assert.equal(small.rows, 26 + 4 + 1);
    assert.equal(large.rows, small.rows);
    assert.ok(large.bytes - small.bytes <= 8, `10 nodes: ${small.bytes} bytes, 200 nodes: ${large.bytes} bytes`);
  });

  test('a frame with nothing new redraws only the live area, at any number of nodes', () => {
    const frame = (total: number) => {
      const screen = fakeScreen();
      const tree = nodeTree(specs(total), screen, plain, view, { waitForStart: true, tickMs: 0 });
      for (let i = 0; i < total / 2; i++) tree.start(name(i)), tree.finish(name(i), report(i));
      for (let i = total / 2; i < total / 2 + 4; i++) tree.start(name(i));
      tree.draw();
      const before = screen.writes.length;
      tree.draw();
      return screen.writes.slice(before).join('');
    };
    // Erase the 5 rows, draw them again: 4 running nodes and the status line.
    assert.equal(frame(10), '\x1b[5A\x1b[J⠹ node-005 (198.18.1.105)\n⠹ node-006 (198.18.1.106)\n⠹ node-007 (198.18.1.107)\n⠹ node-008 (198.18.1.108)\n4 running, 1 waiting, 5/10 done\n');
    assert.equal(frame(200), '\x1b[5A\x1b[J⠹ node-100 (198.18.1.100)\n⠹ node-101 (198.18.1.101)\n⠹ node-102 (198.18.1.102)\n⠹ node-103 (198.18.1.103)\n4 running, 96 waiting, 100/200 done\n');
  });

  test('a finished node is printed once, however many frames follow', () => {
    const screen = fakeScreen();
    const tree = nodeTree(specs(3), screen, plain, view, { waitForStart: true, tickMs: 0 });
    tree.start(name(0));
    tree.start(name(1));
    tree.finish(name(0), report(0));
    for (let i = 0; i < 20; i++) tree.draw();
    tree.finish(name(1), report(1));
    tree.draw();
    tree.finish(name(2), report(2));
    tree.close();
    const raw = screen.raw();
    assert.equal(raw.split('node-000 (198.18.1.100)').length - 1, 1);
    assert.equal(raw.split('check.3: message 3 of node-000').length - 1, 1);
    const shown = screenOf(raw);
    assert.deepEqual(shown.filter((l) => !l.startsWith('  ')), ['✖ node-000 (198.18.1.100)', '✖ node-001 (198.18.1.101)', '✖ node-002 (198.18.1.102)']);
    assert.equal(shown.length, 3 * 26);
  });

  test('more nodes than rows: the live area fits the screen, with the running nodes it has room for and a count', () => {
    const screen = fakeScreen(80, 12);
    const tree = nodeTree(specs(200), screen, plain, view, { waitForStart: true, tickMs: 0 });
    for (let i = 0; i < 64; i++) tree.start(name(i));
    for (let i = 0; i < 20; i++) tree.finish(name(i), report(i));
    tree.draw();
    const frame = screen.writes.at(-1) ?? '';
    const live = frame.slice(frame.lastIndexOf('of node-019\n') + 'of node-019\n'.length).split('\n').slice(0, -1);
    assert.equal(live.length, 10);
    assert.match(live[0] ?? '', /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] node-020 \(198\.18\.1\.120\)$/);
    assert.equal(live.at(-1), '44 running, 136 waiting, 20/200 done');
    tree.close();
  });

  test('a live line too wide for the terminal is cut to one row', () => {
    const screen = fakeScreen(40, 10);
    const long = { name: `node-${'x'.repeat(60)}`, host: '198.18.0.1' } as NodeSpec;
    const tree = nodeTree([long], screen, plain, view, { waitForStart: true, tickMs: 0 });
    tree.start(long.name);
    tree.draw();
    const rows = (screen.writes.at(-1) ?? '').replace(/\x1b\[\d+A\x1b\[J/, '').split('\n');
    assert.equal(rows[0], `⠙ node-${'x'.repeat(31)}…`); // 39 cells: the last column stays free
    tree.close();
  });
});

function tty(env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): { io: Io; out: () => string } {
  let out = '';
  const sink = () => new Writable({ write: (c: Buffer | string, _e, cb) => ((out += c.toString()), cb()) });
  const stdout = Object.assign(sink(), { isTTY: true, columns: 120, rows: 40 });
  return { io: { stdout, stderr: sink(), env, signal: new AbortController().signal }, out: () => out };
}

describe("verify's printer on a terminal", () => {
  test('a failure shows its expected and actual values; a node whose checks all passed folds', () => {
    const { io, out } = tty();
    const printer = humanPrinter([{ name: 'node-1', host: '198.18.0.1' } as NodeSpec, { name: 'node-2', host: '198.18.0.2' } as NodeSpec], io);
    const n1: NodeReport = { name: 'node-1', host: '198.18.0.1', reachable: true, durationMs: 5, checks: [r('ssh', 'pass', 'connected'), r('net.route', 'fail', 'default route is wrong', '198.18.0.254', '198.18.0.1')] };
    const n2: NodeReport = { name: 'node-2', host: '198.18.0.2', reachable: true, durationMs: 7, checks: [r('ssh', 'pass', 'connected')] };
    printer.nodeStarted?.('node-1');
    printer.nodeStarted?.('node-2');
    printer.nodeFinished?.(n1);
    printer.nodeFinished?.(n2);
    printer.clusterFinished?.(new Map([['node-1', [r('flannel.lease', 'fail', 'lease held twice', '10.1.5.0/24', '10.1.6.0/24')]], ['node-2', [r('flannel.lease', 'pass', 'its own')]]]));
    printer.done(buildReport([n1, n2], 12));
    assert.deepEqual(screenOf(out()), [
      '✖ node-1 (198.18.0.1) 1 problem 5 ms',
      '  ✔ ssh: connected',
      '  ✖ net.route: default route is wrong (expected 198.18.0.254, actual 198.18.0.1)',
      '✔ node-2 (198.18.0.2) ok 7 ms',
      'checks across nodes',
      '✖ node-1 (198.18.0.1) 1 problem',
      '  ✖ flannel.lease: lease held twice (expected 10.1.5.0/24, actual 10.1.6.0/24)',
      '✔ 1 more node: every check across nodes passed',
      '',
      'NOT OK: 2 nodes, 2 passed, 1 failed, 0 skipped, 0 errors in 0.0s',
      '✖ net.route: 1 of 1 node failed: node-1',
    ]);
  });

  test('--quiet, or more nodes than rows: the nodes that passed are counted on one line, not printed', () => {
    for (const [quiet, nodes] of [[true, 2], [false, 50]] as const) {
      const { io, out } = tty();
      const specs = Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}`, host: `198.18.0.${i + 1}` }) as NodeSpec);
      const printer = humanPrinter(specs, io, quiet);
      const reports: NodeReport[] = specs.map((s, i) => ({ name: s.name, host: s.host, reachable: true, durationMs: 5, checks: [r('ssh', 'pass', 'connected'), r('net.route', i === 0 ? 'fail' : 'pass', 'route')] }));
      for (const n of reports) printer.nodeFinished?.(n);
      printer.clusterFinished?.(new Map());
      printer.done(buildReport(reports, 12));
      const screen = screenOf(out());
      assert.deepEqual(screen.filter((l) => /node-\d+ \(/.test(l)), ['✖ node-1 (198.18.0.1) 1 problem 5 ms'], `quiet=${quiet} nodes=${nodes}`);
      assert.ok(screen.includes(`✔ ${nodes - 1} node${nodes - 1 === 1 ? '' : 's'} passed every check`), screen.join('\n'));
      assert.ok(screen.includes(`✖ net.route: 1 of ${nodes} nodes failed: node-1`), screen.join('\n'));
    }
  });

  test('colours on a terminal, none with NO_COLOR', () => {
    const run = (env: NodeJS.ProcessEnv) => {
      const { io, out } = tty(env);
      const printer = humanPrinter([{ name: 'node-1', host: '198.18.0.1' } as NodeSpec], io);
      const n: NodeReport = { name: 'node-1', host: '198.18.0.1', reachable: true, durationMs: 5, checks: [r('ssh', 'fail', 'refused')] };
      printer.nodeFinished?.(n);
      printer.done(buildReport([n], 1));
      return out();
    };
    assert.match(run({}), /\x1b\[31m✖\x1b\[39m \x1b\[1mnode-1\x1b\[22m/);
    assert.doesNotMatch(run({ NO_COLOR: '1' }), /\x1b\[[0-9;]*m/);
  });

  test('node text with ESC and CR is escaped, in the live area and in the printed lines', () => {
    const evil = { name: 'node-\x1b]0;pwned\x07\rPASS', host: '198.18.0.9\x1b[2J' } as NodeSpec;
    const screen = fakeScreen();
    const tree = nodeTree([evil], screen, plain, view, { waitForStart: true, tickMs: 0 });
    tree.start(evil.name);
    tree.draw();
    assert.match(screen.writes.at(-1) ?? '', /⠙ node-\\x1b\]0;pwned\\x07\\rPASS \(198\.18\.0\.9\\x1b\[2J\)\n/);
    tree.close();

    const { io, out } = tty();
    const printer = humanPrinter([evil], io);
    const n: NodeReport = { name: evil.name, host: evil.host, reachable: true, durationMs: 5, checks: [r('hostname', 'fail', 'hostname is \x1b[32mok\r', 'node-9', '\x1b[32mok\r')] };
    printer.nodeStarted?.(evil.name);
    printer.nodeFinished?.(n);
    printer.done(buildReport([n], 1));
    const written = out();
    assert.doesNotMatch(written.replace(/\x1b\[\d+A\x1b\[J/g, ''), /[\x07\r]|\x1b[^[]|\x1b\[(?!\d+A)[^m]*[^m\d;]/);
    assert.ok(screenOf(written).includes('  ✖ hostname: hostname is \\x1b[32mok\\r (expected node-9)'));
    assert.ok(screenOf(written).includes('✖ node-\\x1b]0;pwned\\x07\\rPASS (198.18.0.9\\x1b[2J) 1 problem 5 ms'));
  });
});
