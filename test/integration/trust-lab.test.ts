import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BIN, runCli } from '../helpers/cli.js';
import { LAB, LAB_INVENTORY, LAB_STATE, labSkip, nodeName } from '../helpers/lab.js';
import { verifyJson } from '../helpers/report.js';
import type { JsonReport } from '../helpers/report.js';

const run = promisify(execFile);

// Trust boundaries on the real lab (issue 12): a node's hostile /etc/hostname, a 66 MiB one, and a
// TLS etcd whose client key only root can read, reached through sudo (become).
const labWith = (env: Record<string, string>) => async (...args: string[]) =>
  (await run('bash', [LAB, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 })).stdout;

const statusOf = (report: JsonReport, node: number) => Object.fromEntries((report.nodes.find((n) => n.name === nodeName(node))?.checks ?? []).map((c) => [c.id, c.status]));
const check = (report: JsonReport, node: number, id: string) => report.nodes.find((n) => n.name === nodeName(node))?.checks.find((c) => c.id === id);
const notPassing = (report: JsonReport, node: number) => Object.entries(statusOf(report, node)).filter(([, s]) => s !== 'pass' && s !== 'skip');

// Every byte a terminal acts on, after removing what clusterctl itself may write (chalk's SGR;
// on a terminal, the live area's cursor moves). Returns what is left, or '' when nothing is.
function controlsIn(out: string, allow: RegExp): string {
  const bare = out.replace(allow, '');
  const found = bare.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g) ?? [];
  return found.map((c) => JSON.stringify(c)).join(' ');
}

