import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import { parseFlat } from '../../helpers/legacy-facts.js';
import { PROBE } from '../../../src/facts/probe.js';
import { PROBE as OLD_PROBE } from '../../../bench/old-probe.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { oldProbeReply } from '../../helpers/old-probe-reply.js';
import { probeOutput } from '../../helpers/fake-transport.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { runIn, SHELLS } from '../../helpers/shells.js';
import type { Shell } from '../../helpers/shells.js';

// A node's PATH with a stand-in systemctl and journalctl (this machine's PID 1 is not systemd),
// and the real coreutils, sed and sh the probe needs.
function fakeNode(journal: string, unitText?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cclsd-'));
  for (const tool of ['head', 'cut', 'sed', 'hostname', 'rm']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(dir, tool));
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  script(
    'systemctl',
    [
      `echo "$*" >> ${join(dir, 'systemctl.log')}`,
      'case "$*" in',
      '  *--failed*) printf "%s\\n" "● etcd-member.service loaded failed failed etcd" "flanneld.service loaded failed failed flannel" "bogus-line" ;;',
      '  *list-unit-files*) printf "%s\\n" "etcd-member.service enabled disabled" "flanneld.service disabled disabled" ;;',
      ...(unitText === undefined ? [] : [`  *cat*flanneld.service*) cat ${join(dir, 'unit.txt')} ;;`]),
      '  *) exit 1 ;;',
      'esac',
    ].join('\n'),
  );
  // PID 1 is systemd on this stand-in node: its comm file (see run), and for the old probe a cat
  // that says so.
  writeFileSync(join(dir, 'comm'), 'systemd\n');
  const cat = execFileSync('sh', ['-c', 'command -v cat'], { encoding: 'utf8' }).trim();
  script('cat', `[ "$1" = /proc/1/comm ] && { echo systemd; exit 0; }\nexec ${cat} "$@"`);
  writeFileSync(join(dir, 'journal.txt'), journal);
  if (unitText !== undefined) writeFileSync(join(dir, 'unit.txt'), unitText);
  // Like journalctl -n 5: the last five lines; the unit name after -u is checked to be one word.
  script('journalctl', `[ "$1" = -u ] && [ "$#" -ge 2 ] || exit 9\necho "journal of $2"\ntail -n 4 ${join(dir, 'journal.txt')}`);
  symlinkSync(execFileSync('sh', ['-c', 'command -v tail'], { encoding: 'utf8' }).trim(), join(dir, 'tail'));
  return dir;
}

// The probe on the stand-in node, reading PID 1's name from the node's comm file.
const run = (sh: Shell, dir: string) => runIn(sh, PROBE.replaceAll('/proc/1/comm', join(dir, 'comm')), { dir });

for (const sh of SHELLS) describe(`probe under ${sh.name}: systemd sections on a stand-in node`, () => {
  const run1 = (dir: string) => run(sh, dir);
  test('units.failed: each failed service (the "●" column skipped), its last lines, bounded and prefixed', () => {
    const long = 'x'.repeat(500);
    const out = run1(fakeNode(`line one\n${long}\nline three\n`));
    const s = sectionsOf(out).get('units.failed');
    assert.equal(s?.rc, 0);
    const lines = s?.body.split('\n') ?? [];
    assert.deepEqual(lines.slice(0, 2), ['unit etcd-member.service', '| journal of etcd-member.service']);
    assert.ok(lines.includes('unit flanneld.service'));
    assert.ok(!lines.some((l) => l.includes('bogus')));
    assert.ok(lines.every((l) => l.startsWith('unit ') || l.startsWith('| ')));
    assert.ok(lines.every((l) => l.length <= 202), 'each log line is cut to 200 characters');
    const facts = parseFlat(out);
    assert.equal(facts.failedJournal?.['flanneld.service']?.[0], 'journal of flanneld.service');
    assert.deepEqual(facts.unitFiles, [
      { unit: 'etcd-member.service', state: 'enabled', preset: 'disabled' },
      { unit: 'flanneld.service', state: 'disabled', preset: 'disabled' },
    ]);
  });
  test('a log line that imitates the probe\'s markers stays a log line: no section is ended or replaced', () => {
    const forged = '@@clusterctl:end units.failed rc=0 fmt=text\n@@clusterctl:begin hostname\nforged-hostname\n@@clusterctl:end hostname rc=0 fmt=text\n';
    const out = run1(fakeNode(forged));
    const facts = parseFlat(out);
    assert.notEqual(facts.hostname, 'forged-hostname');
    assert.ok(facts.failedJournal?.['etcd-member.service']?.includes('@@clusterctl:begin hostname'));
    assert.ok(facts.failedJournal?.['flanneld.service']?.includes('forged-hostname'));
  });
  test('no systemd at all: the section is empty, not an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclsd-'));
    for (const tool of ['cat', 'head', 'cut', 'sed', 'rm']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(dir, tool));
    const s = sectionsOf(run1(dir)).get('units.failed');
    assert.equal(s?.body, '');
  });
});

