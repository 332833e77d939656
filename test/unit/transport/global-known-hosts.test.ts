import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { parseSshConfig } from '../../../src/transport/ssh-config.js';
import { connectSsh } from '../../../src/transport/ssh.js';
import { GLOBAL_KNOWN_HOSTS, resolveTarget } from '../../../src/transport/target.js';
import { startTestServer } from '../../helpers/ssh-server.js';
import type { TestServer } from '../../helpers/ssh-server.js';
import { sshFailure } from '../../helpers/ssh-failure.js';

let server: TestServer;
const opts = { connectTimeoutMs: 5000, agentSocket: '' };

function nodeFor(s: TestServer, over: Partial<NodeSpec> = {}): NodeSpec {
  return { name: 'n1', host: '127.0.0.1', port: s.port, user: 'core', identityFile: s.identityFile, knownHostsFile: join(s.dir, 'user_known_hosts'), strictHostKeyChecking: 'yes', roles: ['worker'], hostname: 'n1', become: 'none', ...over };
}

// An ssh config naming the global files, as /etc/ssh/ssh_known_hosts is not ours to write.
function configWith(s: TestServer, globals: string[]): string {
  const file = join(s.dir, `ssh_config_${globals.length}`);
  writeFileSync(file, `Host *\n  GlobalKnownHostsFile ${globals.join(' ')}\n`);
  return file;
}

describe('GlobalKnownHostsFile: read after the user files, as OpenSSH does, never written', () => {
  before(async () => {
    server = await startTestServer({ 'echo hi': { stdout: 'hi\n' } });
  });
  after(() => server.close());

  test('OpenSSH\'s default files, or the ones ssh config names, as written (OpenSSH expands nothing in them)', () => {
    const node = nodeFor(server);
    assert.deepEqual(resolveTarget(node, { connectTimeoutMs: 1000 }).globalKnownHostsFiles, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
    assert.deepEqual(GLOBAL_KNOWN_HOSTS, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
    const config = parseSshConfig('Host *\n  GlobalKnownHostsFile /etc/ssh/fleet_known_hosts ~/g1\n', '/c', '/home/t');
    const t = resolveTarget({ ...node, host: 'n1.test', bastion: { host: 'jump' } }, { config, connectTimeoutMs: 1000 });
    assert.deepEqual(t.globalKnownHostsFiles, ['/etc/ssh/fleet_known_hosts', '~/g1']);
    assert.deepEqual(t.bastion?.globalKnownHostsFiles, ['/etc/ssh/fleet_known_hosts', '~/g1']);
  });

  test('a key only in a global file is trusted, under "yes" and under accept-new, and nothing is written', async () => {
    const global = join(server.dir, 'ssh_known_hosts');
    const known = readFileSync(server.knownHostsFile, 'utf8');
    writeFileSync(global, known);
    const sshConfig = configWith(server, [join(server.dir, 'missing_global'), global]);
    for (const strictHostKeyChecking of ['yes', 'accept-new'] as const) {
      const notices: string[] = [];
      const t = await connectSsh(nodeFor(server, { strictHostKeyChecking }), { ...opts, sshConfig, onNotice: (m) => notices.push(m) });
      assert.equal((await t.exec('echo hi')).stdout, 'hi\n');
      t.close();
      assert.deepEqual(notices, []);
    }
    assert.throws(() => readFileSync(join(server.dir, 'user_known_hosts')), /ENOENT/);
    assert.equal(readFileSync(global, 'utf8'), known);
  });

  test('another key in a global file is a changed key, named by that file and line, even under accept-new', async () => {
    const global = join(server.dir, 'ssh_known_hosts_changed');
    const other = ssh2.utils.generateKeyPairSync('ed25519').public.trim().split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(global, `# fleet keys\n[127.0.0.1]:${server.port} ${other}\n`);
    const sshConfig = configWith(server, [global]);
    const err = await sshFailure(connectSsh(nodeFor(server, { strictHostKeyChecking: 'accept-new' }), { ...opts, sshConfig }));
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`REMOTE HOST IDENTIFICATION HAS CHANGED .* ${global}:2 holds another ssh-ed25519 key`));
    assert.throws(() => readFileSync(join(server.dir, 'user_known_hosts')), /ENOENT/);
  });

  test('an unknown key says every file it was looked up in; accept-new appends it to the user file only', async () => {
    const global = join(server.dir, 'ssh_known_hosts_empty');
    writeFileSync(global, '');
    const sshConfig = configWith(server, [global]);
    const user = join(server.dir, 'user_known_hosts');
    const err = await sshFailure(connectSsh(nodeFor(server), { ...opts, sshConfig }));
    assert.match(err.message, new RegExp(`is not in ${user}, ${global};`));
    (await connectSsh(nodeFor(server, { strictHostKeyChecking: 'accept-new' }), { ...opts, sshConfig })).close();
    assert.equal(readFileSync(user, 'utf8').split('\n').filter(Boolean).length, 1);
    assert.equal(readFileSync(global, 'utf8'), '');
  });
});
