import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import type { Fact } from '../../../src/facts/types.js';
import { buildProbe, PROBE, probeFor } from '../../../src/facts/probe.js';
import type { ProbeSection } from '../../../src/facts/probe.js';
import { buildProbe as buildOldProbe, PROBE as OLD_PROBE } from '../../../bench/old-probe.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { oldProbeReply } from '../../helpers/old-probe-reply.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { withNonce } from '../../../src/util/frame-shell.js';
import { runIn, SHELLS } from '../../helpers/shells.js';
import { straced } from '../../helpers/strace.js';

// The same sections from bash's fast path, dash's POSIX path and the probe before issue 15.
// Root reads every file, so the probe runs as nobody where the test runs as root.
const asRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'cclshells-'));
chmodSync(dir, 0o777);
writeFileSync(join(dir, 'huge'), Buffer.alloc(66 * 1024 * 1024, 'a'));
writeFileSync(join(dir, 'small'), 'line 1\n  line 2 \\ kept as is\n\n\n');
writeFileSync(join(dir, 'secret'), 'root only\n', { mode: 0o600 });
if (!asRoot) chmodSync(join(dir, 'secret'), 0o000);
symlinkSync('/dev/zero', join(dir, 'zero'));
// A failing command that counts its runs: out on stdout, why on stderr, exit 3.
writeFileSync(join(dir, 'runs'), '', { mode: 0o666 });
chmodSync(join(dir, 'runs'), 0o666);
writeFileSync(join(dir, 'fails'), `#!/bin/sh\necho run >> ${dir}/runs\necho out\necho why >&2\nexit 3\n`, { mode: 0o755 });
chmodSync(join(dir, 'fails'), 0o755);

const file = (name: string, budget = 256): ProbeSection => ({ name, file: join(dir, name), budget, attempts: [{ fmt: 'text', cmd: `cat ${join(dir, name)}` }] });
const SECTIONS: ProbeSection[] = [
  file('huge'),
  file('small'),
  file('gone'),
  file('secret'),
  file('zero'),
  { name: 'fails', budget: 256, attempts: [{ fmt: 'json', cmd: `${dir}/fails --json` }, { fmt: 'text', cmd: `${dir}/fails` }] },
];

// Run as nobody when root, with this machine's tools (dash: all but bash).
function run(shell: (typeof SHELLS)[number] | 'old', script: string): string {
  const [bin, path] = shell === 'old' ? ['/bin/sh', process.env.PATH ?? '/usr/bin:/bin'] : [shell.bin, shell.path()];
  const sent = shell === 'old' ? script : withNonce(TEST_NONCE, script);
  const argv = asRoot ? ['runuser', '-u', 'nobody', '--', bin, '-c', sent] : [bin, '-c', sent];
  const out = execFileSync(argv[0] as string, argv.slice(1), { env: { ...process.env, PATH: path }, encoding: 'utf8', maxBuffer: 16 << 20 });
  return shell === 'old' ? oldProbeReply(out) : out;
}

