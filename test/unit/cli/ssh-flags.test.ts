import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-flags-'));
const inv = join(dir, 'inventory.yaml');
writeFileSync(inv, 'nodes:\n  - {name: n1, host: 127.0.0.1, port: 1, roles: [worker]}\n');

describe('SSH flags on every command that connects (built CLI, real Node)', () => {
  for (const cmd of ['verify', 'facts', 'smoke-etcd']) {
    test(`${cmd}: a missing --ssh-config file and a bad --retries are usage errors (exit 2) before any connection`, async () => {
      const missing = await runCli([cmd, '-i', inv, '--ssh-config', join(dir, 'nope')]);
      assert.equal(missing.code, 2, missing.stderr);
      assert.match(missing.stderr, /ssh config .*nope does not exist; use --no-ssh-config/);
      const bad = await runCli([cmd, '-i', inv, '--retries', 'x']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--retries takes a whole number 0\.\.10, got 'x'/);
      const node = await runCli([cmd, '-i', inv, '--node-timeout', '0']);
      assert.equal(node.code, 2);
      assert.match(node.stderr, /--node-timeout takes seconds > 0, e\.g\. 60 or 2\.5, got '0'/);
    });
  }

  test('--node-timeout: given, it is the value; not given, it follows from the connect and command timeouts and --retries', async () => {
    const { Command } = await import('commander');
    const { connectionFlags, connectionOptions } = await import('../../../src/cli/options.js');
    const parse = (args: string[]) => {
      const c = connectionFlags(new Command('x').exitOverride());
      c.parse(args, { from: 'user' });
      return connectionOptions(c.opts(), c).nodeTimeoutMs;
    };
    assert.equal(parse(['--node-timeout', '2.5']), 2500);
    assert.equal(parse([]), 2 * 10_000 + 625 + 2 * 30_000);
    assert.equal(parse(['--retries', '0', '--connect-timeout', '3', '--command-timeout', '5']), 3000 + 2 * 5000);
  });

  test('an unsupported ProxyJump in the config fails the node that uses it, with the reason; --no-ssh-config ignores the file', async () => {
    const conf = join(dir, 'ssh_config');
    writeFileSync(conf, 'Host 127.0.0.1\n  Port 2\n  ProxyJump a,b\n');
    const r = await runCli(['verify', '-i', inv, '--json', '--ssh-config', conf, '--retries', '0'], { env: { HOME: dir, SSH_AUTH_SOCK: '' } });
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.stdout).nodes[0].checks[0].actual, /ProxyJump a,b: clusterctl supports one jump host/);
    const off = await runCli(['verify', '-i', inv, '--json', '--no-ssh-config', '--retries', '0'], { env: { HOME: dir, SSH_AUTH_SOCK: '' } });
    assert.match(JSON.parse(off.stdout).nodes[0].checks[0].actual, /no key to log in to core@127\.0\.0\.1:1/);
  });
});
