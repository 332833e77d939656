import assert from 'node:assert/strict';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { withNonce } from '../../../src/util/frame-shell.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { firstRequest, probeCommand } from '../../../src/commands/probe.js';
import { batchScriptOf, planBatch } from '../../../src/facts/batch.js';
import { etcd } from '../../../src/facts/collectors/etcd.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { nodeNamed } from '../../../src/inventory/select.js';
import { PROBE, probeFor, SECTIONS } from '../../../src/facts/probe.js';
import { runCli } from '../../helpers/cli.js';

describe('clusterctl probe: the script a node runs, to audit', () => {
  test('probeCommand prints the probe for the become asked, exit 0', () => {
    for (const become of ['none', 'sudo'] as const) {
      let out = '';
      const io = { stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream, stderr: process.stderr, env: {}, signal: new AbortController().signal };
      assert.equal(probeCommand({ become }, io), 0);
      assert.equal(out, probeFor(become));
    }
  });

  test('the built CLI: `probe` is the exact PROBE, `--become sudo` its sudo variant, and what it prints runs', async () => {
    const plain = await runCli(['probe']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, PROBE);
    const sudo = await runCli(['probe', '--become', 'sudo']);
    assert.equal(sudo.code, 0, sudo.stderr);
    assert.equal(sudo.stdout, `clusterctl_become=sudo\n${PROBE}`);
    // What an operator audits is what runs: piped into sh, it prints every section.
    // (The client puts its request's nonce before it: util/frame-shell.ts withNonce.)
    const out = execFileSync('sh', { input: withNonce(TEST_NONCE, plain.stdout), encoding: 'utf8' });
    assert.deepEqual([...sectionsOf(out).keys()], [...SECTIONS.map((s) => s.name), 'done']);
    assert.ok(out.endsWith(`@@clusterctl:end ${TEST_NONCE} done rc=0\n`));
  });

  test('--session prints the command verify starts over SSH; sent a probe request, it prints the same sections', async () => {
    const session = await runCli(['probe', '--session']);
    assert.equal(session.code, 0, session.stderr);
    assert.equal(session.stdout, probeFor('none', 'session'));
    assert.equal((await runCli(['probe', '--session', '--become', 'sudo'])).stdout, `clusterctl_become=sudo\n${probeFor('none', 'session')}`);
    const out = execFileSync('sh', ['-c', session.stdout], { input: 'probe 0123456789abcdef\n', encoding: 'utf8' });
    assert.deepEqual([...sectionsOf(out, '0123456789abcdef').keys()], [...SECTIONS.map((s) => s.name), 'done']);
    assert.ok(out.endsWith('@@clusterctl:end 0123456789abcdef done rc=0\n\n@@clusterctl:ran 0123456789abcdef rc=0\n'), out.slice(-100));
  });

  test('a become other than none or sudo is a usage error (exit 2); --help lists probe', async () => {
    const bad = await runCli(['probe', '--become', 'root']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--become.*root.*Allowed choices are none, sudo/s);
    const help = await runCli(['--help']);
    assert.match(help.stdout, /^\s+probe \[options\]\s+print the script verify and facts run on\s+every\s+node/m);
  });
});

describe('clusterctl probe --node NAME -i FILE: that node\'s whole first request', () => {
  const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-probe-node-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, 'nodes:\n  - { name: a, host: 198.18.1.11, roles: [etcd] }\n  - { name: b, host: 198.18.1.12, roles: [worker], become: sudo }\n');
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'probe', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // The output, its nonce replaced by TEST_NONCE (each request makes a fresh one).
  const request = (out: string) => {
    const m = /\nprobe ([0-9a-f]{16})( \d+\n[^]*\n\1)?\n$/.exec(out);
    assert.ok(m, out.slice(-200));
    return out.replaceAll(m[1] ?? '', TEST_NONCE);
  };

  test('the session SSH starts, for the node\'s become, then the `probe NONCE` line it reads', () => {
    const b = cli('--node', 'b', '-i', inventory);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(request(b.stdout), `clusterctl_become=sudo\n${probeFor('none', 'session')}probe ${TEST_NONCE}\n`);
    assert.equal(request(b.stdout), firstRequest('sudo', TEST_NONCE));
  });

  test("issue 22 item 7: an etcd node's first request carries the batch that needs nothing from the probe: its member list and health", async () => {
    const a = cli('--node', 'a', '-i', inventory);
    assert.equal(a.status, 0, a.stderr);
    const inv = await loadInventory(inventory);
    const rider = planBatch(nodeNamed(inv, 'a'), inv, null, [etcd]);
    assert.ok(rider);
    const script = batchScriptOf(rider, 30_000);
    assert.match(script, /member list/);
    assert.equal(request(a.stdout), firstRequest('none', TEST_NONCE, script));
    assert.ok(request(a.stdout).endsWith(`probe ${TEST_NONCE} ${Buffer.byteLength(script) + 1}\n${script}\n${TEST_NONCE}\n`));
  });

  test('what it prints runs: the command under sh, the request line on its stdin, answers every section', () => {
    const text = firstRequest('none', TEST_NONCE);
    const command = text.slice(0, -`probe ${TEST_NONCE}\n`.length);
    const out = execFileSync('sh', ['-c', command], { input: `probe ${TEST_NONCE}\n`, encoding: 'utf8' });
    assert.deepEqual([...sectionsOf(out).keys()], [...SECTIONS.map((s) => s.name), 'done']);
  });

  test('a node not in the inventory is a usage error (exit 2) naming the nodes', () => {
    const r = cli('--node', 'zz', '-i', inventory);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--node zz: no such node in .*\(nodes: a, b\)/);
    assert.equal(r.stdout, '');
  });
});
