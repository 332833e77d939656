import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadInventory } from '../../src/inventory/load.js';
import { connectSsh } from '../../src/transport/ssh.js';
import { runCli } from '../helpers/cli.js';
import { LAB, LAB_INVENTORY, LAB_STATE, lab, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';

const sh = promisify(execFile);
const NODES = 3;
const CHECKS = ['ssh', 'hostname', 'hostname.file', 'net.address', 'net.gateway', 'net.dns', 'net.route', 'ignition'];

// The namespace lab is not provisioned by Ignition: its ignition check skips, by design.
const notPassing = (report: JsonReport) =>
  report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && !(c.id === 'ignition' && c.status === 'skip')).map((c) => `${n.name} ${c.id}=${c.status}`));

describe('verify against the real lab (network namespaces, OpenSSH sshd)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', String(NODES));
  });
  after(async () => {
    await lab('down');
  });

  test('a healthy lab: exit 0, every check passes on every node, with the real values', async () => {
    const { code, report } = await verifyJson();
    assert.deepEqual(notPassing(report), []);
    assert.equal(code, 0);
    assert.deepEqual(report.nodes.map((n) => n.name), [1, 2, 3].map(nodeName));
    for (const [i, n] of report.nodes.entries()) {
      assert.deepEqual(n.checks.map((c) => c.id), CHECKS);
      assert.equal(n.checks.find((c) => c.id === 'hostname')?.actual, nodeName(i + 1));
      assert.match(n.checks.find((c) => c.id === 'net.address')?.actual ?? '', new RegExp(`${n.host.replace(/\./g, '\\.')}/16`));
    }
    for (const n of report.nodes) assert.match(n.checks.find((c) => c.id === 'ignition')?.message ?? '', /^no \/etc\/\.ignition-result\.json: this node was not provisioned by Ignition/);
    assert.deepEqual(report.summary, { nodes: 3, passed: 21, failed: 0, skipped: 3, errors: 0 });
  });

  const faults: [string, string][] = [
    ['hostname', 'hostname'],
    ['hostname-file', 'hostname.file'],
    ['route', 'net.route'],
    ['dns', 'net.dns'],
    ['gateway', 'net.gateway'],
  ];
  for (const [fault, check] of faults) {
    test(`fault "${fault}" on node 2 fails exactly ${check} on ${nodeName(2)}`, async () => {
      await lab('fault', fault, '2');
      try {
        const { code, report } = await verifyJson();
        assert.deepEqual(notPassing(report), [`${nodeName(2)} ${check}=fail`]);
        assert.equal(code, 1);
      } finally {
        await lab('repair', '2');
      }
    });
  }

  test('expected and actual carry the real values of a fault', async () => {
    await lab('fault', 'dns', '1');
    try {
      const { report } = await verifyJson(['--limit', nodeName(1)]);
      const dns = report.nodes[0]?.checks.find((c) => c.id === 'net.dns');
      assert.equal(dns?.expected, '198.18.0.1, 198.18.0.2');
      assert.equal(dns?.actual, '198.18.0.53');
    } finally {
      await lab('repair', '1');
    }
  });

  test('a stopped sshd fails that node\'s ssh check; the other nodes are still verified', async () => {
    await lab('fault', 'sshd', '3');
    try {
      const { code, report } = await verifyJson();
      assert.equal(code, 1);
      const dead = report.nodes[2];
      assert.equal(dead?.reachable, false);
      assert.equal(dead?.checks[0]?.status, 'fail');
      assert.match(dead?.checks[0]?.actual ?? '', /connection refused/);
      assert.deepEqual(new Set(dead?.checks.slice(1).map((c) => c.status)), new Set(['skip']));
      assert.deepEqual(notPassing(report).filter((l) => !l.startsWith(nodeName(3))), []);
    } finally {
      await lab('repair', '3');
    }
  });

  test('lab.sh up 1024 is refused before it touches the lab: one bridge takes 1023 ports', async () => {
    const before = await lab('status');
    const refused = await sh('bash', [LAB, 'up', '1024']).then(
      () => assert.fail('up 1024 succeeded'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /N=1024: the lab puts every node on one bridge \(cclbr0\), which takes at most 1023 ports; use N <= 1023/);
    assert.equal(await lab('status'), before);
  });

  test('--limit by role checks only those nodes', async () => {
    const { code, report } = await verifyJson(['--limit', 'worker']);
    assert.equal(code, 0);
    assert.deepEqual(report.nodes.map((n) => n.name), [nodeName(2), nodeName(3)]);
  });

  test('a changed host key fails that node before anything runs there', async () => {
    const known = readFileSync(join(LAB_STATE, 'known_hosts'), 'utf8').trim().split('\n');
    const inv = readFileSync(LAB_INVENTORY, 'utf8');
    // Node 1's address now carries node 2's key: to clusterctl, node 1's key has changed.
    const [first, second] = [known[0] ?? '', known[1] ?? ''];
    const swapped = [`${first.split(' ')[0]} ${second.split(' ').slice(1).join(' ')}`, ...known.slice(1)].join('\n');
    const dir = join(LAB_STATE, 'swapped');
    await sh('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'known_hosts'), `${swapped}\n`);
    writeFileSync(join(dir, 'inventory.yaml'), inv.replace(join(LAB_STATE, 'known_hosts'), join(dir, 'known_hosts')));
    const { code, report } = await verifyJson([], { inventory: join(dir, 'inventory.yaml') });
    assert.equal(code, 1);
    assert.deepEqual(notPassing(report).filter((l) => l.endsWith('=fail')), [`${nodeName(1)} ssh=fail`]);
    assert.match(report.nodes[0]?.checks[0]?.actual ?? '', /REMOTE HOST IDENTIFICATION HAS CHANGED for 198\.18\.1\.11: .*known_hosts:1/);
  });

  test('a command past --command-timeout is stopped on the node, not only abandoned', async () => {
    const inventory = await loadInventory(LAB_INVENTORY);
    const node = inventory.nodes[0];
    assert.ok(node);
    const t = await connectSsh(node, { connectTimeoutMs: 5000 });
    const r = await t.exec('sleep 4242', { timeoutMs: 500 });
    t.close();
    assert.equal(r.timedOut, true);
    await new Promise((res) => setTimeout(res, 500));
    const left = await sh('pgrep', ['-f', 'sleep 4242']).then(
      (x) => x.stdout.trim(),
      () => '',
    );
    assert.equal(left, '', 'the remote sleep must be gone');
  });

  test('plain output (not a terminal): one line per result, then the summary', async () => {
    const r = await runCli(['verify', '-i', LAB_INVENTORY]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, NODES * CHECKS.length + 1);
    assert.ok(lines.slice(0, -1).every((l) => /^(PASS  lab-node-[123] [a-z.]+|SKIP  lab-node-[123] ignition): /.test(l)), lines.join('\n'));
    assert.match(lines.at(-1) ?? '', /^OK: 3 nodes, 21 passed, 0 failed, 3 skipped, 0 errors in \d+\.\ds$/);
  });

  test('on a terminal: the live tree shows each node and its checks', async () => {
    await lab('fault', 'route', '2');
    try {
      const { BIN } = await import('../helpers/cli.js');
      const cmd = `stty cols 120 rows 40; ${process.execPath} ${BIN} verify -i ${LAB_INVENTORY}; echo "exit=$?"`;
      const { stdout } = await sh('script', ['-qec', cmd, '/dev/null'], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
      const screen = stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      for (const i of [1, 2, 3]) assert.match(screen, new RegExp(nodeName(i)));
      assert.match(screen, /✖ net\.route: no route to 198\.19\.45\.0\/24 \(expected 198\.19\.45\.0\/24 via 198\.18\.0\.124, actual none\)/);
      assert.match(screen, /✔ lab-node-1 \(198\.18\.1\.11\) ok/);
      assert.match(screen, /NOT OK: 3 nodes, 20 passed, 1 failed/);
      assert.match(screen, /exit=1/);
    } finally {
      await lab('repair', '2');
    }
  });
});
