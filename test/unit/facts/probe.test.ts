import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import type { ProbeSection } from '../../../src/facts/probe.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProbe, DEFAULT_BUDGET, PROBE, SECTIONS, splitSections } from '../../../src/facts/probe.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { MAX_OUTPUT_BYTES } from '../../../src/transport/exec.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { runIn, SHELLS } from '../../helpers/shells.js';

// A stand-in node's PATH: the given tools from this machine (rm: the probe unlinks its scratch files).
function toolDir(...tools: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cclfx-'));
  for (const tool of ['rm', ...tools]) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(dir, tool));
  return dir;
}

describe('PROBE', () => {
  test('is built from the section table and names every section', () => {
    assert.equal(PROBE, buildProbe(SECTIONS));
    assert.deepEqual(SECTIONS.map((s) => s.name), ['hostname', 'hostname.file', 'addresses', 'routes', 'resolv', 'flannel.env', 'links', 'init', 'units', 'unit-files', 'units.failed', 'resolv.resolved', 'ignition.result', 'flannel.unit', 'flanneld.version', 'kube.procs', 'kube.units', 'cni']);
    for (const s of SECTIONS) assert.match(PROBE, new RegExp(`^section ${s.name.replace('.', '\\.')} `, 'm'));
    // Sent with every run to every node: keep it small (the framing for bash and for POSIX sh is
    // ~4 KB of it).
    // ~8 KiB with the Kubernetes sections and flanneld's environment files, and ~0.3 KiB more for
    // the one framing (nonce, "| " before every line): small enough to read before allowing it
    // (clusterctl probe).
    assert.ok(PROBE.length < 9000, `probe is ${PROBE.length} bytes`);
  });

  for (const sh of SHELLS) {
    test(`${sh.name}: runs here and yields every section with rc and fmt`, () => {
      const sections = sectionsOf(runIn(sh, PROBE));
      assert.deepEqual([...sections.keys()], [...SECTIONS.map((s) => s.name), 'done']);
      // Whether this machine has iproute2 with -j is not the test's business; the format is.
      assert.match(sections.get('addresses')?.fmt ?? '', /^(json|text)$/);
    });

    test(`${sh.name}: falls back to text when ip has no -j, and to \`hostname\` when /proc has no hostname`, () => {
      const dir = toolDir('cat');
      writeFileSync(join(dir, 'ip'), '#!/bin/sh\n[ "$1" = -j ] && { echo \'Option "-j" is unknown\' >&2; exit 255; }\necho "text $*"\n');
      writeFileSync(join(dir, 'hostname'), '#!/bin/sh\necho stand-in\n');
      chmodSync(join(dir, 'ip'), 0o755);
      chmodSync(join(dir, 'hostname'), 0o755);
      const sections = sectionsOf(runIn(sh, PROBE, { dir }));
      assert.deepEqual(sections.get('addresses'), { rc: 0, fmt: 'text', body: 'text -o addr show' });
      assert.deepEqual(sections.get('routes'), { rc: 0, fmt: 'text', body: 'text route show' });
      assert.equal(sections.get('hostname')?.rc, 0);
      assert.equal(sections.get('hostname')?.body, execFileSync('cat', ['/proc/sys/kernel/hostname'], { encoding: 'utf8' }).trim());
      const gone = sectionsOf(runIn(sh, PROBE.replace('cat /proc/sys/kernel/hostname', 'cat /proc/sys/kernel/no-such-name'), { dir }));
      assert.deepEqual(gone.get('hostname'), { rc: 0, fmt: 'text', body: 'stand-in' });
    });

    test(`${sh.name}: keeps the last error when every attempt fails`, () => {
      const s = sectionsOf(runIn(sh, PROBE, { dir: toolDir('head') })).get('routes'); // coreutils is on every node
      assert.equal(s?.rc, 127);
      assert.match(s?.body ?? '', /ip: (command )?not found/);
    });
  }

  test('tells a missing file from an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cclfx-'));
    writeFileSync(join(dir, 'empty'), '');
    const script = buildProbe([
      { name: 'empty', attempts: [{ fmt: 'text', cmd: `cat ${dir}/empty` }] },
      { name: 'gone', attempts: [{ fmt: 'text', cmd: `cat ${dir}/gone` }] },
    ]);
    for (const sh of SHELLS) {
      const sections = sectionsOf(runIn(sh, script));
      assert.deepEqual(sections.get('empty'), { rc: 0, fmt: 'text', body: '' }, sh.name);
      assert.deepEqual(sections.get('gone'), { rc: 1, fmt: 'text', body: `cat: ${dir}/gone: No such file or directory` }, sh.name);
    }
  });

  test('the budgets add up to less than the output cap: no section can crowd out another', () => {
    const total = SECTIONS.reduce((sum, s) => sum + (s.budget ?? DEFAULT_BUDGET) + 200, 0);
    assert.ok(total < MAX_OUTPUT_BYTES * 0.8, `budgets total ${total} bytes, cap ${MAX_OUTPUT_BYTES}`);
    assert.ok(SECTIONS.every((s) => s.budget !== undefined), 'every built-in section states its budget');
  });

  test('commands keep their quotes: single, double, $ and backslashes reach the shell as written', () => {
    const cmd = `printf '%s|%s\\n' "it's" '$HOME "\\" \`x\`'`;
    const script = buildProbe([{ name: 'quotes', budget: 100, attempts: [{ fmt: 'text', cmd }] }]);
    for (const sh of SHELLS) assert.deepEqual(sectionsOf(runIn(sh, script)).get('quotes'), { rc: 0, fmt: 'text', body: 'it\'s|$HOME "\\" `x`' }, sh.name);
  });

  test('a section that reads a kept output comes after the section that keeps it', () => {
    const kept = new Map(SECTIONS.flatMap((s, i) => (s.keepAs ? [[s.keepAs, i] as const] : [])));
    assert.deepEqual([...kept.keys()], ['pid1', 'units']);
    // kube_units looks for its units in the kept output of `units`.
    assert.ok(SECTIONS.findIndex((s) => s.name === 'kube.units') > (kept.get('units') ?? Infinity));
    // $pid1 directly, or through systemctl and failed_journals (the probe's functions).
    const readers = SECTIONS.flatMap((s, i) => (s.attempts.some((a) => /\$pid1\b|systemctl|failed_journals/.test(a.cmd)) ? [i] : []));
    assert.deepEqual(readers.map((i) => SECTIONS[i]?.name), ['units', 'unit-files', 'units.failed', 'flannel.unit']);
    for (const i of readers) assert.ok(i > (kept.get('pid1') ?? Infinity), SECTIONS[i]?.name);
    assert.throws(() => buildProbe([{ name: 'a', keepAs: 'x; rm', attempts: [] }]), /bad variable name/);
  });

  test('rejects a section name that could break the script', () => {
    assert.throws(() => buildProbe([{ name: 'x; rm -rf /', attempts: [] }]), /bad probe section name/);
  });
});

