import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ssh2 from 'ssh2';
import { decideHostKey } from '../../../src/transport/host-key.js';
import type { HostKeyTrust } from '../../../src/transport/host-key.js';
import { hostsFieldMatches, parseKnownHosts, readKnownHosts, verifyHostKey } from '../../../src/transport/known-hosts.js';
import { appendKnownHost, hashHostName } from '../../../src/transport/known-hosts-write.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-kh-'));
const blobOf = (pub: string) => Buffer.from(pub.trim().split(/\s+/)[1] ?? '', 'base64');
const newKey = () => blobOf(ssh2.utils.generateKeyPairSync('ed25519').public);

function trust(file: string, name: string, strict: HostKeyTrust['strict'], text = ''): HostKeyTrust {
  return { name, files: [file], strict, lines: parseKnownHosts(text, file), portForHint: 22, hostForHint: name };
}

describe('accept-new writes known_hosts like OpenSSH, once per key', () => {
  test('32 connections learning 32 keys at once: each appended exactly once, no torn lines', async () => {
    const file = join(dir, 'concurrent');
    const keys = Array.from({ length: 32 }, () => newKey());
    // Every key is offered twice at the same moment (e.g. a retry racing its first attempt).
    const outcomes = await Promise.all([...keys, ...keys].map((k, i) => decideHostKey(trust(file, `10.0.0.${i % 32}`, 'accept-new'), k)));
    assert.ok(outcomes.every((o) => o.ok));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 32);
    const parsed = parseKnownHosts(readFileSync(file, 'utf8'), file);
    keys.forEach((k, i) => assert.equal(verifyHostKey(parsed, `10.0.0.${i}`, 'ssh-ed25519', k).kind, 'match'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('a file that already uses hashing gets hashed entries; a plain one plain entries', async () => {
    const hashedFile = join(dir, 'hashed');
    writeFileSync(hashedFile, `${hashHostName('other')} ssh-ed25519 ${newKey().toString('base64')}\n`);
    const k = newKey();
    const r = await appendKnownHost([hashedFile], '[node1]:2222', 'ssh-ed25519', k);
    assert.deepEqual([r.kind, r.kind === 'added' && r.hashed, r.entry.line], ['added', true, 2]);
    const last = readFileSync(hashedFile, 'utf8').trim().split('\n').at(-1) ?? '';
    assert.match(last, /^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-ed25519 /);
    assert.ok(!last.includes('node1'));
    assert.equal(hostsFieldMatches(last.split(' ')[0] ?? '', '[node1]:2222'), true);
    const plainFile = join(dir, 'plain');
    writeFileSync(plainFile, 'nodeX ssh-ed25519 ' + newKey().toString('base64')); // no final newline
    await appendKnownHost([plainFile], 'node2', 'ssh-ed25519', k);
    assert.deepEqual(readFileSync(plainFile, 'utf8').split('\n').map((l) => l.split(' ')[0]), ['nodeX', 'node2', '']);
  });

  test('a missing file (and directory) is created', async () => {
    const file = join(dir, 'sub', 'dir', 'known_hosts');
    const r = await decideHostKey(trust(file, 'node3', 'accept-new'), newKey());
    assert.equal(r.ok, true);
    assert.match(r.ok ? (r.added ?? '') : '', /added node3 \(ssh-ed25519 SHA256:.{43}\) to .*sub\/dir\/known_hosts/);
    assert.equal((await readKnownHosts([file])).length, 1);
  });

  test('accept-new still fails a changed key and a revoked key, and writes nothing', async () => {
    const file = join(dir, 'changed');
    const old = newKey();
    const text = `node4 ssh-ed25519 ${old.toString('base64')}\n`;
    writeFileSync(file, text);
    const changed = await decideHostKey(trust(file, 'node4', 'accept-new', text), newKey());
    assert.equal(changed.ok, false);
    assert.match(changed.ok ? '' : changed.reason, new RegExp(`REMOTE HOST IDENTIFICATION HAS CHANGED for node4: .*${file}:1`));
    const revokedText = `@revoked * ssh-ed25519 ${old.toString('base64')}\n`;
    const revoked = await decideHostKey(trust(file, 'node5', 'accept-new', revokedText), old);
    assert.match(revoked.ok ? '' : revoked.reason, /marked @revoked/);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  test('"yes" refuses an unknown key and says how to add it; "no" accepts anything', async () => {
    const file = join(dir, 'none');
    const r = await decideHostKey(trust(file, 'node6', 'yes'), newKey());
    assert.match(r.ok ? '' : r.reason, /host key for node6 \(ssh-ed25519 SHA256:.{43}\) is not in .*none; .*ssh-keyscan -p 22 node6 >> .*accept-new/);
    assert.deepEqual(await decideHostKey(trust(file, 'node6', 'no'), newKey()), { ok: true });
  });

  test('several files are read in order; a @cert-authority line is reported, not used', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const k = newKey();
    writeFileSync(a, `@cert-authority node7 ssh-ed25519 ${k.toString('base64')}\n`);
    writeFileSync(b, `node8 ssh-ed25519 ${k.toString('base64')}\n`);
    const lines = await readKnownHosts([a, join(dir, 'missing'), b]);
    assert.equal(verifyHostKey(lines, 'node8', 'ssh-ed25519', k).kind, 'match');
    const r = await decideHostKey({ ...trust(a, 'node7', 'yes'), files: [a, b], lines }, k);
    assert.match(r.ok ? '' : r.reason, /a @cert-authority line matches, but host certificates are not supported/);
  });
});