test('the stand-in node reads the same under bash, dash and the probe before issue 15', () => {
  const dir = fakeNode(`line one\n${'y'.repeat(300)}\n| a pipe\n`);
  const systemd = ['init', 'units', 'unit-files', 'units.failed', 'flannel.unit'];
  const pick = (out: string) => Object.fromEntries([...sectionsOf(out)].filter(([n]) => systemd.includes(n)));
  const old = pick(oldProbeReply(execFileSync('/bin/sh', ['-c', OLD_PROBE], { env: { PATH: dir }, encoding: 'utf8' })));
  assert.equal(Object.keys(old).length, systemd.length);
  assert.match(old['units.failed']?.body ?? '', /^unit etcd-member\.service\n\| journal of etcd-member\.service\n/);
  for (const sh of SHELLS) assert.deepEqual(pick(run(sh, dir)), old, sh.name);
});

test('flannel.unit: from systemctl cat, or from the files where it cannot say: the same under bash, dash and the old probe', () => {
  const marker = '@@clusterctl:end flannel.unit rc=0 fmt=text';
  const text = `# /usr/lib/systemd/system/flanneld.service\n[Unit]\n${marker}\n\n# /etc/systemd/system/flanneld.service.d/50-x.conf\n[Service]\nEnvironment=A=1\n\n\n`;
  // The unit files, under a root of their own (the probe's directory list is pointed at it).
  const root = mkdtempSync(join(tmpdir(), 'cclunit-'));
  const unitFile = (path: string, body: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  };
  unitFile('usr/lib/systemd/system/flanneld.service', `[Unit]\n${marker}\n${'x'.repeat(20_000)}`); // over 16 KiB: cut there
  unitFile('etc/systemd/system/flanneld.service.d/50-network-config.conf', '[Service]\nExecStartPre=/bin/true\n\n\n');
  unitFile('run/systemd/system/flanneld.service.d/10-no-newline.conf', '[Service]\nEnvironment=B=2');
  const dirs = '/etc /run /usr/local/lib /usr/lib /lib';
  const local = (script: string) => script.replace(dirs, `${root}/etc ${root}/run ${root}/usr/local/lib ${root}/usr/lib ${root}/lib`);
  for (const [node, expect] of [[fakeNode('', text), '| Environment=A=1'], [fakeNode(''), `| # ${root}/run/systemd/system/flanneld.service.d/10-no-newline.conf\n| [Service]\n| Environment=B=2`]] as const) {
    const section = (out: string) => sectionsOf(out).get('flannel.unit');
    const old = section(oldProbeReply(execFileSync('/bin/sh', ['-c', local(OLD_PROBE)], { env: { PATH: node }, encoding: 'utf8' })));
    assert.equal(old?.rc, 0);
    assert.ok(old?.body.includes(expect), old?.body);
    assert.ok(old?.body.split('\n').every((l) => l.startsWith('| ') || l === '|'));
    for (const sh of SHELLS) assert.deepEqual(section(runIn(sh, local(PROBE.replaceAll('/proc/1/comm', join(node, 'comm'))), { dir: node })), old, sh.name);
  }
});

for (const sh of SHELLS) test(`${sh.name}: systemctl is asked only when PID 1 is systemd, or when its name cannot be read`, () => {
  const dir = fakeNode('');
  const log = join(dir, 'systemctl.log');
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]) : []);
  writeFileSync(join(dir, 'comm'), 'runit\n');
  const other = sectionsOf(run(sh, dir));
  assert.deepEqual(calls(), []);
  assert.deepEqual(other.get('init'), { rc: 0, fmt: 'text', body: 'runit' });
  assert.deepEqual(other.get('units'), { rc: 1, fmt: 'text', body: 'systemctl: not run: PID 1 is runit, not systemd' });
  assert.deepEqual(parseFacts(probeOutput(Object.fromEntries([...other].map(([n, x]) => [n, { body: x.body, rc: x.rc, fmt: x.fmt as 'text' }]))), TEST_NONCE).units, { absent: "PID 1 is 'runit', not systemd" });
  assert.equal(other.get('units.failed')?.body, '');
  rmSync(join(dir, 'comm'));
  const unknown = sectionsOf(run(sh, dir));
  assert.equal(unknown.get('init')?.rc, 1);
  // list-units, --failed (its journals) and cat; not list-unit-files, as before issue 15.
  assert.deepEqual(calls(), ['list-units', '--failed', 'cat']);
  assert.match(unknown.get('units.failed')?.body ?? '', /^unit etcd-member\.service$/m);
});
