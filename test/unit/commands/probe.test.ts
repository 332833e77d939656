import assert from 'node:assert/strict';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { withNonce } from '../../../src/util/frame-shell.js';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { probeCommand } from '../../../src/commands/probe.js';
import { PROBE, probeFor, SECTIONS } from '../../../src/facts/probe.js';
import { runCli } from '../../helpers/cli.js';

describe('clusterctl probe: the script a node runs, to audit', () => {
  test('probeCommand prints the probe for the become asked, exit 0', () => {
    for (const become of ['none', 'sudo'] as const) {
      let out = '';
      const io = { stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream, stderr: process.stderr, env: {}, signal: new AbortController().signal };
      assert.equal(probeCommand({ become }, io), 0);
      assert.equal(out, probeFor(become));
    }
  });

  test('the built CLI: `probe` is the exact PROBE, `--become sudo` its sudo variant, and what it prints runs', async () => {
    const plain = await runCli(['probe']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, PROBE);
    const sudo = await runCli(['probe', '--become', 'sudo']);
    assert.equal(sudo.code, 0, sudo.stderr);
    assert.equal(sudo.stdout, `clusterctl_become=sudo\n${PROBE}`);
    // What an operator audits is what runs: piped into sh, it prints every section.
    // (The client puts its request's nonce before it: util/frame-shell.ts withNonce.)
    const out = execFileSync('sh', { input: withNonce(TEST_NONCE, plain.stdout), encoding: 'utf8' });
    assert.deepEqual([...sectionsOf(out).keys()], [...SECTIONS.map((s) => s.name), 'done']);
    assert.ok(out.endsWith(`@@clusterctl:end ${TEST_NONCE} done rc=0\n`));
  });

  test('--session prints the command verify starts over SSH; sent a probe request, it prints the same sections', async () => {
    const session = await runCli(['probe', '--session']);
    assert.equal(session.code, 0, session.stderr);
    assert.equal(session.stdout, probeFor('none', 'session'));
    assert.equal((await runCli(['probe', '--session', '--become', 'sudo'])).stdout, `clusterctl_become=sudo\n${probeFor('none', 'session')}`);
    const out = execFileSync('sh', ['-c', session.stdout], { input: 'probe 0123456789abcdef\n', encoding: 'utf8' });
    assert.deepEqual([...sectionsOf(out, '0123456789abcdef').keys()], [...SECTIONS.map((s) => s.name), 'done']);
    assert.ok(out.endsWith('@@clusterctl:end 0123456789abcdef done rc=0\n\n@@clusterctl:ran 0123456789abcdef rc=0\n'), out.slice(-100));
  });

  test('a become other than none or sudo is a usage error (exit 2); --help lists probe', async () => {
    const bad = await runCli(['probe', '--become', 'root']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--become.*root.*Allowed choices are none, sudo/s);
    const help = await runCli(['--help']);
    assert.match(help.stdout, /^\s+probe \[options\]\s+print the script verify and facts run on\s+every\s+node/m);
  });
});