describe('a hostile /etc/hostname on a real node changes nothing on the operator\'s terminal', { skip: labSkip }, () => {
  const lab = labWith({ LAB_ETCD: 'single', LAB_FLANNEL: '1' });
  before(async () => {
    await lab('up', '3');
  });
  after(async () => {
    await lab('down');
  });

  const hostile = 'evil\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED\rPASS  lab-node-2 hostname.file: /etc/hostname is lab-node-2';
  const shown = 'evil\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED\\rPASS  lab-node-2 hostname.file: /etc/hostname is lab-node-2';

  test('plain lines: the FAIL line shows every escape and the forged PASS visibly, and no control byte is written', async () => {
    await lab('fault', 'hostname-hostile', '2');
    try {
      const r = await runCli(['verify', '-i', LAB_INVENTORY]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(controlsIn(r.stdout, /(?!)/g), '');
      const line = r.stdout.split('\n').find((l) => l.includes('lab-node-2 hostname.file'));
      assert.equal(line, `FAIL  lab-node-2 hostname.file: /etc/hostname says ${shown}, expected lab-node-2`);
      assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('PASS  lab-node-2 hostname.file')).length, 0);

      const colour = await runCli(['verify', '-i', LAB_INVENTORY], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
      assert.match(colour.stdout, /\x1b\[31mFAIL \x1b\[39m lab-node-2 /, 'clusterctl\'s own colours still work');
      assert.equal(controlsIn(colour.stdout, /\x1b\[[0-9;]*m/g), '');
      assert.ok(colour.stdout.includes(shown));

      // JSON keeps the node's exact bytes (JSON escapes them).
      const { report } = await verifyJson();
      assert.equal(check(report, 2, 'hostname.file')?.actual, hostile);
    } finally {
      await lab('repair', '2');
    }
  });

  test('the live tree on a terminal: its cursor moves and chalk\'s colours, nothing from the node', async () => {
    await lab('fault', 'hostname-hostile', '2');
    try {
      const cmd = `stty cols 200 rows 40; ${process.execPath} ${BIN} verify -i ${LAB_INVENTORY}; echo "exit=$?"`;
      const { stdout } = await run('script', ['-qec', cmd, '/dev/null'], { timeout: 60_000, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '1', TERM: 'xterm' } });
      // The pty turns every \n into \r\n; that \r is the terminal's, not the node's.
      const screen = stdout.replace(/\r\n/g, '\n');
      assert.equal(controlsIn(screen, /\x1b\[[0-9;]*m|\x1b\[\d+A\x1b\[J/g), '');
      assert.ok(screen.includes(shown), 'the escapes are shown');
      assert.match(screen, /exit=1/);
    } finally {
      await lab('repair', '2');
    }
  });

  test('a 66 MiB /etc/hostname errors hostname.file only; net.*, flannel.* and service still run on that node', async () => {
    await lab('fault', 'hostname-huge', '2');
    try {
      const { code, report, ms } = await verifyJson();
      assert.equal(code, 1);
      assert.deepEqual(notPassing(report, 2), [['hostname.file', 'error']]);
      assert.equal(check(report, 2, 'hostname.file')?.message, 'Could not check: hostname.file: /etc/hostname is 66 MiB, more than the probe reads of it (256 bytes): not read');
      for (const id of ['hostname', 'net.address', 'net.gateway', 'net.dns', 'net.route', 'flannel.overlap', 'flannel.lease', 'flannel.interface']) assert.equal(statusOf(report, 2)[id], 'pass', id);
      assert.equal(statusOf(report, 2).service, 'skip', 'service ran (and skipped: PID 1 is not systemd in the lab)');
      assert.deepEqual([1, 3].flatMap((i) => notPassing(report, i)), []);
      assert.ok(ms < 30_000, `verify took ${ms} ms`);
    } finally {
      await lab('repair', '2');
    }
  });
});

describe('TLS etcd with a root-only client key: become: sudo works, and everything else fails clearly', { skip: labSkip }, () => {
  const lab = labWith({ LAB_ETCD: 'single', LAB_ETCD_V2: '1', LAB_ETCD_TLS: '1', LAB_FLANNEL: '1' });
  let asUser = '';
  before(async () => {
    await lab('up', '2');
    // The same inventory without become: what a user gets before reading docs/trust.md.
    const inv = readFileSync(LAB_INVENTORY, 'utf8');
    assert.match(inv, /^ {2}become: sudo$/m);
    asUser = join(LAB_STATE, 'inventory-no-become.yaml');
    writeFileSync(asUser, inv.replace(/^ {2}become: sudo$/m, '  become: none'));
  });
  after(async () => {
    await lab('down');
    // The sudoers drop-in goes with the lab.
    await assert.rejects(run('test', ['-e', '/etc/sudoers.d/clusterctl-lab']));
  });

  test('the client key is 0600 root: core cannot read it', async () => {
    const { stdout } = await run('stat', ['-c', '%a %U', join(LAB_STATE, 'etcd-tls', 'client-key.pem')]);
    assert.equal(stdout.trim(), '600 root');
  });

  test('verify: etcd.* and flannel.config pass through sudo', async () => {
    const { code, report, stderr } = await verifyJson();
    assert.equal(code, 0, `${stderr}\n${JSON.stringify(notPassing(report, 1))}`);
    assert.match(check(report, 1, 'etcd.health')?.message ?? '', /^1 endpoint healthy \(v3 endpoint health: https:\/\/127\.0\.0\.1:2379\)$/);
    assert.equal(statusOf(report, 1)['flannel.config'], 'pass');
  });

  test('smoke-etcd and flannel get|set work through sudo', async () => {
    const smoke = await runCli(['smoke-etcd', '-i', LAB_INVENTORY]);
    assert.equal(smoke.code, 0, smoke.stdout + smoke.stderr);
    assert.match(smoke.stdout, /^OK: etcd smoke test on 1 node, 1 passed, 0 failed; nothing left behind/m);
    const get = await runCli(['flannel', 'get', '-i', LAB_INVENTORY]);
    assert.equal(get.code, 0, get.stdout + get.stderr);
    assert.match(get.stdout, /"Network": "198\.19\.128\.0\/17"/);
    const set = await runCli(['flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.19.128.0/17', '--backend', 'vxlan']);
    assert.equal(set.code, 0, set.stdout + set.stderr);
    assert.match(set.stdout, /written and read back \(v3\)/);
  });

  test('without become: each command says which file core may not read, and suggests become: sudo', async () => {
    const hint = /client-key\.pem: permission denied; core may not read it: set become: sudo for this node/;
    const { code, report } = await verifyJson([], { inventory: asUser });
    assert.equal(code, 1);
    assert.deepEqual(notPassing(report, 1), [['etcd.health', 'error'], ['etcd.members', 'error'], ['flannel.config', 'error']]);
    assert.match(check(report, 1, 'etcd.health')?.message ?? '', hint);
    assert.match(check(report, 1, 'flannel.config')?.message ?? '', hint);
    const smoke = await runCli(['smoke-etcd', '-i', asUser]);
    assert.equal(smoke.code, 1);
    assert.match(smoke.stdout, hint);
    const get = await runCli(['flannel', 'get', '-i', asUser]);
    assert.equal(get.code, 1);
    assert.match(get.stdout, hint);
  });

  test('sudo wanting a password: one error naming the node, the command and the fix; nothing prompts', async () => {
    await lab('fault', 'sudo-password', '1');
    try {
      const refused = /sudo refused `sudo -n -- env ETCDCTL_API=3 etcdctl [^`]+` on lab-node-1: sudo: a password is required; add a NOPASSWD rule for core \(sudoers, see docs\/trust\.md\), or set become: none/;
      const { code, report } = await verifyJson();
      assert.equal(code, 1);
      assert.deepEqual(notPassing(report, 1), [['etcd.health', 'error'], ['etcd.members', 'error'], ['flannel.config', 'error']]);
      assert.match(check(report, 1, 'etcd.members')?.message ?? '', refused);
      const smoke = await runCli(['smoke-etcd', '-i', LAB_INVENTORY], { timeoutMs: 60_000 });
      assert.equal(smoke.code, 1);
      assert.match(smoke.stdout, refused);
      // flannel get reads the keyspace the flannels read (v2 here, as flannel.config does).
      const get = await runCli(['flannel', 'get', '-i', LAB_INVENTORY]);
      assert.equal(get.code, 1);
      assert.match(get.stdout, new RegExp(refused.source.replace('ETCDCTL_API=3', 'ETCDCTL_API=2')));
    } finally {
      await lab('repair', '1');
    }
  });

  test('a root-only /etc/resolv.conf: read through sudo with become, a clear hint without', async () => {
    await lab('fault', 'resolv-root-only', '2');
    try {
      const withSudo = await verifyJson();
      assert.deepEqual(notPassing(withSudo.report, 2), []);
      const { report } = await verifyJson([], { inventory: asUser });
      assert.deepEqual(notPassing(report, 2), [['net.dns', 'error']]);
      assert.match(check(report, 2, 'net.dns')?.message ?? '', /cat: \/etc\/resolv\.conf: Permission denied; the SSH user may not read it: set become: sudo/);
    } finally {
      await lab('repair', '2');
    }
  });
});
