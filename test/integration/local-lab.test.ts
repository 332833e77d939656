import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BIN } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, lab, labSkip } from '../helpers/lab.js';
import type { JsonReport } from '../helpers/report.js';

const run = promisify(execFile);

// The built CLI inside node 1's namespaces (network, UTS, mount: its eth0, routes, hostname,
// /etc files): what a systemd unit on the node itself would see. No SSH is involved.
async function onNode1(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const pid = readFileSync(join(LAB_STATE, 'nodes', '1', 'sshd.pid'), 'utf8').trim();
  try {
    const { stdout, stderr } = await run('nsenter', ['-t', pid, '-n', '-u', '-m', process.execPath, BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('--local inside a lab node', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', '2');
  });
  after(async () => {
    await lab('down');
  });

  test('verify --local --node lab-node-1 passes, with the node\'s own values; ssh is skipped, not faked', async () => {
    const r = await onNode1('verify', '--local', '--node', 'lab-node-1', '-i', LAB_INVENTORY, '--only', 'hostname,net', '--json');
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(report.nodes.map((n) => n.name), ['lab-node-1']);
    const checks = report.nodes[0]?.checks ?? [];
    assert.equal(checks.find((c) => c.id === 'ssh')?.status, 'skip');
    assert.deepEqual(checks.filter((c) => c.id !== 'ssh' && c.status !== 'pass' && c.status !== 'skip').map((c) => c.id), []);
    assert.equal(checks.find((c) => c.id === 'hostname')?.actual, 'lab-node-1');
    assert.match(checks.find((c) => c.id === 'net.address')?.actual ?? '', /198\.18\.1\.11\/16/);
  });

  test('without --node the node is found by hostname; a fault on it fails there', async () => {
    await lab('fault', 'dns', '1');
    try {
      const r = await onNode1('verify', '--local', '-i', LAB_INVENTORY, '--only', 'hostname,net');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /FAIL\s+lab-node-1 net\.dns: /);
      assert.match(r.stdout, /SKIP\s+lab-node-1 ssh: not used: --local runs the probe on this machine/);
    } finally {
      await lab('repair', '1');
    }
  });

  test('facts --local prints node 1\'s facts', async () => {
    const r = await onNode1('facts', '--local', '-i', LAB_INVENTORY);
    // Every fact in one shape: { ok: value } here.
    const out = JSON.parse(r.stdout) as { nodes: { name: string; facts: { hostname: { ok: string }; resolv: { ok: { nameservers: string[] } } } }[] };
    assert.equal(r.code, 0, r.stderr);
    assert.equal(out.nodes[0]?.name, 'lab-node-1');
    assert.deepEqual(out.nodes[0]?.facts.hostname, { ok: 'lab-node-1' });
    assert.deepEqual(out.nodes[0]?.facts.resolv.ok.nameservers, ['198.18.0.1', '198.18.0.2']);
  });
});
