import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { NodeSpec, StrictHostKeyChecking } from '../../../src/inventory/types.js';
import { connectSsh, SshRunState } from '../../../src/transport/ssh.js';
import type { SshOptions } from '../../../src/transport/ssh.js';
import { sshFailure } from '../../helpers/ssh-failure.js';
import { startSshd } from '../../helpers/sshd.js';
import type { Sshd } from '../../helpers/sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-bastion-policy-'));
const client = ssh2.utils.generateKeyPairSync('ed25519');
const identityFile = join(dir, 'id');
writeFileSync(identityFile, client.private, { mode: 0o600 });
const base: SshOptions = { connectTimeoutMs: 5000, agentSocket: '', sshConfig: false };

let bastion: Sshd;
let node: Sshd;

// known_hosts that knows the node, not the bastion.
function nodeOnly(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, node.hostLine(`[127.0.0.1]:${node.port}`));
  return file;
}

function behindBastion(name: string, strict: StrictHostKeyChecking, knownHostsFile: string): NodeSpec {
  return { name, host: '127.0.0.1', port: node.port, user: 'core', identityFile, knownHostsFile, strictHostKeyChecking: strict, roles: ['worker'], hostname: name, become: 'none', bastion: { host: '127.0.0.1', port: bastion.port } };
}

describe('a bastion shared by nodes of different policies is held to the strictest of them', () => {
  before(async () => {
    const keys = [Buffer.from(client.public.split(' ')[1] ?? '', 'base64')];
    [bastion, node] = await Promise.all([startSshd(keys), startSshd(keys)]);
  });
  after(async () => {
    await Promise.all([bastion.close(), node.close()]);
  });

  test('opened by a "no" node, it is checked again for a "yes" node, which is refused for an unknown bastion key; nothing goes through it for that node', async () => {
    const file = nodeOnly('kh-yes');
    const runState = new SshRunState({});
    const lax = await connectSsh(behindBastion('lax', 'no', file), { ...base, runState });
    try {
      const forwards = bastion.forwards.length;
      const err = await sshFailure(connectSsh(behindBastion('strict', 'yes', file), { ...base, runState }));
      assert.equal(err.kind, 'host-key');
      assert.match(err.message, new RegExp(`^bastion core@127\\.0\\.0\\.1:${bastion.port}: host key verification failed: host key for \\[127\\.0\\.0\\.1\\]:${bastion.port} \\(ssh-ed25519 SHA256:.{43}\\) is not in ${file}`));
      assert.equal(bastion.forwards.length, forwards, 'no channel was opened for the strict node');
      assert.equal(bastion.connections, 1, 'the check needs no second login');
      // The lax node's own connection goes on.
      assert.deepEqual(await lax.exec('echo still'), { stdout: 'echo still\n', stderr: '', code: 0, timedOut: false });
    } finally {
      lax.close();
    }
  });

  test('a later accept-new node records the bastion key (and says so); a "yes" node after it then passes', async () => {
    const file = nodeOnly('kh-accept');
    const runState = new SshRunState({});
    const notices: string[] = [];
    const opts = { ...base, runState, onNotice: (m: string) => notices.push(m) };
    const lax = await connectSsh(behindBastion('lax', 'no', file), opts);
    try {
      (await connectSsh(behindBastion('learner', 'accept-new', file), opts)).close();
      assert.deepEqual(notices.map((m) => m.replace(/SHA256:[A-Za-z0-9+/]{43}/, 'FP')), [`added [127.0.0.1]:${bastion.port} (ssh-ed25519 FP) to ${file}`]);
      assert.equal(readFileSync(file, 'utf8'), node.hostLine(`[127.0.0.1]:${node.port}`) + bastion.hostLine(`[127.0.0.1]:${bastion.port}`));
      (await connectSsh(behindBastion('strict', 'yes', file), opts)).close();
    } finally {
      lax.close();
    }
  });
});