describe('the probe under bash, under dash and before issue 15: the same sections', () => {
  const old = sectionsOf(run('old', buildOldProbe(SECTIONS)));

  test('the old probe read the fixtures as expected (what the others are held to)', () => {
    assert.deepEqual(old.get('huge'), { rc: 0, fmt: 'text', body: '', cut: { size: 66 * 1024 * 1024 } });
    assert.deepEqual(old.get('small'), { rc: 0, fmt: 'text', body: 'line 1\n  line 2 \\ kept as is' });
    assert.deepEqual(old.get('gone'), { rc: 1, fmt: 'text', body: `cat: ${dir}/gone: No such file or directory` });
    assert.deepEqual(old.get('secret'), { rc: 1, fmt: 'text', body: `cat: ${dir}/secret: Permission denied` });
    assert.deepEqual(old.get('zero'), { rc: 0, fmt: 'text', body: '', cut: { size: 0 } });
    assert.deepEqual(old.get('fails'), { rc: 3, fmt: 'text', body: 'out\nwhy' });
  });

  for (const sh of SHELLS) {
    test(`${sh.name}: byte for byte the old probe's sections; a failing attempt runs once`, () => {
      writeFileSync(join(dir, 'runs'), '');
      const out = run(sh, buildProbe(SECTIONS));
      assert.deepEqual(sectionsOf(out), old);
      // Two attempts, each run once: the old probe ran the last one again for its errors.
      assert.equal(readFileSync(join(dir, 'runs'), 'utf8'), 'run\nrun\n');
      assert.ok(out.length < 2000, `printed ${out.length} bytes`);
    });
  }

  // No writable directory (or no /proc): no scratch files, so bash too takes the POSIX path, and a
  // failing attempt's errors come in its output.
  for (const sh of SHELLS) {
    test(`${sh.name} without scratch files: the same sections; a failing attempt runs once`, () => {
      writeFileSync(join(dir, 'runs'), '');
      const script = buildProbe(SECTIONS);
      const out = run(sh, script.replace(/^scratch$/m, 'O= E= X='));
      assert.notEqual(script.replace(/^scratch$/m, ''), script);
      assert.deepEqual(sectionsOf(out), old);
      assert.equal(readFileSync(join(dir, 'runs'), 'utf8'), 'run\nrun\n');
    });
  }

  test('the old probe ran the failing attempt a second time (what the counter catches)', () => {
    writeFileSync(join(dir, 'runs'), '');
    run('old', buildOldProbe(SECTIONS));
    assert.equal(readFileSync(join(dir, 'runs'), 'utf8'), 'run\nrun\nrun\n');
  });
});

describe('the whole probe on this machine', () => {
  // What differs on purpose: a missing command's message ("sh: 1: eval: etcdctl: not found"
  // from the old probe under dash, "etcdctl: not found" now).
  // The Kubernetes sections came after the old probe (issue 16): compared as far as the old one goes.
  const NEWER = new Set(['kubeProcs', 'kubeUnits', 'cni']);
  const facts = (out: string) =>
    Object.fromEntries(
      Object.entries(parseFacts(out, TEST_NONCE)).filter(([k]) => !NEWER.has(k)).map(([k, f]: [string, Fact<unknown>]) => [k, 'error' in f ? { error: f.error.replace(/\(rc=127\): .*?([^\s:]+): (command )?not found$/, '(rc=127): $1: not found') } : f]),
    );
  const old = () => facts(oldProbeReply(execFileSync('/bin/sh', ['-c', OLD_PROBE], { encoding: 'utf8', maxBuffer: 16 << 20 })));
  for (const sh of SHELLS) {
    test(`${sh.name}: the same facts as the probe before issue 15`, () => {
      // Other labs on this machine add and remove links while tests run: compare a run with the
      // old probe's runs just before and after it, when those two agree.
      for (let i = 0; i < 5; i++) {
        const [before, now, after] = [old(), facts(runIn(sh, PROBE)), old()];
        if (!isDeepStrictEqual(before, after)) continue;
        assert.deepEqual(now, before);
        return;
      }
      assert.fail("this machine's network changed during every try");
    });
  }
});

