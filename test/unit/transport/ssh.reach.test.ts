import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { connectSsh, SshRunState } from '../../../src/transport/ssh.js';
import type { SshOptions } from '../../../src/transport/ssh.js';
import { startSshd } from '../../helpers/sshd.js';
import type { Sshd } from '../../helpers/sshd.js';
import { sshFailure } from '../../helpers/ssh-failure.js';
import { keyPair } from '../../helpers/keypair.js';

const { utils } = ssh2;
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-reach-'));
const pubBlob = (pub: string) => Buffer.from(pub.trim().split(/\s+/)[1] ?? '', 'base64');

const plain = keyPair('ed25519');
const encrypted = keyPair('ed25519', { passphrase: 'correct horse', cipher: 'aes256-ctr', rounds: 4 });
const stranger = keyPair('ed25519');
const keyFile = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text, { mode: 0o600 });
  return f;
};
const PLAIN = keyFile('id_plain', plain.private);
const ENCRYPTED = keyFile('id_encrypted', encrypted.private);
const STRANGER = keyFile('id_stranger', stranger.private);

let bastion: Sshd;
let nodeA: Sshd;
let nodeB: Sshd;
let knownHosts: string;

function spec(s: Sshd, over: Partial<NodeSpec> = {}): NodeSpec {
  return { name: `n${s.port}`, host: '127.0.0.1', port: s.port, user: 'core', identityFile: PLAIN, knownHostsFile: knownHosts, strictHostKeyChecking: 'yes', roles: ['worker'], hostname: 'n', become: 'none', ...over };
}
const base: SshOptions = { connectTimeoutMs: 5000, agentSocket: '', sshConfig: false };

