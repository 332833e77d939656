import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import { runCli } from '../helpers/cli.js';

// A TCP port that accepts and then says nothing: an SSH handshake there stalls.
let silent: Server;
let silentPort = 0;
let accepted = 0;
const sockets: Socket[] = [];
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-cli-'));

function inventory(body: string): string {
  const file = join(dir, `inv-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, body);
  return file;
}

const node = (port: number, extra = '') => `defaults:
  identityFile: ${join(dir, 'id')}
  knownHostsFile: ${join(dir, 'known_hosts')}
nodes:
  - name: n1
    host: 127.0.0.1
    port: ${port}
    roles: [worker]${extra}
`;

describe('the clusterctl binary (real Node, no lab)', () => {
  before(async () => {
    writeFileSync(join(dir, 'id'), ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    silent = createServer((s) => {
      accepted++;
      sockets.push(s);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as AddressInfo).port;
  });
  after(() => {
    sockets.forEach((s) => s.destroy());
    silent.close();
  });

  test('--help lists verify and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /verify \[options\]/);
  });

  test('a bad inventory exits 2 with every problem, file, field path and line, before any connection', async () => {
    const file = inventory(node(silentPort, '\n    network:\n      interface: eth0\n      adress: 1.2.3.4/24\n  - name: n1\n    host: 127.0.0.1\n    roles: [boss]\n'));
    const before = accepted;
    const r = await runCli(['verify', '-i', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${file}:11: nodes\\[0\\]\\.network\\.adress: unknown key .adress. — did you mean .address.\\?`));
    assert.match(r.stderr, new RegExp(`${file}:14: nodes\\[1\\]\\.roles\\[0\\]: expected one of etcd, master, worker; got 'boss'`));
    assert.match(r.stderr, new RegExp(`${file}:12: nodes\\[1\\]\\.name: 'n1' is already used by nodes\\[0\\]`));
    assert.match(r.stderr, /4 problems in the inventory/);
    assert.equal(r.stdout, '');
    assert.equal(accepted, before, 'no connection may be made for a bad inventory');
  });

  test('a missing inventory file exits 2 and says how to point at one', async () => {
    const r = await runCli(['verify', '-i', join(dir, 'nope.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml/);
    assert.match(r.stderr, /-i|CLUSTERCTL_INVENTORY/);
  });

  test('$CLUSTERCTL_INVENTORY is the default inventory', async () => {
    const r = await runCli(['verify', '--limit', 'nobody'], { env: { CLUSTERCTL_INVENTORY: inventory(node(silentPort)) } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--limit nobody: no node or role of that name \(nodes: n1;/);
  });

  test('bad flag values are usage errors (exit 2)', async () => {
    for (const args of [['verify', '--concurrency', '0'], ['verify', '--connect-timeout', 'soon'], ['verify', '--frobnicate']]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  test('a stalled handshake ends at --connect-timeout as that node\'s ssh failure (exit 1)', async () => {
    const r = await runCli(['verify', '-i', inventory(node(silentPort)), '--json', '--connect-timeout', '0.5']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.nodes[0].checks[0].id, 'ssh');
    assert.equal(report.nodes[0].checks[0].status, 'fail');
    // --retries defaults to 1: a stall is a network failure, tried twice, and the reason says both.
    assert.match(report.nodes[0].checks[0].actual, /TCP connected but the SSH handshake stalled for 0\.5s .*\(after 2 attempts\)/);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });

  // Ctrl-C, a CI job's timeout or timeout(1), a closed terminal: each closes the connections and
  // exits 128 + the signal's number, as a shell reports it (before, SIGTERM and SIGHUP killed
  // clusterctl outright: no cleanup, no exit code).
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`${signal} closes connections and exits ${code}`, async () => {
      const before = accepted;
      // Signal once clusterctl is mid-handshake (the silent server has its connection).
      const r = await runCli(['verify', '-i', inventory(node(silentPort)), '--connect-timeout', '30'], {
        onSpawn: (kill) => {
          const poll = setInterval(() => {
            if (accepted > before) {
              clearInterval(poll);
              kill(signal);
            }
          }, 20);
        },
      });
      assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, signal === 'SIGINT' ? /^interrupted: closing connections$/m : new RegExp(`^stopped by ${signal}.*: closing connections$`, 'm'));
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    });
  }
});
