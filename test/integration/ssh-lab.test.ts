import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadInventory } from '../../src/inventory/load.js';
import { connectSsh } from '../../src/transport/ssh.js';
import { LAB_INVENTORY, LAB_STATE, lab, labSkip } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { VerifyRun as Run } from '../helpers/report.js';

const sh = promisify(execFile);
// 30 direct nodes + 2 behind the bastion: accept-new then learns 31 keys in one concurrent wave.
const MAIN = 30;
const NODES = [...Array.from({ length: MAIN }, (_, i) => `lab-node-${i + 1}`), 'lab-iso-1', 'lab-iso-2'];
const work = mkdtempSync(join(tmpdir(), 'clusterctl-ssh-lab-'));
const emptyHome = join(work, 'home'); // no ~/.ssh: nothing but what a test names
chmodSync(work, 0o755); // core (the forced command on the nodes) must reach the marker directory
mkdirSync(emptyHome);
const KEY = join(LAB_STATE, 'id_ed25519');
const KNOWN = join(LAB_STATE, 'known_hosts');

const verify = (inventory: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  verifyJson(['--no-ssh-config', ...args], { inventory, env: { HOME: emptyHome, SSH_AUTH_SOCK: '', CLUSTERCTL_KEY_PASSPHRASE: '', ...env }, timeoutMs: 120_000 });

const sshOf = (r: Run) => Object.fromEntries(r.report.nodes.map((n) => [n.name, n.checks[0]?.status === 'pass' ? 'pass' : (n.checks[0]?.actual ?? '?')]));
const failing = (r: Run) => r.report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${n.name} ${c.id}=${c.status}: ${c.actual}`));
const allPass = (r: Run) => {
  assert.deepEqual(failing(r), []);
  assert.deepEqual(r.report.nodes.map((n) => n.name), NODES);
  assert.equal(r.code, 0);
};

// An inventory variant: the lab's, with text replaced.
function variant(name: string, edit: (yaml: string) => string): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(LAB_INVENTORY, 'utf8')));
  return file;
}
const withKnownHosts = (name: string, file: string, strict = 'yes') =>
  variant(name, (y) => y.replace(`knownHostsFile: ${KNOWN}`, `knownHostsFile: ${file}`).replace('strictHostKeyChecking: "yes"', `strictHostKeyChecking: "${strict}"`));
const sshdLog = (dir: string) => readFileSync(join(LAB_STATE, 'nodes', dir, 'sshd.log'), 'utf8');
const accepted = (dir: string) => (sshdLog(dir).match(/Accepted publickey for core/g) ?? []).length;

describe('SSH trust and reach on the real lab (OpenSSH sshd, a bastion, ssh-agent)', { skip: labSkip }, () => {
  before(async () => {
    process.env.LAB_ISOLATED = '2';
    await lab('up', String(MAIN));
  });
  after(async () => {
    delete process.env.LAB_ISOLATED;
    await lab('down');
    rmSync(work, { recursive: true, force: true });
  });

  test('isolated nodes are reachable only through the bastion, and all of them share ONE bastion connection', async () => {
    const before = accepted('1');
    const r = await verify(LAB_INVENTORY);
    allPass(r);
    // node 1 itself (its own probe) + one bastion login for both isolated nodes.
    assert.equal(accepted('1') - before, 2);
    // Isolated: no address or route on cclbr1 in the root namespace, no default route on the
    // nodes. (Not proven by connecting directly: that SYN would leave by the host's default route.)
    assert.equal((await sh('ip', ['-o', 'addr', 'show', 'dev', 'cclbr1'])).stdout.trim(), '');
    assert.equal((await sh('ip', ['route', 'show', 'dev', 'cclbr1'])).stdout.trim(), '');
    assert.equal((await sh('ip', ['-n', 'ccl-iso-1', 'route', 'show', 'default'])).stdout.trim(), '');
  });

  test('a hashed known_hosts (ssh-keygen -H) verifies every node, [host]:port entries included', async () => {
    const hashed = join(work, 'known_hosts.hashed');
    copyFileSync(KNOWN, hashed);
    await sh('ssh-keygen', ['-H', '-f', hashed]);
    assert.ok(!readFileSync(hashed, 'utf8').includes('198.'), 'every entry is hashed');
    allPass(await verify(withKnownHosts('hashed', hashed)));
  });

  test('unknown hosts: "yes" fails every node before login; accept-new records each key exactly once (hashed like the file)', async () => {
    const empty = join(work, 'known_hosts.empty');
    writeFileSync(empty, '');
    const direct = NODES.slice(0, MAIN).map((_, i) => String(i + 1));
    const before = direct.map(accepted);
    const strict = await verify(withKnownHosts('unknown-yes', empty));
    assert.equal(strict.code, 1);
    for (const n of NODES) assert.match(sshOf(strict)[n] ?? '', /host key verification failed: host key for .* is not in/);
    assert.deepEqual(direct.map(accepted), before, 'no login happened');
    assert.equal(readFileSync(empty, 'utf8'), '');

    // accept-new into a file that uses hashing: 31 unknown nodes at once (--concurrency 32), then again.
    const learn = join(work, 'known_hosts.learn');
    copyFileSync(KNOWN, learn);
    await sh('ssh-keygen', ['-H', '-f', learn]);
    const firstLine = readFileSync(learn, 'utf8').split('\n')[0] ?? '';
    writeFileSync(learn, `${firstLine}\n`); // only node 1 known
    const inv = withKnownHosts('accept-new', learn, 'accept-new');
    const first = await verify(inv);
    allPass(first);
    assert.equal((first.stderr.match(/^added /gm) ?? []).length, NODES.length - 1);
    const lines = readFileSync(learn, 'utf8').trim().split('\n');
    assert.equal(lines.length, NODES.length);
    assert.equal(new Set(lines.map((l) => l.split(' ')[2])).size, NODES.length, 'every key once');
    assert.ok(lines.every((l) => l.startsWith('|1|')), lines.join('\n'));
    allPass(await verify(inv));
    assert.equal(readFileSync(learn, 'utf8').trim().split('\n').length, NODES.length, 'nothing appended twice');
  });

  test('a changed host key fails that node with nothing executed there (forced-command marker)', async () => {
    const markers = join(work, 'markers');
    mkdirSync(markers);
    chmodSync(markers, 0o1777);
    const auth = join(LAB_STATE, 'authorized_keys');
    const original = readFileSync(auth, 'utf8');
    // Every command core runs first leaves a marker named after the node it ran on.
    writeFileSync(auth, `command="touch ${markers}/ran-on-$(hostname); exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"" ${original}`);
    try {
      allPass(await verify(LAB_INVENTORY));
      assert.deepEqual(readdirSync(markers).sort(), NODES.map((n) => `ran-on-${n}`).sort(), 'the marker works: every probe left one');
      for (const f of readdirSync(markers)) rmSync(join(markers, f));
      const known = readFileSync(KNOWN, 'utf8').trim().split('\n');
      const key2 = (known[1] ?? '').split(' ').slice(1).join(' ');
      const swapped = join(work, 'known_hosts.swapped');
      writeFileSync(swapped, [`${(known[0] ?? '').split(' ')[0]} ${key2}`, ...known.slice(1)].join('\n') + '\n');
      const r = await verify(withKnownHosts('changed', swapped), ['--retries', '3']);
      assert.equal(r.code, 1);
      assert.match(sshOf(r)['lab-node-1'] ?? '', new RegExp(`REMOTE HOST IDENTIFICATION HAS CHANGED for 198\\.18\\.1\\.11: it offers ssh-ed25519 SHA256:\\S+, but ${swapped}:1 holds another ssh-ed25519 key`));
      assert.match(sshOf(r)['lab-node-1'] ?? '', /\(ssh-keygen -R/);
      assert.doesNotMatch(sshOf(r)['lab-node-1'] ?? '', /attempts/, 'host-key failures are never retried');
      // Node 1 is also the bastion: the isolated nodes fail with it, and nothing runs on them either.
      assert.match(sshOf(r)['lab-iso-1'] ?? '', /^bastion core@198\.18\.1\.11:22: host key verification failed: REMOTE HOST IDENTIFICATION HAS CHANGED/);
      assert.deepEqual(readdirSync(markers).sort(), NODES.slice(1, MAIN).map((n) => `ran-on-${n}`).sort());
    } finally {
      writeFileSync(auth, original);
    }
  });

  test('a blackholed node (SYN-ACKs dropped) ends within --connect-timeout as a timeout; the others pass', async () => {
    await sh('ip', ['-n', 'ccl-2', 'route', 'add', 'blackhole', '198.18.0.1/32']);
    await sh('ip', ['-n', 'ccl-iso-2', 'route', 'add', 'blackhole', '198.19.64.1/32']);
    try {
      const r = await verify(LAB_INVENTORY, ['--connect-timeout', '2', '--retries', '1']);
      assert.equal(r.code, 1);
      assert.match(sshOf(r)['lab-node-2'] ?? '', /no answer to the TCP connect within 2s \(host down, or packets dropped by a firewall: blackholed\) \(after 2 attempts\)/);
      assert.match(sshOf(r)['lab-iso-2'] ?? '', /bastion got no TCP answer from 198\.19\.64\.12:2222 within 2s .*\(after 2 attempts\)/);
      assert.deepEqual(
        failing(r).filter((l) => !/^lab-(node|iso)-2 /.test(l)),
        [],
      );
      // 2 attempts × 2 s + backoff (≤ 0.75 s) + process start: bounded well under 20 s.
      assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    } finally {
      await sh('ip', ['-n', 'ccl-2', 'route', 'del', 'blackhole', '198.18.0.1/32']);
      await sh('ip', ['-n', 'ccl-iso-2', 'route', 'del', 'blackhole', '198.19.64.1/32']);
    }
  });

  test('keepalive: a peer that goes silent during a long command is noticed long before the command timeout', async () => {
    const [node] = (await loadInventory(LAB_INVENTORY)).nodes.filter((n) => n.name === 'lab-node-3');
    assert.ok(node);
    const t = await connectSsh(node, { connectTimeoutMs: 5000, sshConfig: false, agentSocket: '' });
    const running = t.exec('sleep 300', { timeoutMs: 120_000 });
    await new Promise((r) => setTimeout(r, 500));
    await sh('ip', ['-n', 'ccl-3', 'route', 'add', 'blackhole', '198.18.0.1/32']);
    try {
      const started = Date.now();
      const r = await running;
      const took = Date.now() - started;
      assert.equal(r.timedOut, false);
      assert.equal(r.code, null);
      assert.match(r.stderr, /connection lost during the command: Keepalive timeout/);
      // keepalive every 5 s, 3 unanswered: ~15-20 s, far below the 120 s command timeout.
      assert.ok(took < 60_000, `took ${took} ms`);
    } finally {
      t.close();
      await sh('ip', ['-n', 'ccl-3', 'route', 'del', 'blackhole', '198.18.0.1/32']);
    }
  });

  test('ssh-agent: a real agent holding the key logs in to every node (bastion too) with no identityFile anywhere', async () => {
    const sock = join(work, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      await sh('ssh-add', [KEY], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const inv = variant('agent', (y) => y.replace(/\n  identityFile: .*/, ''));
      allPass(await verify(inv, [], { SSH_AUTH_SOCK: sock }));
      const none = await verify(inv);
      assert.match(sshOf(none)['lab-node-1'] ?? '', /no key to log in to core@198\.18\.1\.11:22 with/);
    } finally {
      agent.kill('SIGTERM');
    }
  });

  test('an encrypted key opens with $CLUSTERCTL_KEY_PASSPHRASE; without it the node says how to give it', async () => {
    const enc = join(work, 'id_encrypted');
    copyFileSync(KEY, enc);
    chmodSync(enc, 0o600);
    await sh('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'lab pass phrase', '-f', enc]);
    const inv = variant('encrypted', (y) => y.replace(`identityFile: ${KEY}`, `identityFile: ${enc}`));
    allPass(await verify(inv, [], { CLUSTERCTL_KEY_PASSPHRASE: 'lab pass phrase' }));
    const without = await verify(inv);
    assert.match(sshOf(without)['lab-node-1'] ?? '', /is encrypted and no passphrase given: set \$CLUSTERCTL_KEY_PASSPHRASE/);
  });

  test('~/.ssh/config supplies HostName, User, Port, IdentityFile and ProxyJump for an inventory of bare names', async () => {
    const inv = join(work, 'by-name.yaml');
    writeFileSync(
      inv,
      `defaults:\n  knownHostsFile: ${KNOWN}\nnodes:\n` + ['lab-node-1', 'lab-iso-1', 'lab-iso-2'].map((n) => `  - {name: ${n}, host: ${n}, roles: [worker]}\n`).join(''),
    );
    const config = (user: string) =>
      `Host lab-node-1\n  HostName 198.18.1.11\n\nHost lab-iso-*\n  ProxyJump lab-node-1\n  Port 2222\n\nHost lab-iso-1\n  HostName 198.19.64.11\n\nHost lab-iso-2\n  HostName 198.19.64.12\n\nHost *\n  User ${user}\n  IdentityFile ${KEY}\n`;
    const good = join(work, 'ssh_config');
    writeFileSync(good, config('core'));
    const run = (...args: string[]) => verifyJson(['--retries', '0', ...args], { inventory: inv, env: { HOME: emptyHome, SSH_AUTH_SOCK: '' }, timeoutMs: 60_000 });
    const r = await run('--ssh-config', good);
    assert.deepEqual(sshOf({ ...r, report: r.report, stderr: r.stderr }), { 'lab-node-1': 'pass', 'lab-iso-1': 'pass', 'lab-iso-2': 'pass' });
    // The same file at ~/.ssh/config is read without the flag.
    mkdirSync(join(emptyHome, '.ssh'), { recursive: true });
    writeFileSync(join(emptyHome, '.ssh', 'config'), config('core'));
    try {
      const home = await run();
      assert.equal(home.report.nodes.filter((n) => n.checks[0]?.status === 'pass').length, 3);
      const off = await run('--no-ssh-config');
      // Without the config the bare name is all there is (and no key): it fails before any DNS query.
      assert.match(off.report.nodes[1]?.checks[0]?.actual ?? '', /no key to log in to core@lab-iso-1:22 with/);
    } finally {
      rmSync(join(emptyHome, '.ssh'), { recursive: true, force: true });
    }
    // The config's User is really used: a user sshd refuses fails authentication.
    const wrong = join(work, 'ssh_config_wrong_user');
    writeFileSync(wrong, config('nobody'));
    const w = await run('--ssh-config', wrong);
    assert.match(w.report.nodes[0]?.checks[0]?.actual ?? '', /authentication failed/);
  });
});