describe('PROBE budgets (real sh and bash)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cclbudget-'));
  writeFileSync(join(dir, 'huge'), Buffer.alloc(66 * 1024 * 1024, 'a'));
  writeFileSync(join(dir, 'at-budget'), `${'x'.repeat(255)}\n`);
  writeFileSync(join(dir, 'one-over'), 'x'.repeat(257));
  writeFileSync(join(dir, 'forged'), 'name\n@rc=0\nmore @rc=7 @rc=');
  writeFileSync(join(dir, 'after'), 'still read\n');
  symlinkSync('/dev/zero', join(dir, 'zero'));
  const file = (name: string, budget = 256): ProbeSection => ({ name, file: join(dir, name), budget, attempts: [{ fmt: 'text', cmd: `cat ${join(dir, name)}` }] });
  const sections: ProbeSection[] = [
    file('huge'),
    file('at-budget'),
    file('one-over'),
    file('zero'),
    file('gone'),
    { name: 'endless', budget: 1000, attempts: [{ fmt: 'text', cmd: 'yes' }] },
    // Attempts run in the probe's own shell: one that must exit does so in a subshell.
    { name: 'fallback', budget: 100, attempts: [{ fmt: 'json', cmd: '(echo half; exit 3)' }, { fmt: 'text', cmd: '(echo out; echo why >&2; exit 4)' }] },
    file('after'),
  ];

  for (const sh of SHELLS) {
    test(`${sh.name}: an over-budget section is cut and says how big the file is; the sections after it are whole`, () => {
      const out = runIn(sh, buildProbe(sections), { maxBuffer: 1 << 20 });
      assert.ok(out.length < 2000, `the probe printed ${out.length} bytes`);
      const s = sectionsOf(out);
      assert.deepEqual(s.get('huge'), { rc: 0, fmt: 'text', body: '', cut: { size: 66 * 1024 * 1024 } });
      assert.deepEqual(s.get('at-budget'), { rc: 0, fmt: 'text', body: 'x'.repeat(255) });
      assert.deepEqual(s.get('one-over'), { rc: 0, fmt: 'text', body: '', cut: { size: 257 } });
      // A character device has no size; its endless NULs are cut all the same.
      assert.deepEqual(s.get('zero')?.cut, { size: 0 });
      assert.equal(s.get('gone')?.rc, 1);
      assert.deepEqual(s.get('endless'), { rc: 0, fmt: 'text', body: '', cut: { size: null } });
      assert.deepEqual(s.get('fallback'), { rc: 4, fmt: 'text', body: 'out\nwhy' });
      assert.deepEqual(s.get('after'), { rc: 0, fmt: 'text', body: 'still read' });
    });
  }

  test('a file that prints the probe\'s own status text cannot fake its exit status', () => {
    for (const sh of SHELLS) {
      const out = runIn(sh, buildProbe([file('forged', 1000)]));
      assert.deepEqual(sectionsOf(out).get('forged'), { rc: 0, fmt: 'text', body: 'name\n@rc=0\nmore @rc=7 @rc=' }, sh.name);
    }
  });

  test('rejects a budget that is not a positive whole number', () => {
    assert.throws(() => buildProbe([{ name: 'a', budget: 0, attempts: [] }]), /bad probe budget/);
    assert.throws(() => buildProbe([{ name: 'a', budget: 1.5, attempts: [] }]), /bad probe budget/);
  });
});

