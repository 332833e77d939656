import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runChecks } from '../../../src/checks/index.js';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import { parseFlat } from '../../helpers/legacy-facts.js';
import { buildProbe, formatBytes, probeFor, PROBE } from '../../../src/facts/probe.js';
import { framePart } from '../../../src/util/frames.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { withNonce } from '../../../src/util/frame-shell.js';
import { inventory, node } from '../../fixtures/facts/builders.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { runIn, SHELLS } from '../../helpers/shells.js';

const failed = (name: string, body = '') => framePart(TEST_NONCE, name, 1, body, ' fmt=text');

// The probe's output for a healthy node (node()), with one section replaced.
function probe(over: Record<string, string> = {}): string {
  const ok = (name: string, body: string, fmt = 'text') => framePart(TEST_NONCE, name, 0, body, ` fmt=${fmt}`);
  const sections: Record<string, string> = {
    hostname: ok('hostname', 'lab-node-1'),
    'hostname.file': ok('hostname.file', 'lab-node-1'),
    addresses: ok('addresses', JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '198.18.1.11', prefixlen: 24 }] }]), 'json'),
    routes: ok('routes', JSON.stringify([{ dst: 'default', gateway: '198.18.1.1', dev: 'eth0' }, { dst: '198.19.45.0/24', gateway: '198.18.1.254', dev: 'eth0' }]), 'json'),
    resolv: ok('resolv', 'nameserver 198.18.0.1\nnameserver 198.18.0.2'),
    'flannel.env': failed('flannel.env', 'cat: /run/flannel/subnet.env: No such file or directory'),
    links: ok('links', JSON.stringify([{ ifname: 'eth0', flags: ['UP'], operstate: 'UP' }]), 'json'),
    init: ok('init', 'systemd'),
    units: ok('units', 'sshd.service loaded active running OpenSSH'),
    'unit-files': ok('unit-files', 'sshd.service enabled enabled'),
    'units.failed': ok('units.failed', ''),
    'resolv.resolved': failed('resolv.resolved', 'cat: /run/systemd/resolve/resolv.conf: No such file or directory'),
    'ignition.result': failed('ignition.result', 'cat: /etc/.ignition-result.json: No such file or directory'),
    'flannel.unit': failed('flannel.unit'),
    'flanneld.version': failed('flanneld.version'),
    'etcdctl.version': ok('etcdctl.version', 'etcdctl version: 3.4.23\nAPI version: 3.4'),
    'kube.procs': ok('kube.procs', ''),
    'kube.units': ok('kube.units', ''),
    cni: failed('cni'),
    ...over,
  };
  return `${Object.values(sections).join('')}${framePart(TEST_NONCE, 'done', 0, '')}`;
}

const statuses = (stdout: string) => Object.fromEntries(runChecks(node(), parseFacts(stdout, TEST_NONCE), { inventory: inventory([node()]) }).map((r) => [r.id, r.status]));

describe('per-section budgets: an over-long section blinds only the checks that read it', () => {
  test('a 66 MiB /etc/hostname: hostname.file errors saying how big it is; every other check still runs', () => {
    const out = probe({ 'hostname.file': framePart(TEST_NONCE, 'hostname.file', 0, '', ' fmt=text cut=69206016') });
    const facts = parseFacts(out, TEST_NONCE);
    assert.equal(parseFlat(out).hostnameFile, null);
    assert.deepEqual(parseFlat(out).problems, ['hostname.file: /etc/hostname is 66 MiB, more than the probe reads of it (256 bytes): not read']);
    const r = runChecks(node(), facts, { inventory: inventory([node()]) });
    const file = r.find((x) => x.id === 'hostname.file');
    assert.equal(file?.status, 'error');
    assert.match(file?.message ?? '', /\/etc\/hostname is 66 MiB/);
    assert.deepEqual(Object.entries(statuses(out)).filter(([, s]) => s !== 'pass' && s !== 'skip'), [['hostname.file', 'error']]);
  });

  test('a cut command output names the command and the budget', () => {
    const facts = parseFlat(probe({ addresses: framePart(TEST_NONCE, 'addresses', 0, '', ' fmt=json cut=?') }));
    assert.deepEqual(facts.problems, ['addresses: `ip -j addr show` printed more than the probe reads of it (1 MiB): not read']);
    assert.equal(facts.addresses, null);
    assert.notEqual(facts.routes, null);
  });

  test('a cut file of unknown size (a device, a /proc file) says it holds more', () => {
    const facts = parseFlat(probe({ resolv: framePart(TEST_NONCE, 'resolv', 0, '', ' fmt=text cut=0') }));
    assert.deepEqual(facts.problems, ['resolv: /etc/resolv.conf holds more than the probe reads of it (16 KiB): not read']);
  });

  test('formatBytes', () => {
    assert.deepEqual([1, 256, 1024, 16384, 1536, 69206016, 3 * 1024 ** 3].map(formatBytes), ['1 byte', '256 bytes', '1 KiB', '16 KiB', '1.5 KiB', '66 MiB', '3 GiB']);
  });

  test('the real probe over a 66 MiB /etc/hostname stays small, and only that section is cut', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclhuge-'));
    writeFileSync(join(dir, 'hostname'), Buffer.alloc(66 * 1024 * 1024, 'a'));
    const script = PROBE.replace(/\/etc\/hostname/g, join(dir, 'hostname'));
    for (const sh of SHELLS) {
      const out = runIn(sh, script);
      const sections = sectionsOf(out);
      // This machine's own interfaces (a 200-node lab puts 200 veths here) are not the test's business.
      const ip = ['addresses', 'routes', 'links'].reduce((n, k) => n + (sections.get(k)?.body.length ?? 0), 0);
      assert.ok(out.length - ip < 64 * 1024, `${sh.name}: probe printed ${out.length} bytes, ${ip} of them ip's`);
      const cut = [...sections].filter(([, s]) => s.cut).map(([n, s]) => [n, s.cut?.size]);
      assert.deepEqual(cut, [['hostname.file', 66 * 1024 * 1024]], sh.name);
    }
  });
});

