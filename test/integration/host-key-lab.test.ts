import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { fingerprint, parseKnownHosts } from '../../src/transport/known-hosts.js';
import { LAB_INVENTORY, LAB_STATE, lab, labSkip } from '../helpers/lab.js';
import { streaming } from '../helpers/streaming.js';

const sh = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'clusterctl-host-key-lab-'));
const home = join(work, 'home'); // no ~/.ssh: nothing but what the test names
mkdirSync(home);
const NODE1 = '198.18.1.11';
const hostKeyFile = join(LAB_STATE, 'nodes', '1', 'ssh_host_ed25519_key');
const blobOf = (pub: string) => pub.trim().split(/\s+/)[1] ?? '';
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Node 1 is reinstalled: a new host key, which its sshd takes on SIGHUP (sshd(8): it executes
// itself again and rereads its configuration; the pid stays), then every other process of the
// node (the sessions sshd forked for us before) ends, so the kept connection drops and is opened
// again, by then to an sshd that offers the new key.
async function reinstallNode1(): Promise<void> {
  rmSync(hostKeyFile);
  rmSync(`${hostKeyFile}.pub`);
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'replaced', '-f', hostKeyFile]);
  const listener = Number(readFileSync(join(LAB_STATE, 'nodes', '1', 'sshd.pid'), 'utf8').trim());
  const log = join(LAB_STATE, 'nodes', '1', 'sshd.log');
  const restarts = () => (readFileSync(log, 'utf8').match(/Server listening on \S+ port 22/g) ?? []).length;
  const before = restarts();
  process.kill(listener, 'SIGHUP');
  for (let i = 0; i < 100 && restarts() === before; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(restarts(), before + 1, readFileSync(log, 'utf8'));
  const { stdout } = await sh('ip', ['netns', 'pids', 'ccl-1']);
  for (const pid of stdout.split('\n').filter((p) => p !== '' && Number(p) !== listener)) {
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

describe('accept-new on the real lab: a host key replaced mid-run (OpenSSH sshd)', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', '2');
  });
  after(async () => {
    await lab('down');
    rmSync(work, { recursive: true, force: true });
  });

  test('verify --watch --retries from an empty known_hosts: the reconnect to node 1 with its new key is refused as changed, and known_hosts keeps one line for it', async () => {
    const known = join(work, 'known_hosts');
    const inventory = join(work, 'inventory.yaml');
    writeFileSync(
      inventory,
      readFileSync(LAB_INVENTORY, 'utf8')
        .replace(`knownHostsFile: ${join(LAB_STATE, 'known_hosts')}`, `knownHostsFile: ${known}`)
        .replace('strictHostKeyChecking: "yes"', 'strictHostKeyChecking: "accept-new"'),
    );
    assert.ok(readFileSync(inventory, 'utf8').includes(known), 'the inventory points at the empty file');
    const keyA = blobOf(readFileSync(`${hostKeyFile}.pub`, 'utf8'));
    const w = streaming(['verify', '-i', inventory, '--no-ssh-config', '--watch', '2s', '--retries', '2'], { HOME: home, SSH_AUTH_SOCK: '' });
    try {
      await w.line(/^OK: 2 nodes, /, 60_000);
      assert.equal((w.stderr().match(/^added /gm) ?? []).length, 2, w.stderr());
      const since = Date.now() - w.started;
      await reinstallNode1();
      const keyB = blobOf(readFileSync(`${hostKeyFile}.pub`, 'utf8'));
      assert.notEqual(keyB, keyA);
      const refused = await w.line(/lab-node-1 ssh: /, 30_000, since);
      assert.match(refused.text, new RegExp(`PASS → FAIL  lab-node-1 ssh: .*host key verification failed: REMOTE HOST IDENTIFICATION HAS CHANGED for ${literal(NODE1)}: it offers ssh-ed25519 ${literal(fingerprint(Buffer.from(keyB, 'base64')))}, but ${literal(known)}:\\d holds another ssh-ed25519 key`));
      const forNode1 = parseKnownHosts(readFileSync(known, 'utf8'), known).filter((l) => l.hosts === NODE1);
      assert.deepEqual(forNode1.map((l) => l.key.toString('base64')), [keyA]);
      assert.equal(parseKnownHosts(readFileSync(known, 'utf8'), known).length, 2);
      assert.equal((w.stderr().match(/^added /gm) ?? []).length, 2, w.stderr());
    } finally {
      w.interrupt();
    }
    assert.equal(await w.closed, 130, w.stderr());
  });
});