describe("the probe's ip: one process for the three tables under bash", () => {
  // A stand-in `ip` first on PATH that logs its arguments, then runs the machine's own.
  const bin = mkdtempSync(join(tmpdir(), 'cclip-'));
  chmodSync(bin, 0o755);
  const log = join(bin, 'log');
  const realIp = execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'ip'), `#!/bin/sh\necho "$*" >> ${log}\nexec ${realIp} "$@"\n`, { mode: 0o755 });
  const calls = (sh: (typeof SHELLS)[number]) => {
    writeFileSync(log, '');
    const out = runIn(sh, PROBE, { dir: `${bin}:${sh.path()}` });
    return { out, calls: readFileSync(log, 'utf8').trim().split('\n') };
  };
  test('bash: one `ip -j -d -b -` answers addresses, routes and links', () => {
    const bash = SHELLS.find((s) => s.name === 'bash');
    assert.ok(bash);
    const { out, calls: seen } = calls(bash);
    assert.deepEqual(seen, ['-j -d -b -']);
    const f = parseFacts(out, TEST_NONCE);
    assert.ok('ok' in f.addresses && 'ok' in f.routes && 'ok' in f.links, JSON.stringify([f.addresses, f.routes, f.links]).slice(0, 300));
  });
  test('bash: a probe request in a session forks only to exec a program (no subshell around ip), and ip once', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cclforks-'));
    writeFileSync(join(dir, 'requests'), 'probe 0123456789abcdef\nprobe 0123456789abcde0\n');
    const traces = await straced(t, dir, 'clone,clone3,fork,vfork,execve', ['/bin/bash', '-c', probeFor('none', 'session')], join(dir, 'requests'));
    if (!traces) return;
    // Each process but bash itself: its first successful exec.
    const programs = traces.slice(1).map((calls) => /^execve\("(?:[^"]*\/)?([^"/]+)".*= 0$/m.exec(calls)?.[1] ?? 'no exec (a subshell)');
    assert.equal(programs.filter((p) => p === 'ip').length, 2, programs.join(', '));
    assert.deepEqual(programs.filter((p) => p === 'no exec (a subshell)'), [], programs.join(', '));
  });
  test('dash (the POSIX path keeps nothing between sections): each section runs its own ip, after the batch', () => {
    const dash = SHELLS.find((s) => s.name === 'dash');
    assert.ok(dash);
    assert.deepEqual(calls(dash).calls, ['-j -d -b -', '-j route show', '-j -d link show']);
  });
});

describe("flanneld's environment files, under bash and dash", () => {
  // A unit as `systemctl cat` prints it (cat of a file here), naming three environment files: one
  // there (with a line that looks like a marker, and one like the probe's own header), one
  // missing, and a relative one, which is not read.
  const env = join(dir, 'options.env');
  writeFileSync(env, `FLANNELD_ETCD_ENDPOINTS="http://198.18.1.11:2379"\n@@clusterctl:end flannel.unit rc=0 fmt=text\nenvironment-file /etc/shadow\n`, { mode: 0o644 });
  // A backslash in a path reaches the output as written (dash's echo would turn \n into a line break).
  const unitLines = ['[Service]', `EnvironmentFile=-${env}`, `  EnvironmentFile = ${dir}/missing.env `, 'EnvironmentFile=relative.env', `EnvironmentFile=-${dir}/a\\nb.env`, 'ExecStart=/usr/bin/flanneld'];
  writeFileSync(join(dir, 'flanneld.service'), [`# ${dir}/flanneld.service`, ...unitLines, ''].join('\n'), { mode: 0o644 });
  const probe = buildProbe([{ name: 'flannel.unit', budget: 88 * 1024, attempts: [{ fmt: 'text', cmd: `flanneld_unit cat ${dir}/flanneld.service` }] }]);
  for (const sh of SHELLS) {
    test(`${sh.name}: the unit, then each absolute file it names, "| " before every line of either`, () => {
      const s = sectionsOf(run(sh, probe)).get('flannel.unit');
      assert.deepEqual(s?.body.split('\n'), [
        `| # ${dir}/flanneld.service`,
        ...unitLines.map((l) => `| ${l}`),
        `environment-file ${env}`,
        '| FLANNELD_ETCD_ENDPOINTS="http://198.18.1.11:2379"',
        '| @@clusterctl:end flannel.unit rc=0 fmt=text',
        '| environment-file /etc/shadow',
        `environment-file-missing ${dir}/missing.env`,
        `environment-file-missing ${dir}/a\\nb.env`,
      ]);
      assert.equal(s?.rc, 0);
    });
  }
});
