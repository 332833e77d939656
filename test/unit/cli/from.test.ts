import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli.js';
import { runCli } from '../../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../../inventory.example.yaml', import.meta.url));
const BUTANE_LAB = fileURLToPath(new URL('../../fixtures/import/butane-lab/', import.meta.url));

// The options commander hands each --from command, with its action replaced (nothing runs).
function parsed(argv: string[]): Promise<{ command: string; from: unknown; role: unknown; inventory: unknown }> {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, signal: new AbortController().signal };
  const program = buildProgram(io, () => undefined);
  return new Promise((resolve, reject) => {
    for (const c of program.commands) {
      c.action((o: Record<string, unknown>, cmd: Command) => resolve({ command: cmd.name(), from: o.from, role: o.role, inventory: o.inventory }));
    }
    program.parseAsync(['node', 'clusterctl', ...argv]).catch(reject);
  });
}

describe('--from takes several configs after one flag (a shell glob expanded)', () => {
  for (const command of ['verify', 'facts', 'smoke-etcd', 'lint']) {
    test(`${command} --from a.yaml b.bu c.ign: all three, and the next option ends the list`, async () => {
      const r = await parsed([command, '--from', 'a.yaml', 'b.bu', 'c.ign', '--role', 'master=a', '-i', 'conn.yaml']);
      assert.deepEqual(r, { command, from: ['a.yaml', 'b.bu', 'c.ign'], role: ['master=a'], inventory: 'conn.yaml' });
    });
  }

  test('repeated --from adds to the list; a directory is one value like a file', async () => {
    const r = await parsed(['verify', '--from', 'a.yaml', 'b.yaml', '--from', 'configs/']);
    assert.deepEqual(r.from, ['a.yaml', 'b.yaml', 'configs/']);
  });

  test('--role after --from still takes one value a use', async () => {
    const r = await parsed(['lint', '--role', 'master=a', '--from', 'x.ign', '--role', 'worker=b']);
    assert.deepEqual([r.from, r.role], [['x.ign'], ['master=a', 'worker=b']]);
  });

  test('the built CLI: lint --from with three rendered files after one flag is clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-from-many-'));
    try {
      const r = await runCli(['render', '-i', EXAMPLE, '--out', dir]);
      assert.equal(r.code, 0, r.stderr);
      const files = readdirSync(dir).sort().map((n) => join(dir, n));
      assert.equal(files.length, 3);
      const lint = await runCli(['lint', '--from', ...files, '--role', 'master=app-etcd-1', '--role', 'worker=app-worker-1,app-worker-2', '--json']);
      assert.equal(lint.code, 0, lint.stdout + lint.stderr);
      // The last of the three was read too: its node is the one left without a role.
      const noRole = await runCli(['lint', '--from', ...files, '--role', 'master=app-etcd-1', '--role', 'worker=app-worker-1']);
      assert.equal(noRole.code, 2);
      assert.match(noRole.stderr, /--from: 1 problem in 1 config[^]*app-worker-2\.ign: app-worker-2 runs no etcd member and has no role/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the built CLI: lint --from three Butane files after one flag, and --files-dir for their local files', async () => {
    const files = ['lab-node-1.bu', 'lab-node-2.bu', 'lab-node-3.bu'].map((f) => join(BUTANE_LAB, f));
    const roles = ['--role', 'master=lab-node-1', '--role', 'worker=lab-node-2,lab-node-3'];
    const r = await runCli(['lint', '--from', ...files, ...roles]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Node 1's .network and node 2's drop-in are local files: under another --files-dir they are not
    // found (and node 1, with no .network, has no address to SSH to: the third problem).
    const elsewhere = await runCli(['lint', '--from', ...files, ...roles, '--files-dir', tmpdir()]);
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.stderr, /--from: 3 problems in 2 configs[^]*lab-node-1\.bu:\d+:\d+: storage\.files\[1\]\.contents\.local: files\/lab-node-1\.network: not found[^]*lab-node-2\.bu:\d+:\d+: systemd\.units\[0\]\.dropins\[0\]\.contents_local: files\/20-clct-flannel\.conf: not found/);
  });
});
