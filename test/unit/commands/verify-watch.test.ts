import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROBE } from '../../../src/facts/probe.js';
import { BIN, runCli } from '../../helpers/cli.js';
import { probeOutput } from '../../helpers/fake-transport.js';
import { startTestServer } from '../../helpers/ssh-server.js';
import type { Handler, TestServer } from '../../helpers/ssh-server.js';

// `clusterctl verify --watch` as a user runs it (the built binary, real Node) against an
// in-process SSH server: what it prints, that it keeps one connection, and Ctrl-C.
const NO_IGNITION = { body: 'cat: /etc/.ignition-result.json: No such file or directory', rc: 1 };
const probeSaying = (hostname: string) => probeOutput({ hostname: { body: hostname }, 'hostname.file': { body: hostname }, 'ignition.result': NO_IGNITION });

let server: TestServer;
let inventory = '';
const handlers: Record<string, Handler> = {};

interface Watching {
  lines: () => string[];
  stderr: () => string;
  waitFor: (what: string, ok: (lines: string[]) => boolean) => Promise<void>;
  interrupt: () => Promise<number | null>;
}

function watch(args: string[]): Watching {
  const child = spawn(process.execPath, [BIN, 'verify', '-i', inventory, '--no-ssh-config', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const lines = () => out.split('\n').filter(Boolean);
  return {
    lines,
    stderr: () => err,
    waitFor: async (what, ok) => {
      const end = Date.now() + 30_000;
      while (!ok(lines())) {
        if (Date.now() > end) throw new Error(`not seen: ${what}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    interrupt: async () => {
      child.kill('SIGINT');
      const code = await closed;
      clearTimeout(killer);
      return code;
    },
  };
}

async function noneOpen(): Promise<number> {
  const end = Date.now() + 5000;
  while (server.open > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  return server.open;
}

describe('clusterctl verify --watch (built binary, in-process SSH server)', () => {
  before(async () => {
    handlers[PROBE] = { stdout: probeSaying('srv') };
    server = await startTestServer(handlers);
    inventory = join(server.dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      `nodes:\n  - name: srv\n    host: 127.0.0.1\n    port: ${server.port}\n    hostname: srv\n    roles: [worker]\n    identityFile: ${server.identityFile}\n    knownHostsFile: ${server.knownHostsFile}\n`,
    );
  });
  after(async () => {
    await server.close();
  });

  test('--json: one report per round on one line, over one connection; Ctrl-C exits 130 and closes it', async () => {
    const before = server.connections;
    const w = watch(['--watch', '300ms', '--json']);
    await w.waitFor('three rounds', (l) => l.length >= 3);
    const rounds = w.lines().map((l) => JSON.parse(l) as { round: number; time: string; ok: boolean; nodes: { name: string; checks: { id: string; status: string }[] }[] });
    assert.deepEqual(rounds.slice(0, 3).map((r) => r.round), [1, 2, 3]);
    for (const r of rounds) {
      assert.equal(r.ok, true);
      assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(r.nodes[0]?.checks.find((c) => c.id === 'hostname')?.status, 'pass');
    }
    assert.equal(server.connections - before, 1, 'one connection for every round');
    assert.equal(await w.interrupt(), 130);
    assert.equal(await noneOpen(), 0);
  });

  test('plain: the full report first, then only the changes with the time, and back', async () => {
    const w = watch(['--watch', '300ms']);
    try {
      await w.waitFor('the first report', (l) => l.some((x) => x.startsWith('OK: 1 node')));
      assert.ok(w.lines().some((l) => /^PASS  srv hostname: /.test(l)));
      await w.waitFor('the watching line', () => w.stderr().includes('--watch: every 300ms over one SSH connection per node (1 node)'));
      const first = w.lines().length;
      handlers[PROBE] = { stdout: probeSaying('localhost') };
      await w.waitFor('the change', (l) => l.some((x) => x.includes('PASS → FAIL ')));
      handlers[PROBE] = { stdout: probeSaying('srv') };
      await w.waitFor('the repair', (l) => l.some((x) => x.includes('FAIL → PASS ')));
      const news = w.lines().slice(first);
      assert.match(news[0] ?? '', /^\d\d:\d\d:\d\d PASS → FAIL  srv hostname: hostname is localhost/);
      assert.match(news[1] ?? '', /^\d\d:\d\d:\d\d PASS → FAIL  srv hostname\.file: /);
      assert.match(news[2] ?? '', /^\d\d:\d\d:\d\d NOT OK: 1 node, \d+ passed, 2 failed/);
      assert.match(news[3] ?? '', /^\d\d:\d\d:\d\d FAIL → PASS  srv hostname: /);
      assert.match(news[5] ?? '', /^\d\d:\d\d:\d\d OK: 1 node/);
      assert.equal(news.length, 6, 'rounds without a change print nothing');
    } finally {
      handlers[PROBE] = { stdout: probeSaying('srv') };
      assert.equal(await w.interrupt(), 130);
    }
  });

  test('--watch with --wait is a usage error; a bad interval too', async () => {
    const both = await runCli(['verify', '-i', inventory, '--watch', '--wait', '1m']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--watch runs until Ctrl-C: it cannot be combined with --wait/);
    const bad = await runCli(['verify', '-i', inventory, '--watch', 'often']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--watch takes a duration such as 5m, 90s, 1m30s or 500ms, got 'often'/);
  });
});
