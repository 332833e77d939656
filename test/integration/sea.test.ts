import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { makePki, startFakeApi, writeKubeconfig } from '../fixtures/kube/api-server.js';
import { runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, labSkip, nodeName } from '../helpers/lab.js';
import { etcdLab } from '../fixtures/etcd/lab.js';
import type { JsonReport } from '../helpers/report.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'inventory.example.yaml');

// The single executable (npm run build:sea), copied alone into an empty directory and run with
// only that directory on PATH: no node, no node_modules, nothing of the checkout beside it.
describe('the single executable, alone in an empty directory, on the demo lab (etcd, flannel)', { skip: labSkip }, () => {
  let dir = '';
  const sea = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const r = await run('./clusterctl', args, { cwd: dir, env: { HOME: process.env.HOME ?? '/root', PATH: dir }, maxBuffer: 16 << 20 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  before(async () => {
    await run(process.execPath, ['scripts/sea.mjs'], { cwd: ROOT, maxBuffer: 16 << 20 });
    dir = mkdtempSync(join(tmpdir(), 'clusterctl-sea-'));
    copyFileSync(join(ROOT, 'dist/sea/clusterctl-linux-x64'), join(dir, 'clusterctl'));
    await run('chmod', ['755', join(dir, 'clusterctl')]);
    await etcdLab(['up', '3'], { LAB_ETCD: 'single', LAB_FLANNEL: '1' });
  });
  after(async () => {
    await etcdLab(['down']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the directory holds the executable only, and its PATH finds no node', async () => {
    assert.deepEqual(readdirSync(dir), ['clusterctl']);
    await assert.rejects(run('/bin/sh', ['-c', 'command -v node'], { env: { PATH: dir } }));
  });

  test('--version: the version and commit the npm build prints too', async () => {
    const r = await sea('--version');
    const npm = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n$/);
    assert.equal(r.stdout, npm.stdout);
  });

  test('verify: every check passes on every node (ssh2 without its native binding), nothing on stderr', async () => {
    const r = await sea('verify', '-i', LAB_INVENTORY, '--json');
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.nodes.map((n) => n.name), [1, 2, 3].map(nodeName));
    const failing = report.nodes.flatMap((n) => n.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${n.name} ${c.id}`));
    assert.deepEqual(failing, []);
    // SSH, the etcd member (node 1) and flannel's reach of it: each needs ssh2's transport.
    const passed = (id: string) => report.nodes.filter((n) => n.checks.some((c) => c.id === id && c.status === 'pass')).map((n) => n.name);
    assert.deepEqual([passed('ssh'), passed('etcd.health'), passed('flannel.etcd-reach')], [[1, 2, 3].map(nodeName), [nodeName(1)], [1, 2, 3].map(nodeName)]);
    assert.equal(r.code, 0);
  });

  test('smoke-etcd: every step passes on the etcd node and it cleans up', async () => {
    const r = await sea('smoke-etcd', '-i', LAB_INVENTORY, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as { ok: boolean; nodes: { name: string; cleanedUp: boolean }[] };
    assert.deepEqual([report.ok, report.nodes.map((n) => [n.name, n.cleanedUp])], [true, [[nodeName(1), true]]]);
  });

  test('the Kubernetes API read: @kubernetes/client-node inside the executable, against a TLS API server on 127.0.0.1', async () => {
    const fixture = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/kube', name), 'utf8'));
    const pki = makePki();
    const api = await startFakeApi(pki, fixture('nodes-v1.20.json'), fixture('version-v1.20.json'));
    try {
      // The lab's inventory with cluster.kubernetes: its nodes are masters and workers, so verify
      // reads the API (the Nodes, /version) once, with the kubeconfig's client certificate.
      const doc = parseDocument(readFileSync(LAB_INVENTORY, 'utf8'));
      doc.setIn(['cluster', 'kubernetes'], { kubeconfig: writeKubeconfig(pki, 'admin.kubeconfig', api.url, 'ca.crt', { cert: 'admin' }) });
      const inv = join(pki.dir, 'inventory.yaml');
      writeFileSync(inv, doc.toString());
      const r = await sea('verify', '-i', inv, '--json', '--only', 'kube.nodes,kube.node');
      assert.deepEqual(api.requests.map((q) => `${q.user} ${q.path}`).sort(), ['admin /api/v1/nodes', 'admin /version'], r.stdout + r.stderr);
      // The fake API's Nodes are m1 and w1, not the lab's: kube.node says so for each lab node.
      const report = JSON.parse(r.stdout) as JsonReport;
      const messages = report.nodes.flatMap((n) => n.checks.filter((c) => c.id === 'kube.node').map((c) => c.message ?? ''));
      assert.equal(messages.length, 3);
      assert.ok(messages.every((m) => /lab-node-\d/.test(m)), messages.join('\n'));
    } finally {
      await api.close();
      pki.cleanup();
    }
  });

  test('lint inventory.example.yaml: no problems', async () => {
    const r = await sea('lint', '-i', EXAMPLE);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${EXAMPLE}: no problems\n`);
  });
});
