import { valueOf } from '../../../src/facts/types.js';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { factsCommand } from '../../../src/commands/facts.js';
import type { NodeFactsOutput } from '../../../src/commands/facts.js';
import { pickLocalNode } from '../../../src/run/connect.js';
import { UserError } from '../../../src/errors.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { flannel, node } from '../../fixtures/facts/builders.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-facts-'));
const inventoryFile = join(dir, 'inventory.yaml');
writeFileSync(
  inventoryFile,
  `nodes:
  - { name: here, host: 198.18.1.11, roles: [worker], hostname: ${JSON.stringify(hostname())} }
  - { name: elsewhere, host: 198.18.1.12, roles: [worker] }
`,
);

function capture() {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const io = { stdout, stderr: new PassThrough(), env: {}, signal: new AbortController().signal };
  return { io, text: () => text };
}

const opts = { inventory: inventoryFile, concurrency: 4, connectTimeoutMs: 1000, commandTimeoutMs: 10_000 };

describe('clusterctl facts', () => {
  test('--local: the probe runs here; JSON with the node, and the facts as parsed (this machine\'s hostname)', async () => {
    const out = capture();
    const code = await factsCommand({ ...opts, local: true }, out.io);
    const parsed = JSON.parse(out.text()) as { nodes: NodeFactsOutput[] };
    assert.equal(code, 0);
    assert.equal(parsed.nodes.length, 1);
    const [n] = parsed.nodes;
    assert.deepEqual([n?.name, n?.host, n?.reachable, n?.error], ['here', '198.18.1.11', true, null]);
    // Every fact in one shape: { ok } here; { absent } or { error } with the reason elsewhere.
    assert.deepEqual(n?.facts?.hostname, { ok: hostname() });
    assert.ok(valueOf(n?.facts?.addresses)?.some((a) => a.ifname === 'lo' && a.address === '127.0.0.1'), 'loopback address in the facts');
    assert.deepEqual(n?.facts?.etcd, { absent: 'not gathered: no selected check needs it here' });
  });

  test('an unreachable node is listed with why, facts null, and exit 1', async () => {
    const out = capture();
    // 198.18.1.12:22 with a 1 ms budget: nothing in the lab range is up here, the connect fails.
    const code = await factsCommand({ ...opts, local: false, select: ['elsewhere'], connectTimeoutMs: 1 }, out.io);
    const parsed = JSON.parse(out.text()) as { nodes: NodeFactsOutput[] };
    assert.equal(code, 1);
    assert.deepEqual(parsed.nodes.map((n) => [n.name, n.reachable, n.facts]), [['elsewhere', false, null]]);
    assert.match(parsed.nodes[0]?.error ?? '', /cannot connect to core@198\.18\.1\.12:22/);
  });

  test('--local picks the node by --node, else by hostname, and says what to do when neither works', () => {
    const inv: Inventory = { path: '/t/inv.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel() }, nodes: [node({ name: 'a', hostname: 'host-a' }), node({ name: 'b', hostname: 'host-b' })] };
    assert.equal(pickLocalNode(inv, 'b', 'host-a').name, 'b');
    assert.equal(pickLocalNode(inv, undefined, 'host-b').name, 'b');
    assert.equal(pickLocalNode(inv, undefined, 'a').name, 'a'); // a node's name counts too
    assert.throws(() => pickLocalNode(inv, undefined, 'laptop'), (e: unknown) => e instanceof UserError && /hostname 'laptop' matches no node in \/t\/inv\.yaml; name the node with --node NAME/.test(e.message));
    assert.throws(() => pickLocalNode(inv, 'c', 'host-a'), /--node c: no such node in \/t\/inv\.yaml \(nodes: a, b\)/);
  });
});
