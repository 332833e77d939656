import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCommand } from '../../../src/commands/render.js';
import { UserError } from '../../../src/errors.js';
import { THREE_ETCD } from '../../fixtures/render/inventories.js';
import { runCli } from '../../helpers/cli.js';
import { ed25519Line } from '../../fixtures/render/keys.js';
import { sshKeygen } from '../../helpers/ssh-keygen.js';

function capture() {
  const out = { stdout: '', stderr: '' };
  const stream = (k: 'stdout' | 'stderr') => ({ write: (s: string) => ((out[k] += s), true) }) as unknown as NodeJS.WriteStream;
  return { out, io: { stdout: stream('stdout'), stderr: stream('stderr'), env: {}, signal: new AbortController().signal } };
}

function workspace(inventory: string) {
  const dir = mkdtempSync(join(tmpdir(), 'render-'));
  const file = join(dir, 'inventory.yaml');
  writeFileSync(file, inventory);
  return { dir, file, out: join(dir, 'out') };
}

describe('clusterctl render', () => {
  test('ignition: one <node>.ign per node, the paths on stdout, nothing else', async () => {
    const w = workspace(THREE_ETCD);
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, c.io), 0);
    assert.deepEqual(readdirSync(w.out).sort(), ['e1.ign', 'e2.ign', 'e3.ign', 'w1.ign']);
    assert.equal(c.out.stdout, ['e1', 'e2', 'e3', 'w1'].map((n) => `wrote ${join(w.out, `${n}.ign`)}\n`).join(''));
    assert.equal(c.out.stderr, '');
  });
  test('clc: <node>.clc.yaml, then the ct command line for each, quoted for a shell', async () => {
    const w = workspace(THREE_ETCD);
    const out = join(w.dir, 'with space');
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'clc', out, node: ['w1'] }, c.io), 0);
    assert.deepEqual(readdirSync(out), ['w1.clc.yaml']);
    assert.equal(c.out.stdout, `wrote ${join(out, 'w1.clc.yaml')}\nnext, transpile each with ct:\n  ct -in-file '${out}/w1.clc.yaml' -out-file '${out}/w1.ign'\n`);
  });
  test('--node takes names and roles; an unknown one is a usage error naming --node', async () => {
    const w = workspace(THREE_ETCD);
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out, node: ['master', 'w1'] }, capture().io), 0);
    assert.deepEqual(readdirSync(w.out).sort(), ['e1.ign', 'w1.ign']);
    await assert.rejects(renderCommand({ inventory: w.file, format: 'ignition', out: w.out, node: ['nope'] }, capture().io), (e: unknown) => e instanceof UserError && /^--node nope: no node or role/.test(e.message));
  });
  test('an inventory lint rejects: exit 2, its problems on stderr, no directory made', async () => {
    const w = workspace(THREE_ETCD.replace('network: 10.1.0.0/16', 'network: 198.18.0.0/15'));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, c.io), 2);
    assert.equal(existsSync(w.out), false);
    assert.match(c.out.stderr, /^render: .*inventory\.yaml does not pass `clusterctl lint`; nothing written\n.*inventory\.yaml:\d+: nodes\[0\]\.network\.address: address 198\.18\.1\.11\/24 .* overlaps the flannel Network/);
    assert.equal(c.out.stdout, '');
  });
  test('an inventory render cannot use: exit 2 with file:line: path, nothing written', async () => {
    const w = workspace(THREE_ETCD.replace('host: 198.18.1.13', 'host: e3.lab.test'));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'clc', out: w.out }, c.io), 2);
    assert.equal(existsSync(w.out), false);
    const line = THREE_ETCD.split('\n').findIndex((l) => l.includes('host: 198.18.1.13')) + 1;
    assert.match(c.out.stderr, new RegExp(`inventory\\.yaml:${line}: nodes\\[2\\]\\.host: etcd binds to an IP address`));
  });
  test('sshAuthorizedKeysFile is read at render time, relative to the inventory; its keys follow the inline ones', async () => {
    const w = workspace(THREE_ETCD.replace('    sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyTwo000000000000000000000000000000 two@test"]\n', '    sshAuthorizedKeysFile: keys/w1.pub\n'));
    mkdirSync(join(w.dir, 'keys'));
    writeFileSync(join(w.dir, 'keys/w1.pub'), `# w1\n${ed25519Line('file')}\n`);
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out, node: ['w1'] }, capture().io), 0);
    const ign = JSON.parse(readFileSync(join(w.out, 'w1.ign'), 'utf8')) as { passwd: { users: { sshAuthorizedKeys: string[] }[] } };
    // The node sets only the file: the inline keys of defaults: still apply (each field inherits on its own).
    assert.deepEqual(ign.passwd.users[0]?.sshAuthorizedKeys, ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOne000000000000000000000000000000 one@test', ed25519Line('file')]);
  });
  test('a key file that cannot be read is a usage error naming the node and the file', async () => {
    const w = workspace(THREE_ETCD.replace('defaults:\n', 'defaults:\n  sshAuthorizedKeysFile: missing.pub\n'));
    await assert.rejects(renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, capture().io), (e: unknown) => e instanceof UserError && e.message.includes(`sshAuthorizedKeysFile of e1`) && e.message.includes(join(w.dir, 'missing.pub')) && e.message.includes('ENOENT'));
    assert.equal(existsSync(w.out), false);
  });
  test('sshAuthorizedKeysFile naming a private key (.pub left off): exit 2, file and line named, nothing written, no key material on stderr', async () => {
    const key = sshKeygen('ed25519');
    const w = workspace(THREE_ETCD.replace('defaults:\n', `defaults:\n  sshAuthorizedKeysFile: ${key.private}\n`));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, c.io), 2);
    assert.equal(existsSync(w.out), false);
    assert.equal(c.out.stderr, `render: ${key.private} (sshAuthorizedKeysFile of e1) holds more than public keys; nothing written\n${key.private}:1: a private key (BEGIN OPENSSH PRIVATE KEY): give the public key, the .pub file beside it\n1 problem in ${key.private}\n`);
    assert.equal(c.out.stdout, '');
  });
  test('a key file line that is not a public key: exit 2 naming file and line', async () => {
    const w = workspace(THREE_ETCD.replace('defaults:\n', 'defaults:\n  sshAuthorizedKeysFile: keys.txt\n'));
    writeFileSync(join(w.dir, 'keys.txt'), `${ed25519Line('a')}\n\nssh-rsa AAAA\n`);
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'clc', out: w.out }, c.io), 2);
    assert.match(c.out.stderr, new RegExp(`\n${join(w.dir, 'keys.txt')}:3: the key after ssh-rsa is not a ssh-rsa public key: it is cut short\n`));
    assert.equal(existsSync(w.out), false);
  });
  test('an inline private key line or a bad inline key: exit 2, the field path and line where it is written', async () => {
    const w = workspace(THREE_ETCD.replace(/^( {2}sshAuthorizedKeys: ).*$/m, '$1["-----BEGIN OPENSSH PRIVATE KEY-----"]').replace('sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyTwo000000000000000000000000000000 two@test"]', 'sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyTwo two@test"]'));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, c.io), 2);
    assert.equal(existsSync(w.out), false);
    const lines = readFileSync(w.file, 'utf8').split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    assert.match(c.out.stderr, new RegExp(`inventory\\.yaml:${at('BEGIN OPENSSH')}: defaults\\.sshAuthorizedKeys\\[0\\]: a private key \\(BEGIN OPENSSH PRIVATE KEY\\)`));
    assert.match(c.out.stderr, new RegExp(`inventory\\.yaml:${at('FixtureKeyTwo two')}: nodes\\[3\\]\\.sshAuthorizedKeys\\[0\\]: the key after ssh-ed25519 is not base64`));
  });
  test('the built CLI on a private key file: exit 2, no key material anywhere', async () => {
    const key = sshKeygen('ed25519');
    const w = workspace(THREE_ETCD.replace('defaults:\n', `defaults:\n  sshAuthorizedKeysFile: ${key.private}\n`));
    const r = await runCli(['render', '-i', w.file, '--out', w.out]);
    assert.equal(r.code, 2);
    assert.equal(existsSync(w.out), false);
    const body = readFileSync(key.private, 'utf8').split('\n')[1] ?? '';
    assert.ok(body.length > 20 && !r.stderr.includes(body.slice(0, 20)) && !r.stdout.includes(body.slice(0, 20)));
    assert.match(r.stderr, /:1: a private key \(BEGIN OPENSSH PRIVATE KEY\)/);
  });
  test('a symlink planted at the old temporary name (<file>.tmp-<pid>) is not followed', async () => {
    const w = workspace(THREE_ETCD);
    mkdirSync(w.out);
    const victim = join(w.dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(w.out, `e1.ign.tmp-${process.pid}`));
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out, node: ['e1'] }, capture().io), 0);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.equal(lstatSync(join(w.out, 'e1.ign')).isFile(), true);
    assert.equal((JSON.parse(readFileSync(join(w.out, 'e1.ign'), 'utf8')) as { ignition: { version: string } }).ignition.version, '3.3.0');
    assert.equal(statSync(join(w.out, 'e1.ign')).mode & 0o777, 0o600);
  });
  test('node names that differ only in case (one file on a case-insensitive filesystem): exit 2 naming both, nothing written', async () => {
    const w = workspace(THREE_ETCD.replace('- name: w1', '- name: E1'));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out }, c.io), 2);
    assert.equal(existsSync(w.out), false);
    assert.match(c.out.stderr, /inventory\.yaml:\d+: nodes\[3\]\.name: 'E1' differs from nodes\[0\]\.name 'e1' only in case: render writes E1\.ign and e1\.ign/);
  });
  test('a node with no key gets a note on stderr, and its config all the same', async () => {
    const w = workspace(THREE_ETCD.replace(/^defaults:\n {2}sshAuthorizedKeys: .*\n/m, ''));
    const c = capture();
    assert.equal(await renderCommand({ inventory: w.file, format: 'ignition', out: w.out, node: ['e2'] }, c.io), 0);
    assert.equal(c.out.stderr, 'note: e2 gets no SSH key (set sshAuthorizedKeys or sshAuthorizedKeysFile), so clusterctl cannot log in as core unless the key comes from elsewhere\n');
    assert.equal((JSON.parse(readFileSync(join(w.out, 'e2.ign'), 'utf8')) as { passwd?: unknown }).passwd, undefined);
  });
  test('the built CLI: render is registered, exit 0, and exit 2 for a rejected inventory', async () => {
    const w = workspace(THREE_ETCD);
    const ok = await runCli(['render', '-i', w.file, '--out', w.out, '--format', 'clc']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readdirSync(w.out).length, 4);
    const bad = workspace('nodes: []\n');
    const r = await runCli(['render', '-i', bad.file, '--out', bad.out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not pass `clusterctl lint`/);
    const bu = await runCli(['render', '-i', w.file, '--out', w.out, '--format', 'butane']);
    assert.equal(bu.code, 0, bu.stderr);
    assert.equal(readdirSync(w.out).filter((f) => f.endsWith('.bu')).length, 4);
    const usage = await runCli(['render', '-i', w.file, '--out', w.out, '--format', 'json']);
    assert.equal(usage.code, 2);
  });
});
