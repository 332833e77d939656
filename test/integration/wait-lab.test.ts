import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { BIN, runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, lab, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';

const NODES = 3;
// The checks this suite is about (the base probe's); etcd and flannel have their own suites and
// lab options, and a default lab runs neither.
const ONLY = ['--only', 'hostname,net'];

// sshd logs (LogLevel VERBOSE) every accepted login and every command it starts: how often
// clusterctl connected to node i, and how many commands it ran there.
const sshdLines = (i: number, text: string) => {
  const log = join(LAB_STATE, 'nodes', String(i), 'sshd.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes(text)).length : 0;
};
const logins = (i: number) => sshdLines(i, 'Accepted publickey');
const commands = (i: number) => sshdLines(i, 'Starting session: command');

// The built CLI, with a hook on each stderr line so the test can act when an attempt is reported.
function runWatching(args: string[], onLine: (line: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('verify --wait, --junit and --only on the real lab', { skip: labSkip }, () => {
  before(async () => {
    await lab('up', String(NODES));
  });
  after(async () => {
    await lab('down');
  });

  test('--wait converges when the fault is repaired mid-run, over the connection and the probe session each node already has', async () => {
    await lab('fault', 'route', '2');
    const before = [1, 2, 3].map(logins);
    const ran = [1, 2, 3].map(commands);
    let repaired: Promise<string> | null = null;
    try {
      const r = await runWatching(['verify', '-i', LAB_INVENTORY, ...ONLY, '--json', '--wait', '30s'], (line) => {
        // Repair once the second attempt has also seen the fault: a real mid-run repair.
        if (line.startsWith('--wait: attempt 2:') && !repaired) repaired = lab('repair', '2');
      });
      await repaired;
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(report.ok, true);
      assert.ok((report.attempts ?? 0) >= 3, `attempts ${report.attempts}`);
      assert.match(r.stderr, /^--wait: attempt 1: 1 node failing \(lab-node-2: net\.route\); next attempt in 1s, (30|29)s left$/m);
      assert.match(r.stderr, new RegExp(`^--wait: attempt ${report.attempts}: every check passes$`, 'm'));
      const route = report.nodes[1]?.checks.find((c) => c.id === 'net.route');
      assert.deepEqual([route?.status, route?.actual], ['pass', '198.19.45.0/24 via 198.18.0.124 dev eth0']);
      const delta = [1, 2, 3].map((i, k) => logins(i) - (before[k] as number));
      assert.deepEqual(delta, [1, 1, 1], 'one login per node: the connection is kept from attempt to attempt');
      // One SSH session per node for the whole run: each attempt is a request to the probe's
      // session, not a new command (which nodes are asked again: test/unit/run/until.test.ts).
      const sessions = [1, 2, 3].map((i, k) => commands(i) - (ran[k] as number));
      assert.deepEqual(sessions, [1, 1, 1], `sessions per node during the run: ${sessions}`);
    } finally {
      await repaired;
      await lab('repair', '2');
    }
  });

  test('--wait with no repair: exit 1 after the deadline, the last results shown, JUnit file written', async () => {
    await lab('fault', 'route', '2');
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-junit-'));
    const junit = join(dir, 'report.xml');
    try {
      const r = await runCli(['verify', '-i', LAB_INVENTORY, ...ONLY, '--wait', '3s', '--junit', junit]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /FAIL\s+lab-node-2 net\.route: .*expected 198\.19\.45\.0\/24 via 198\.18\.0\.124/);
      assert.match(r.stdout, /^--wait: still failing after \d+ attempts in [\d.]+s \(--wait 3s\); the results above are from the last attempt$/m);
      assert.match(r.stderr, /^--wait: attempt \d+: 1 node failing \(lab-node-2: net\.route\); out of time \(--wait 3s\)$/m);
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(readFileSync(junit, 'utf8')) as {
        testsuites: { testsuite: { name: string; failures: string; testcase: { name: string; failure?: { message: string } }[] }[] };
      };
      const suites = xml.testsuites.testsuite;
      assert.deepEqual(suites.map((s) => s.name), [1, 2, 3].map(nodeName));
      assert.deepEqual(suites.map((s) => s.failures), ['0', '1', '0']);
      const failed = suites[1]?.testcase.filter((c) => c.failure).map((c) => c.name);
      assert.deepEqual(failed, ['net.route']);
    } finally {
      await lab('repair', '2');
    }
  });

  test('--only net reports ssh and the net.* checks only; --skip net.route passes despite the route fault', async () => {
    const only = (await verifyJson(['--only', 'net'])).report;
    for (const n of only.nodes) assert.deepEqual(n.checks.map((c) => c.id), ['ssh', 'net.address', 'net.gateway', 'net.dns', 'net.route']);
    await lab('fault', 'route', '3');
    try {
      const skipped = await runCli(['verify', '-i', LAB_INVENTORY, '--json', '--only', 'net', '--skip', 'net.route']);
      assert.equal(skipped.code, 0, skipped.stdout);
      const failing = await runCli(['verify', '-i', LAB_INVENTORY, '--json', '--only', 'net.route']);
      assert.equal(failing.code, 1);
    } finally {
      await lab('repair', '3');
    }
  });
});
