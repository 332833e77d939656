// clusterctl serve against the real lab, scraped by a real Prometheus (Debian's prometheus,
// bound to 127.0.0.1, its data in a temporary directory) and looked at by a real headless
// Chromium (Debian's chromium, background networking off: it talks to nothing but the page).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BIN } from '../helpers/cli.js';
import { fileURLToPath } from 'node:url';
import { LAB_INVENTORY, lab, labSkip } from '../helpers/lab.js';

const sh = promisify(execFile);
const NODES = 3;
const INTERVAL_S = 2;
const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const CHROMIUM = '/usr/bin/chromium';
const missing = [PROMETHEUS, PROMTOOL, CHROMIUM].filter((p) => !existsSync(p));
const skip = labSkip || (missing.length ? `${missing.join(', ')} not installed (Debian's prometheus and chromium: .ci/run installs them)` : false);

// A free port on 127.0.0.1.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<{ value: T; after: number }> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return { value: v, after: Date.now() - start };
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms${last ? ` (last: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Established connections to each node's sshd, counted by the kernel in the node's namespace.
async function sshdConnections(): Promise<number[]> {
  return Promise.all(
    Array.from({ length: NODES }, async (_, i) => {
      const { stdout } = await sh('ip', ['netns', 'exec', `ccl-${i + 1}`, 'ss', '-Htn', 'state', 'established', '( sport = :22 )']);
      return stdout.split('\n').filter((l) => l.trim()).length;
    }),
  );
}

describe('serve on the lab, scraped by Prometheus, viewed in Chromium', { skip }, () => {
  let serve: ChildProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let serveErr = '';
  let base = '';
  let promBase = '';
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-serve-'));

  before(async () => {
    await lab('up', String(NODES));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    serve = spawn(process.execPath, [BIN, 'serve', '-i', LAB_INVENTORY, '--listen', `127.0.0.1:${port}`, '--interval', `${INTERVAL_S}s`], { stdio: ['ignore', 'ignore', 'pipe'] });
    serve.stderr?.on('data', (d: Buffer) => (serveErr += d.toString()));
    const promPort = await freePort();
    promBase = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: clusterctl\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: 'ignore' });
  });

  after(async () => {
    serve?.kill('SIGKILL');
    prometheus?.kill('SIGTERM');
    await lab('down');
    rmSync(dir, { recursive: true, force: true });
  });

  const healthz = async () => {
    const r = await fetch(`${base}/healthz`);
    return { status: r.status, body: await r.text() };
  };
  const promValue = async (query: string): Promise<string | undefined> => {
    const r = (await (await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data?: { result?: { value: [number, string] }[] } };
    return r.data?.result?.[0]?.value[1];
  };
  const route2 = 'clusterctl_check_status{job="clusterctl",node="lab-node-2",check="net.route"}';

  test('a healthy lab: /healthz 200, Prometheus scrapes every node as passing, promtool accepts /metrics', async () => {
    const ok = await until('/healthz 200', 60_000, async () => ((await healthz()).status === 200 ? true : undefined));
    assert.ok(ok.value, serveErr);
    const v = await until('Prometheus has the series', 60_000, () => promValue(route2));
    assert.equal(v.value, '0');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const check = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile(PROMTOOL, ['check', 'metrics'], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
      child.stdin?.end(metrics);
    });
    assert.deepEqual(check, { code: 0, out: '' });
    assert.ok((await sshdConnections()).every((n) => n <= 1));
  });

  test('a fault on one node: /healthz 503 within two intervals, on that node\'s series in Prometheus, in the page Chromium renders; then its repair', async () => {
    await lab('fault', 'route', '2');
    const down = await until('/healthz 503', 4 * INTERVAL_S * 1000, async () => {
      const h = await healthz();
      return h.status === 503 ? h.body : undefined;
    });
    assert.match(down.value, /^lab-node-2 net\.route: /m);
    assert.doesNotMatch(down.value, /lab-node-[13] /);
    assert.ok(down.after <= 2 * INTERVAL_S * 1000 + 1500, `503 after ${down.after} ms`);
    const failing = await until('Prometheus sees the failure', 30_000, async () => ((await promValue(route2)) === '3' ? true : undefined));
    assert.ok(failing.value);
    assert.equal(await promValue('clusterctl_check_status{job="clusterctl",node="lab-node-1",check="net.route"}'), '0');
    const counts = await sshdConnections();
    assert.ok(counts.every((n) => n <= 1), `sshd connections per node: ${counts.join(', ')}`);

    // Kept after the lab is down (test/lab/.state goes with it), to be looked at.
    const shots = fileURLToPath(new URL('../../.artifacts/', import.meta.url));
    mkdirSync(shots, { recursive: true });
    const shot = join(shots, 'serve-page.png');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'chromium')}`];
    const { stdout: dom } = await sh(CHROMIUM, [...flags, '--dump-dom', `${base}/`], { maxBuffer: 16 * 1024 * 1024 });
    assert.match(dom, /<td class="c fail" title="lab-node-2 net\.route: FAIL since [^"]*" data-node="lab-node-2" data-check="net\.route" data-status="fail">✘<\/td>/);
    assert.match(dom, /<tr data-node="lab-node-2">/);
    await sh(CHROMIUM, [...flags, '--window-size=1400,900', `--screenshot=${shot}`, `${base}/`]);
    assert.ok(existsSync(shot), 'the screenshot is kept');

    await lab('repair', '2');
    const up = await until('/healthz 200 again', 4 * INTERVAL_S * 1000, async () => ((await healthz()).status === 200 ? true : undefined));
    assert.ok(up.after <= 2 * INTERVAL_S * 1000 + 1500, `200 after ${up.after} ms`);
    await until('Prometheus sees the repair', 30_000, async () => ((await promValue(route2)) === '0' ? true : undefined));
  });

  test('SIGTERM: exit 0, and no connection left on any node', async () => {
    const exited = new Promise<number | null>((resolve) => serve?.once('exit', (code) => resolve(code)));
    serve?.kill('SIGTERM');
    assert.equal(await exited, 0, serveErr);
    await until('sshd sees no connection', 10_000, async () => ((await sshdConnections()).every((n) => n === 0) ? true : undefined));
  });
});
