import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProbe, PROBE, SECTIONS, splitSections } from '../../../src/facts/probe.js';

// Run a probe script the way a node would, with PATH limited to `dir` when given.
function run(script: string, dir?: string): string {
  const env = dir ? { PATH: dir } : process.env;
  return execFileSync('/bin/sh', ['-c', script], { env, encoding: 'utf8' });
}

describe('PROBE', () => {
  test('is built from the section table and names every section', () => {
    assert.equal(PROBE, buildProbe(SECTIONS));
    assert.deepEqual(SECTIONS.map((s) => s.name), ['hostname', 'hostname.file', 'addresses', 'routes', 'resolv', 'flannel.env', 'links', 'init', 'units', 'unit-files', 'units.failed', 'resolv.resolved', 'ignition.result', 'flannel.unit', 'flanneld.version', 'etcdctl.version']);
    for (const s of SECTIONS) assert.match(PROBE, new RegExp(`^p ${s.name.replace('.', '\.')} `, 'm'));
    // Sent with every run on every node: small, though flanneld.service's file fallback costs ~300 bytes.
    assert.ok(PROBE.length < 2500, `probe is ${PROBE.length} bytes`);
  });

  test('runs under sh here and yields every section with rc and fmt', () => {
    const sections = splitSections(run(PROBE));
    assert.deepEqual([...sections.keys()], SECTIONS.map((s) => s.name));
    // Whether this machine has iproute2 with -j is not the test's business; the format is.
    assert.match(sections.get('addresses')?.fmt ?? '', /^(json|text)$/);
  });

  test('falls back to text when ip has no -j, and to /proc when hostname is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclfx-'));
    symlinkSync('/bin/cat', join(dir, 'cat'));
    writeFileSync(join(dir, 'ip'), '#!/bin/sh\n[ "$1" = -j ] && { echo \'Option "-j" is unknown\' >&2; exit 255; }\necho "text $*"\n');
    chmodSync(join(dir, 'ip'), 0o755);
    const sections = splitSections(run(PROBE, dir));
    assert.deepEqual(sections.get('addresses'), { rc: 0, fmt: 'text', body: 'text -o addr show' });
    assert.deepEqual(sections.get('routes'), { rc: 0, fmt: 'text', body: 'text route show' });
    assert.equal(sections.get('hostname')?.rc, 0);
    assert.notEqual(sections.get('hostname')?.body, '');
  });

  test('keeps the last error when every attempt fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclfx-'));
    const s = splitSections(run(PROBE, dir)).get('routes');
    assert.equal(s?.rc, 127);
    assert.match(s?.body ?? '', /ip: not found/);
  });

  test('tells a missing file from an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclfx-'));
    writeFileSync(join(dir, 'empty'), '');
    const script = buildProbe([
      { name: 'empty', attempts: [{ fmt: 'text', cmd: `cat ${dir}/empty` }] },
      { name: 'gone', attempts: [{ fmt: 'text', cmd: `cat ${dir}/gone` }] },
    ]);
    const sections = splitSections(run(script));
    assert.deepEqual(sections.get('empty'), { rc: 0, fmt: 'text', body: '' });
    assert.equal(sections.get('gone')?.rc, 1);
    assert.match(sections.get('gone')?.body ?? '', /No such file or directory/);
  });

  test('rejects a section name that could break the script', () => {
    assert.throws(() => buildProbe([{ name: 'x; rm -rf /', attempts: [] }]), /bad probe section name/);
  });
});

describe('splitSections', () => {
  const ok = '@@clusterctl:begin a\nline 1\nline 2\n@@clusterctl:end a rc=0 fmt=json\n';

  test('splits sections with rc, fmt and body', () => {
    const s = splitSections(`${ok}@@clusterctl:begin b\n\n@@clusterctl:end b rc=3 fmt=text\n@@clusterctl:done\n`);
    assert.deepEqual(s.get('a'), { rc: 0, fmt: 'json', body: 'line 1\nline 2' });
    assert.deepEqual(s.get('b'), { rc: 3, fmt: 'text', body: '' });
    assert.equal(s.size, 2);
  });

  test('leaves out a section cut short, keeps the ones before it', () => {
    const s = splitSections(`${ok}@@clusterctl:begin b\npartial out`);
    assert.deepEqual([...s.keys()], ['a']);
  });

  test('ignores garbage, banners and CRLF line ends', () => {
    const s = splitSections(`motd banner\r\n${ok.replace(/\n/g, '\r\n')}\u0000\uFFFD junk`);
    assert.deepEqual(s.get('a'), { rc: 0, fmt: 'json', body: 'line 1\nline 2' });
    assert.equal(splitSections('').size, 0);
    assert.equal(splitSections('@@clusterctl:end a rc=0 fmt=text').size, 0);
  });

  test('an end marker of another section does not close the open one', () => {
    const s = splitSections('@@clusterctl:begin a\n@@clusterctl:end b rc=0 fmt=text\nx\n@@clusterctl:end a rc=0 fmt=text');
    assert.equal(s.get('a')?.body, '@@clusterctl:end b rc=0 fmt=text\nx');
    assert.equal(s.has('b'), false);
  });

  test('a section missing from the output is absent from the map', () => {
    assert.equal(splitSections(ok).has('routes'), false);
  });
});
