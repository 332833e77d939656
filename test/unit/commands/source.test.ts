import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSource } from '../../../src/commands/source.js';
import { runCli } from '../../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../../inventory.example.yaml', import.meta.url));
const sink = () => {
  let text = '';
  return { stderr: { write: (s: string) => ((text += s), true) }, text: () => text };
};

describe('--from: the configs the nodes were built from, as the inventory', () => {
  test('render → --from gives back the example\'s nodes; -i lends only how to connect; lint --from is clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-from-unit-'));
    try {
      const r = await runCli(['render', '-i', EXAMPLE, '--format', 'ignition', '--out', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readdirSync(dir).length, 3);
      const out = sink();
      const inv = await loadSource({ inventory: EXAMPLE, inventoryGiven: true, from: [dir], roles: ['master=app-etcd-1', 'worker=app-worker-1,app-worker-2'] }, out);
      assert.deepEqual(inv.nodes.map((n) => [n.name, n.host, [...n.roles].sort(), n.user]), [
        ['app-etcd-1', '192.168.1.10', ['etcd', 'master'], 'core'],
        ['app-worker-1', '192.168.1.11', ['worker'], 'core'],
        ['app-worker-2', '192.168.1.12', ['worker'], 'core'],
      ]);
      assert.ok(inv.nodes.every((n) => n.provisioned && n.provisioned.files.some((f) => f.path === '/etc/hostname')), 'each node carries what its config wrote');
      assert.match(inv.nodes[0]?.identityFile ?? '', /\.ssh\/id_ed25519$/, "the example's defaults: identityFile");
      const lint = await runCli(['lint', '--from', dir, '--role', 'master=app-etcd-1', '--role', 'worker=app-worker-1,app-worker-2']);
      assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a config that is not valid JSON: exit 2 with file and position, no connection tried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-from-bad-'));
    try {
      writeFileSync(join(dir, 'n1.ign'), '{"ignition": {"version": "3.3.0"},');
      // 198.18.0.1:22 with a 1 ms budget: had anything connected, the error would say so instead.
      const r = await runCli(['verify', '--from', dir, '--connect-timeout', '0.001']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--from: 1 problem in 1 config, nothing was checked:\n {2}.*n1\.ign/);
      assert.doesNotMatch(r.stderr, /connect/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