describe('reach: bastion, identities, encrypted keys, retries, lost connections', () => {
  before(async () => {
    const keys = [pubBlob(plain.public), pubBlob(encrypted.public)];
    [bastion, nodeA, nodeB] = await Promise.all([startSshd(keys), startSshd(keys), startSshd(keys)]);
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, [bastion, nodeA, nodeB].map((s) => s.hostLine(`[127.0.0.1]:${s.port}`)).join(''));
  });
  after(async () => {
    await Promise.all([bastion, nodeA, nodeB].map((s) => s.close()));
  });

  test('nodes behind a bastion share one bastion connection; each node key is checked under its own name', async () => {
    const runState = new SshRunState({});
    const before = bastion.connections;
    const via = { host: '127.0.0.1', port: bastion.port };
    const ts = await Promise.all([nodeA, nodeB, nodeA, nodeB].map((s) => connectSsh(spec(s, { bastion: via }), { ...base, runState })));
    const outs = await Promise.all(ts.map((t) => t.exec('echo via-bastion')));
    ts.forEach((t) => t.close());
    assert.deepEqual(outs.map((o) => o.stdout), Array(4).fill('echo via-bastion\n'));
    assert.equal(bastion.connections - before, 1);
    assert.deepEqual(bastion.forwards.slice(-4).sort(), [nodeA, nodeA, nodeB, nodeB].map((s) => `127.0.0.1:${s.port}`).sort());
    assert.ok(bastion.execs.every((c) => c !== 'echo via-bastion'), 'the command ran on the node, not on the bastion');
    runState.bastions.closeAll();
  });

  test('the shared bastion connection is closed by itself once no node uses it (nothing keeps the run alive)', async () => {
    await new Promise((r) => setTimeout(r, 300)); // the previous test's bastion finishes closing
    const runState = new SshRunState({});
    const [opened, closed] = [bastion.connections, bastion.closed];
    const via = { host: '127.0.0.1', port: bastion.port };
    const ts = await Promise.all([nodeA, nodeB].map((s) => connectSsh(spec(s, { bastion: via }), { ...base, runState })));
    ts.forEach((t) => t.close());
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(bastion.connections - opened, 1);
    assert.equal(bastion.closed - closed, 1);
  });

  test("the bastion's own host key is checked too: an unknown bastion fails the node before it is contacted", async () => {
    const onlyNodes = join(dir, 'only_nodes');
    writeFileSync(onlyNodes, nodeA.hostLine(`[127.0.0.1]:${nodeA.port}`));
    const before = nodeA.connections;
    const err = await sshFailure(connectSsh(spec(nodeA, { knownHostsFile: onlyNodes, bastion: { host: '127.0.0.1', port: bastion.port } }), { ...base, runState: new SshRunState({}) }));
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`^bastion core@127\\.0\\.0\\.1:${bastion.port}: host key verification failed: host key for \\[127\\.0\\.0\\.1\\]:${bastion.port}`));
    assert.equal(nodeA.connections, before);
  });

  test('a node whose key is unknown fails even though the bastion is trusted; nothing runs on it', async () => {
    const onlyBastion = join(dir, 'only_bastion');
    writeFileSync(onlyBastion, bastion.hostLine(`[127.0.0.1]:${bastion.port}`));
    const execs = nodeB.execs.length;
    const runState = new SshRunState({});
    const err = await sshFailure(connectSsh(spec(nodeB, { knownHostsFile: onlyBastion, bastion: { host: '127.0.0.1', port: bastion.port } }), { ...base, runState }));
    runState.bastions.closeAll();
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`host key for \\[127\\.0\\.0\\.1\\]:${nodeB.port} .* is not in`));
    assert.equal(nodeB.execs.length, execs);
  });

  test('an encrypted key opens with $CLUSTERCTL_KEY_PASSPHRASE; without it (and no terminal) the reason says what to do', async () => {
    const t = await connectSsh(spec(nodeA, { identityFile: ENCRYPTED }), { ...base, runState: new SshRunState({ env: 'correct horse' }) });
    assert.equal((await t.exec('echo ok')).stdout, 'echo ok\n');
    t.close();
    const none = await sshFailure(connectSsh(spec(nodeA, { identityFile: ENCRYPTED }), { ...base, runState: new SshRunState({}) }));
    assert.equal(none.kind, 'key-file');
    assert.match(none.message, /is encrypted and no passphrase given: set \$CLUSTERCTL_KEY_PASSPHRASE, run on a terminal to be asked, or load it into ssh-agent/);
    const wrong = await sshFailure(connectSsh(spec(nodeA, { identityFile: ENCRYPTED }), { ...base, runState: new SshRunState({ env: 'wrong' }) }));
    assert.match(wrong.message, /CLUSTERCTL_KEY_PASSPHRASE does not open it/);
  });

  test('a terminal prompt is asked once per key file, however many nodes use it', async () => {
    let asked = 0;
    const runState = new SshRunState({ prompt: async () => (asked++, 'correct horse') });
    const ts = await Promise.all([nodeA, nodeB].map((s) => connectSsh(spec(s, { identityFile: ENCRYPTED }), { ...base, runState })));
    ts.forEach((t) => t.close());
    assert.equal(asked, 1);
  });

  test('several identities are tried in order: a refused key, then one the node accepts', async () => {
    const conf = keyFile('ssh_config', `Host 127.0.0.1\n  IdentityFile ${PLAIN}\n  IdentityFile ${join(dir, 'missing_key')}\n`);
    const t = await connectSsh(spec(nodeA, { identityFile: STRANGER }), { ...base, sshConfig: conf, runState: new SshRunState({}) });
    assert.equal((await t.exec('echo two')).stdout, 'echo two\n');
    t.close();
  });

  test('--retries: network failures are tried again (with backoff), auth failures never', async () => {
    let resets = 0;
    const flaky: NetServer = createServer((s) => {
      resets++;
      s.destroy();
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const port = (flaky.address() as AddressInfo).port;
    const err = await sshFailure(connectSsh(spec(nodeA, { port }), { ...base, retries: 2 }));
    flaky.close();
    assert.equal(err.kind, 'network');
    assert.match(err.message, /\(after 3 attempts\)$/);
    assert.equal(resets, 3);
    const before = nodeA.connections;
    const auth = await sshFailure(connectSsh(spec(nodeA, { identityFile: STRANGER }), { ...base, retries: 2 }));
    assert.equal(auth.kind, 'auth');
    assert.equal(nodeA.connections - before, 1);
    const hostKey = await sshFailure(connectSsh(spec(nodeA, { knownHostsFile: join(dir, 'nothing') }), { ...base, retries: 2 }));
    assert.equal(hostKey.kind, 'host-key');
    assert.equal(nodeA.connections - before, 2);
  });

  test('a connection that dies during a command ends it as lost, not hung', async () => {
    const t = await connectSsh(spec(nodeB), base);
    const running = t.exec('hang', { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 100));
    nodeB.conns.forEach((c) => c.end()); // the node goes away mid-command
    const r = await running;
    t.close();
    assert.equal(r.code, null);
    assert.equal(r.timedOut, false);
    assert.match(r.stderr, /connection lost during the command/);
  });

  test('accept-new through the real handshake records the key once and then matches it', async () => {
    const file = join(dir, 'accept_new');
    const notices: string[] = [];
    const opts = { ...base, onNotice: (m: string) => notices.push(m) };
    const t1 = await connectSsh(spec(nodeA, { knownHostsFile: file, strictHostKeyChecking: 'accept-new' }), opts);
    t1.close();
    const t2 = await connectSsh(spec(nodeA, { knownHostsFile: file, strictHostKeyChecking: 'accept-new' }), opts);
    t2.close();
    assert.equal(readFileSync(file, 'utf8'), nodeA.hostLine(`[127.0.0.1]:${nodeA.port}`));
    assert.equal(notices.length, 1);
  });
});
