import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { connectSsh, MAX_OUTPUT_BYTES } from '../../../src/transport/ssh.js';
import { startTestServer } from '../../helpers/ssh-server.js';
import type { TestServer } from '../../helpers/ssh-server.js';
import { sshFailure } from '../../helpers/ssh-failure.js';

const big = Buffer.alloc(MAX_OUTPUT_BYTES + 1000, 'x');
let server: TestServer;

function nodeFor(s: TestServer, over: Partial<NodeSpec> = {}): NodeSpec {
  return {
    name: 'n1',
    host: '127.0.0.1',
    port: s.port,
    user: 'core',
    identityFile: s.identityFile,
    knownHostsFile: s.knownHostsFile,
    strictHostKeyChecking: 'yes',
    roles: ['worker'],
    hostname: 'n1',
    become: 'none',
    ...over,
  };
}

const opts = { connectTimeoutMs: 5000, agentSocket: '' };

describe('ssh transport against an in-process ssh2 server', () => {
  before(async () => {
    server = await startTestServer({
      'echo hi': { stdout: 'hi\n' },
      'exit 3': { stderr: 'boom\n', code: 3 },
      'sleep forever': 'hang',
      'flood': { stdout: big },
      'utf8-garbage': { stdout: Buffer.from([0x61, 0xff, 0xfe, 0x62]) },
    });
  });
  after(() => server.close());

  test('key auth, stdout, exit code 0', async () => {
    const t = await connectSsh(nodeFor(server), opts);
    const r = await t.exec('echo hi');
    t.close();
    assert.deepEqual(r, { stdout: 'hi\n', stderr: '', code: 0, timedOut: false });
  });

  test('non-zero exit code and stderr are kept', async () => {
    const t = await connectSsh(nodeFor(server), opts);
    const r = await t.exec('exit 3');
    t.close();
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'boom\n');
  });

  test('a command past its timeout is signalled, its channel closed, and reported timedOut', async () => {
    const t = await connectSsh(nodeFor(server), opts);
    const started = Date.now();
    const r = await t.exec('sleep forever', { timeoutMs: 300 });
    const took = Date.now() - started;
    t.close();
    assert.equal(r.timedOut, true);
    assert.equal(r.code, null);
    assert.ok(took >= 290 && took < 3000, `took ${took} ms`);
    await new Promise((res) => setTimeout(res, 50));
    assert.ok(server.signals.includes('KILL'), `signals seen: ${server.signals.join(',')}`);
  });

  test('output is capped and the cut is said', async () => {
    const t = await connectSsh(nodeFor(server), opts);
    const r = await t.exec('flood');
    t.close();
    assert.equal(r.stdout.length, MAX_OUTPUT_BYTES);
    assert.match(r.stderr, /output cut at 4194304 bytes/);
  });

  test('non-UTF-8 output is decoded with replacement characters, not a crash', async () => {
    const t = await connectSsh(nodeFor(server), opts);
    const r = await t.exec('utf8-garbage');
    t.close();
    assert.equal(r.stdout, 'a\uFFFD\uFFFDb');
  });

  test('an unknown host key fails before anything is executed', async () => {
    const empty = join(server.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const before = server.execs.length;
    const err = await sshFailure(connectSsh(nodeFor(server, { knownHostsFile: empty }), opts));
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`host key for \\[127\\.0\\.0\\.1\\]:${server.port} \\(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\\) is not in ${empty}`));
    assert.equal(server.execs.length, before);
  });

  test('a changed host key names the file and line of the old entry', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519').public.trim().split(/\s+/).slice(0, 2).join(' ');
    const file = join(server.dir, 'changed_known_hosts');
    writeFileSync(file, `# old entry below\n[127.0.0.1]:${server.port} ${other}\n`);
    const err = await sshFailure(connectSsh(nodeFor(server, { knownHostsFile: file }), opts));
    assert.equal(err.kind, 'host-key');
    assert.match(err.message, new RegExp(`HAS CHANGED .* ${file}:2 holds another ssh-ed25519 key`));
  });

  test('strictHostKeyChecking "no" connects without a known_hosts entry and reports the opt-out', async () => {
    const seen: string[] = [];
    const t = await connectSsh(nodeFor(server, { knownHostsFile: join(server.dir, 'missing'), strictHostKeyChecking: 'no' }), {
      ...opts,
      onInsecure: (n) => seen.push(n.name),
    });
    assert.equal((await t.exec('echo hi')).stdout, 'hi\n');
    t.close();
    assert.deepEqual(seen, ['n1']);
  });

  test('a key the server does not accept is an auth failure', async () => {
    const wrong = join(server.dir, 'wrong_key');
    writeFileSync(wrong, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    const err = await sshFailure(connectSsh(nodeFor(server, { identityFile: wrong }), opts));
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /authentication failed/);
  });

  test('a missing identity file says which file', async () => {
    const err = await sshFailure(connectSsh(nodeFor(server, { identityFile: '/nonexistent/id' }), opts));
    assert.equal(err.kind, 'key-file');
    assert.match(err.message, /cannot read identityFile \/nonexistent\/id/);
  });

  test('a closed port is "connection refused"', async () => {
    const probe = await startTestServer({});
    const port = probe.port;
    await probe.close();
    const err = await sshFailure(connectSsh(nodeFor(server, { port }), opts));
    assert.equal(err.kind, 'refused');
    assert.match(err.message, /connection refused/);
  });

  test('an aborted run closes the connection attempt', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await sshFailure(connectSsh(nodeFor(server), { ...opts, signal: controller.signal }));
    assert.equal(err.kind, 'aborted');
  });
});
