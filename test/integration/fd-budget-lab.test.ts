// A local file-descriptor limit is never a node's failure (issue 23 item 11): under `ulimit -n 40`
// (soft and hard; Node raises a lower soft limit itself) the 24-node lab is checked whole, by
// verify and by --watch, connections waiting their turn instead of failing with EMFILE.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { LAB_INVENTORY, lab, labSkip, nodeName } from '../helpers/lab.js';

const NODES = 24;

interface JsonNode {
  name: string;
  checks: { id: string; status: string; message: string }[];
}

// The CLI under `ulimit -n 40`, its stdout lines as they come; `until` ends it (SIGINT) early.
function limited(args: string[], until?: (lines: string[]) => boolean): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', 'ulimit -n 40 && exec "$0" "$@"', process.execPath, BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (until?.(lines)) child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, lines, stderr });
    });
  });
}

const everyNode = Array.from({ length: NODES }, (_, i) => nodeName(i + 1));
// Nodes whose ssh check did not pass, with why.
const unreached = (nodes: JsonNode[]) => nodes.flatMap((n) => n.checks.filter((c) => c.id === 'ssh' && c.status !== 'pass').map((c) => `${n.name}: ${c.message}`));

describe('a file-descriptor limit on this machine (real lab, 24 nodes)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', String(NODES));
  });
  after(async () => {
    await lab('down');
  });

  test('verify under ulimit -n 40 reports every node; no EMFILE; says once that nodes wait', async () => {
    const { code, lines, stderr } = await limited(['verify', '--json', '-i', LAB_INVENTORY]);
    const report = JSON.parse(lines.join('\n')) as { nodes: JsonNode[] };
    assert.deepEqual(report.nodes.map((n) => n.name), everyNode);
    assert.deepEqual(unreached(report.nodes), []);
    assert.deepEqual(report.nodes.filter((n) => n.checks.find((c) => c.id === 'hostname')?.status !== 'pass').map((n) => n.name), []);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(`${lines.join('\n')}${stderr}`, /EMFILE/);
    assert.equal(stderr.match(/wait their turn/g)?.length, 1, stderr);
    assert.match(stderr, /ulimit -n 40/);
  });

  test('--watch under ulimit -n 40: every round reports every node', async () => {
    const rounds = (lines: string[]) => lines.filter((l) => l.startsWith('{'));
    const { lines, stderr } = await limited(['verify', '--json', '--watch', '1s', '-i', LAB_INVENTORY], (l) => rounds(l).length >= 3);
    const reports = rounds(lines).map((l) => JSON.parse(l) as { nodes: JsonNode[] });
    assert.ok(reports.length >= 3, stderr);
    for (const [i, r] of reports.slice(0, 3).entries()) {
      assert.deepEqual(r.nodes.map((n) => n.name), everyNode, `round ${i + 1}`);
      assert.deepEqual(unreached(r.nodes), [], `round ${i + 1}`);
    }
    assert.doesNotMatch(`${lines.join('\n')}${stderr}`, /EMFILE/);
  });
});