describe('reading root-only files: a hint without become, sudo -n with it', () => {
  test('permission denied names the file and suggests become: sudo', () => {
    const facts = parseFlat(probe({ resolv: failed('resolv', 'cat: /etc/resolv.conf: Permission denied') }));
    assert.deepEqual(facts.problems, ['resolv: `cat /etc/resolv.conf` failed (rc=1): cat: /etc/resolv.conf: Permission denied; the SSH user may not read it: set become: sudo for this node (with a NOPASSWD sudo rule, see docs/trust.md)']);
  });

  test('sudo refusing (become: sudo) says so and how to fix it', () => {
    const facts = parseFlat(probe({ resolv: failed('resolv', 'sudo: a password is required') }));
    assert.match(facts.problems[0] ?? '', /^resolv: `cat \/etc\/resolv\.conf` failed \(rc=1\): sudo: a password is required; sudo refused `sudo -n -- cat \/etc\/resolv\.conf`: add a NOPASSWD rule for the SSH user .*, or set become: none$/);
  });

  // Root can read everything: the probe runs as nobody here, with a stand-in sudo that reads the
  // file the way root would (and logs that it was asked).
  const canRunAsNobody = process.getuid?.() === 0;
  test('with become: sudo only the unreadable file goes through `sudo -n -- cat`; without, none does', { skip: canRunAsNobody ? false : 'needs root to run the probe as nobody' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclsudo-'));
    chmodSync(dir, 0o755);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'secret'), 'root only\n', { mode: 0o600 });
    writeFileSync(join(dir, 'open'), 'anyone\n', { mode: 0o644 });
    writeFileSync(join(bin, 'sudo'), `#!/bin/sh\necho "sudo $*" >> ${dir}/sudo.log\n[ "$1 $2 $3" = "-n -- cat" ] && [ "$4" = ${dir}/secret ] && { echo 'root only (via sudo)'; exit 0; }\necho 'sudo: a password is required' >&2; exit 1\n`, { mode: 0o755 });
    chmodSync(join(bin, 'sudo'), 0o755);
    writeFileSync(join(dir, 'sudo.log'), '', { mode: 0o666 });
    chmodSync(join(dir, 'sudo.log'), 0o666);
    for (const tool of ['head', 'cat', 'stat', 'rm']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const file = (name: string) => ({ name, file: join(dir, name), budget: 100, attempts: [{ fmt: 'text' as const, cmd: `cat ${join(dir, name)}` }] });
    const script = buildProbe([file('secret'), file('open'), file('gone')]);
    const log = () => execFileSync('cat', [join(dir, 'sudo.log')], { encoding: 'utf8' });
    // bash reads files with a builtin; dash (no bash on this PATH) runs cat.
    for (const sh of ['/bin/bash', '/bin/dash']) {
      writeFileSync(join(dir, 'sudo.log'), '');
      const run = (s: string) => sectionsOf(execFileSync('runuser', ['-u', 'nobody', '--', sh, '-c', withNonce(TEST_NONCE, `PATH=${bin}; ${s}`)], { encoding: 'utf8' }));
      const plain = run(script);
      assert.deepEqual(plain.get('secret'), { rc: 1, fmt: 'text', body: `cat: ${join(dir, 'secret')}: Permission denied` }, sh);
      assert.equal(log(), '', `${sh}: become: none never runs sudo`);
      const sudo = run(`clusterctl_become=sudo\n${script}`);
      assert.deepEqual(sudo.get('secret'), { rc: 0, fmt: 'text', body: 'root only (via sudo)' }, sh);
      assert.deepEqual(sudo.get('open'), { rc: 0, fmt: 'text', body: 'anyone' }, sh);
      assert.deepEqual(sudo.get('gone'), { rc: 1, fmt: 'text', body: `cat: ${join(dir, 'gone')}: No such file or directory` }, sh);
      assert.equal(log(), `sudo -n -- cat ${join(dir, 'secret')}\n`, sh);
    }
  });

  test('probeFor: the one constant probe, with a constant first line for become: sudo', () => {
    assert.equal(probeFor('none'), PROBE);
    assert.equal(probeFor('sudo'), `clusterctl_become=sudo\n${PROBE}`);
  });
});
