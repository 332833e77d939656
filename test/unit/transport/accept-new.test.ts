import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { parseKnownHosts } from '../../../src/transport/known-hosts.js';
import { connectSsh, SshRunState } from '../../../src/transport/ssh.js';
import type { SshOptions } from '../../../src/transport/ssh.js';
import { startSshd } from '../../helpers/sshd.js';
import type { Sshd } from '../../helpers/sshd.js';
import { startSwitchProxy } from '../../helpers/switch-proxy.js';
import type { SwitchProxy } from '../../helpers/switch-proxy.js';
import { sshFailure } from '../../helpers/ssh-failure.js';
import { keyPair } from '../../helpers/keypair.js';

const { utils } = ssh2;
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-accept-new-'));
const client = keyPair('ed25519');
const identityFile = join(dir, 'id');
writeFileSync(identityFile, client.private, { mode: 0o600 });
const base: SshOptions = { connectTimeoutMs: 5000, agentSocket: '', sshConfig: false };

let a: Sshd; // the node's sshd, host key A
let b: Sshd; // the same node (same address and port) after its host key was replaced: key B
let c: Sshd; // the same node offering a key of another type (ECDSA)
let proxy: SwitchProxy;

function spec(knownHostsFile: string): NodeSpec {
  return { name: 'n1', host: '127.0.0.1', port: proxy.port, user: 'core', identityFile, knownHostsFile, strictHostKeyChecking: 'accept-new', roles: ['worker'], hostname: 'n1', become: 'none' };
}

const keysIn = (file: string) => parseKnownHosts(readFileSync(file, 'utf8'), file).map((l) => `${l.hosts} ${l.key.toString('base64')}`);

describe('accept-new: a host learned once is pinned, in the run and in the file', () => {
  before(async () => {
    const keys = [Buffer.from(client.public.split(' ')[1] ?? '', 'base64')];
    [a, b, c] = await Promise.all([startSshd(keys), startSshd(keys), startSshd(keys, 'ecdsa')]);
    proxy = await startSwitchProxy(() => a.port);
  });
  after(async () => {
    await proxy.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  test('key A learned, then key B for the same host in the same run: refused as changed, one line in the file', async () => {
    const file = join(dir, 'one-run');
    const runState = new SshRunState({});
    const notices: string[] = [];
    proxy.route = () => a.port;
    const first = await connectSsh(spec(file), { ...base, runState, onNotice: (m) => notices.push(m) });
    first.close();
    assert.equal(notices.length, 1);
    // The reconnect of --watch or a --retries attempt: same run, same SshRunState.
    proxy.route = () => b.port;
    const name = `[127.0.0.1]:${proxy.port}`;
    const err = await sshFailure(connectSsh(spec(file), { ...base, runState, retries: 2 }));
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`REMOTE HOST IDENTIFICATION HAS CHANGED for \\[127\\.0\\.0\\.1\\]:${proxy.port}: it offers ssh-ed25519 SHA256:.{43}, but ${file}:1 holds another ssh-ed25519 key`));
    assert.equal(b.authAttempts, 0); // refused in the handshake: nothing was sent to B
    assert.deepEqual(keysIn(file), [`${name} ${a.hostKey.toString('base64')}`]);
    // Key A is still welcome, and is not written twice.
    proxy.route = () => a.port;
    (await connectSsh(spec(file), { ...base, runState })).close();
    assert.deepEqual(keysIn(file), [`${name} ${a.hostKey.toString('base64')}`]);
  });

  test('in the run that learned it, a key of another type is refused too; a later run adds it as the first key of its type', async () => {
    const file = join(dir, 'other-type');
    const runState = new SshRunState({});
    proxy.route = () => a.port;
    (await connectSsh(spec(file), { ...base, runState })).close();
    proxy.route = () => c.port;
    const err = await sshFailure(connectSsh(spec(file), { ...base, runState }));
    assert.match(err.message, new RegExp(`HAS CHANGED for \\[127\\.0\\.0\\.1\\]:${proxy.port}: it offers ecdsa-sha2-nistp256 SHA256:.{43}, but ${file}:1 holds another ssh-ed25519 key`));
    assert.equal(keysIn(file).length, 1);
    (await connectSsh(spec(file), { ...base, runState: new SshRunState({}) })).close();
    assert.deepEqual(keysIn(file), [a, c].map((s) => `[127.0.0.1]:${proxy.port} ${s.hostKey.toString('base64')}`));
  });

  test('two runs at once learning one host, one offered key A and one key B: one is refused, one line in the file', async () => {
    const file = join(dir, 'two-runs');
    const backends = [a.port, b.port];
    proxy.route = () => backends.shift() ?? a.port;
    // Two SshRunStates are two runs: each reads the (missing) file before either has written.
    const runs = await Promise.allSettled([0, 1].map(() => connectSsh(spec(file), { ...base, runState: new SshRunState({}) })));
    const allowed = runs.filter((r) => r.status === 'fulfilled');
    const refused = runs.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    allowed.forEach((r) => r.value.close());
    assert.equal(allowed.length, 1);
    assert.equal(refused.length, 1);
    assert.match(refused[0] ?? '', /REMOTE HOST IDENTIFICATION HAS CHANGED/);
    // The proxy hands out A and B in the order the connections arrive, not the order the runs
    // started, so the loser is told apart by the key it offered: the refusal names its fingerprint.
    const fingerprint = (s: Sshd) => `SHA256:${createHash('sha256').update(s.hostKey).digest('base64').replace(/=+$/, '')}`;
    const offered = /it offers ssh-ed25519 (SHA256:\S{43})/.exec(refused[0] ?? '')?.[1];
    assert.ok(offered === fingerprint(a) || offered === fingerprint(b), `the refusal names A's or B's key: ${refused[0]}`);
    const winner = offered === fingerprint(a) ? b : a;
    assert.deepEqual(keysIn(file), [`[127.0.0.1]:${proxy.port} ${winner.hostKey.toString('base64')}`]);
  });
});

// Two processes, each a run reading the file once and then offering its own key for the same
// 60 hosts at the same moment: the lock file makes "is it there yet? then add it" one step.
describe('accept-new across processes', () => {
  test('two runs at once: exactly one line per host, the key of the run that was allowed', async () => {
    const file = join(dir, 'processes');
    const count = 60;
    const learner = join(import.meta.dirname, '../../helpers/known-hosts-learner.ts');
    const children = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', learner, file, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const outputs = children.map((c) => createInterface({ input: c.stdout })[Symbol.asyncIterator]());
    for (const o of outputs) assert.equal((await o.next()).value, 'ready');
    for (const c of children) c.stdin.write('go\n');
    const results = await Promise.all(outputs.map(async (o) => JSON.parse(String((await o.next()).value)) as { ok: boolean[]; keys: string[] }));
    const lines = parseKnownHosts(readFileSync(file, 'utf8'), file);
    assert.equal(lines.length, count);
    for (let i = 0; i < count; i++) {
      const allowed = results.filter((r) => r.ok[i]);
      assert.equal(allowed.length, 1, `host-${i}: allowed by ${allowed.length} runs`);
      assert.deepEqual(lines.filter((l) => l.hosts === `host-${i}`).map((l) => l.key.toString('base64')), [allowed[0]?.keys[i]]);
    }
    assert.equal(existsSync(`${file}.lock`), false);
  });
});