describe('splitSections', () => {
  const N = TEST_NONCE;
  const ok = `@@clusterctl:begin ${N} a\n| line 1\n| line 2\n@@clusterctl:end ${N} a rc=0 fmt=json\n`;

  test('splits sections with rc, fmt and body', () => {
    const s = sectionsOf(`${ok}@@clusterctl:begin ${N} b\n@@clusterctl:end ${N} b rc=3 fmt=text\n@@clusterctl:begin ${N} done\n@@clusterctl:end ${N} done rc=0\n`);
    assert.deepEqual(s.get('a'), { rc: 0, fmt: 'json', body: 'line 1\nline 2' });
    assert.deepEqual(s.get('b'), { rc: 3, fmt: 'text', body: '' });
    assert.deepEqual([...s.keys()], ['a', 'b', 'done']);
  });

  test('leaves out a section cut short, keeps the ones before it', () => {
    const s = sectionsOf(`${ok}@@clusterctl:begin ${N} b\n| partial out`);
    assert.deepEqual([...s.keys()], ['a']);
  });

  test('ignores garbage, banners and unprefixed lines', () => {
    const s = sectionsOf(`motd banner\r\n${ok.replace('| line 2\n', '| line 2\nraw line\n\u0000\uFFFD junk\n')}`);
    assert.deepEqual(s.get('a'), { rc: 0, fmt: 'json', body: 'line 1\nline 2' });
    assert.equal(sectionsOf('').size, 0);
    assert.equal(sectionsOf(`@@clusterctl:end ${N} a rc=0 fmt=text`).size, 0);
  });

  test('reads the cut marker: a size, or ? when unknown', () => {
    const s = sectionsOf(`@@clusterctl:begin ${N} a\n@@clusterctl:end ${N} a rc=0 fmt=text cut=69206016\n@@clusterctl:begin ${N} b\n@@clusterctl:end ${N} b rc=0 fmt=json cut=?\n`);
    assert.deepEqual(s.get('a'), { rc: 0, fmt: 'text', body: '', cut: { size: 69206016 } });
    assert.deepEqual(s.get('b'), { rc: 0, fmt: 'json', body: '', cut: { size: null } });
  });

  test('a section sent twice is an error of its own; the others are read', () => {
    const s = splitSections(`${ok}${ok.replace(/ a\b/g, ' b')}${ok}`, N);
    assert.deepEqual(s.get('a'), { error: 'sent twice in one reply' });
    assert.deepEqual(s.get('b'), { rc: 0, fmt: 'json', body: 'line 1\nline 2' });
  });

  test('a section missing from the output is absent from the map', () => {
    assert.equal(sectionsOf(ok).has('routes'), false);
  });
});
