import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { firstRequest } from '../../../src/commands/probe.js';
import { batchScriptOf } from '../../../src/facts/batch.js';
import { datapathScript } from '../../../src/facts/gatherers/datapath.js';
import { probeFor } from '../../../src/facts/probe.js';
import { withNonce } from '../../../src/util/frame-shell.js';
import { fullBatchPlan } from '../../helpers/full-batch.js';
import { TEST_NONCE } from '../../helpers/nonce.js';

// Debian's shellcheck on the exact text a node receives, under bash (Flatcar's shell) and dash
// (Debian's sh, the POSIX path): any finding fails unless a .sh file under src/ disables its code
// with `# shellcheck disable=SCxxxx # reason`. The probe's body travels single-quoted in a
// variable (facts/framing.ts buildScript), which shellcheck does not look into: it is linted as
// well, as eval runs it.
const SHELLCHECK = '/usr/bin/shellcheck';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const skip = existsSync(SHELLCHECK) ? false : `${SHELLCHECK} is missing (Debian: apt-get install shellcheck; .ci/run installs it)`;

function shFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? shFiles(join(dir, e.name)) : e.name.endsWith('.sh') ? [join(dir, e.name)] : []));
}
const SOURCES = shFiles(join(ROOT, 'src')).map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
const DIRECTIVE = /^# shellcheck disable=(SC\d{4}(?:,SC\d{4})*) # \S.*$/;
// The codes the sources disable, each with its reason.
const disabledBy = (files: readonly string[]): string[] =>
  SOURCES.filter((s) => files.some((f) => s.file.startsWith(f)))
    .flatMap((s) => s.text.split('\n'))
    .flatMap((l) => DIRECTIVE.exec(l)?.[1]?.split(',') ?? []);

interface Finding {
  line: number;
  code: number;
  message: string;
}
function lint(text: string, shell: 'bash' | 'dash', exclude: readonly string[]): string[] {
  const r = spawnSync(SHELLCHECK, ['-s', shell, '-f', 'json', ...(exclude.length ? ['-e', exclude.join(',')] : []), '-'], { input: text, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `shellcheck: ${r.stderr}`);
  const lines = text.split('\n');
  return (JSON.parse(r.stdout) as Finding[]).map((f) => `${shell} line ${f.line} SC${f.code}: ${f.message}\n    ${lines[f.line - 1]?.trim()}`);
}

// The body of buildScript's variable, as eval runs it.
function bodyOf(script: string): string {
  const m = /^clusterctl_probe='\n([\s\S]*)\n'\n/m.exec(script);
  assert.ok(m, 'the probe holds its body in clusterctl_probe');
  return `${m[1]!.replace(/'\\''/g, "'")}\n`;
}

const PROBE_SOURCES = ['src/facts/sh/', 'src/util/sh/'];
const BATCH = batchScriptOf(fullBatchPlan('/etc/provisioned'), 20_000);
const DATAPATH = datapathScript({ targets: [{ peer: 'b', addr: '10.1.2.0', underlay: '198.18.1.12' }, { peer: 'c', addr: '10.1.3.0' }], size: 1422, waitS: 1, neigh: { dev: 'flannel.1', peers: [{ peer: 'b', addr: '10.1.2.0' }] } });
const TEXTS: { name: string; text: string; sources: string[] }[] = [
  { name: '`clusterctl probe`', text: probeFor('none'), sources: PROBE_SOURCES },
  { name: '`clusterctl probe --become sudo`', text: probeFor('sudo'), sources: PROBE_SOURCES },
  { name: 'the body `clusterctl probe` evals', text: bodyOf(probeFor('none')), sources: PROBE_SOURCES },
  { name: '`clusterctl probe --session` (the command SSH starts)', text: probeFor('none', 'session'), sources: PROBE_SOURCES },
  { name: 'the body the session evals', text: bodyOf(probeFor('none', 'session')), sources: PROBE_SOURCES },
  { name: "a node's whole first request (`probe --node`, become: sudo)", text: firstRequest('sudo', TEST_NONCE), sources: PROBE_SOURCES },
  // Sent to the session as `script NONCE BYTES`, it is evaluated as it is; a one-shot exec gets it
  // with its nonce line first.
  { name: 'a batch with every gatherer (the session evals it)', text: BATCH, sources: ['src/util/sh/part.sh'] },
  { name: 'a batch with every gatherer, one-shot with its nonce', text: withNonce(TEST_NONCE, BATCH), sources: ['src/util/sh/part.sh'] },
  { name: "flannel.datapath's request (vxlan: echoes and neighbour entries)", text: withNonce(TEST_NONCE, DATAPATH), sources: ['src/util/sh/part.sh', 'src/facts/sh/datapath.sh'] },
];

describe('shellcheck on the shell a node receives', { skip }, () => {
  test('every disable in the .sh sources gives its reason on its line', () => {
    assert.ok(SOURCES.length >= 8, `${SOURCES.length} .sh files`);
    for (const s of SOURCES) {
      assert.match(s.text, /^# shellcheck shell=(bash|sh)\n/, `${s.file} starts with its shell directive`);
      for (const l of s.text.split('\n')) if (/shellcheck disable/.test(l)) assert.match(l, DIRECTIVE, `${s.file}: ${l}`);
    }
  });

  for (const t of TEXTS) {
    for (const shell of ['bash', 'dash'] as const) {
      test(`${t.name} under -s ${shell}: no finding but those disabled in the .sh sources`, () => {
        assert.deepEqual(lint(t.text, shell, disabledBy(t.sources)), []);
      });
    }
  }

  test('the check sees a finding: an unquoted variable in an otherwise clean script', () => {
    assert.deepEqual(
      lint('#!/bin/sh\nf=$1\nrm $f\n', 'dash', []).map((l) => l.split(':')[0]),
      ['dash line 3 SC2086'],
    );
  });

  test('without the sources\' disables the probe has findings (the disables are what keeps it clean)', () => {
    assert.ok(lint(bodyOf(probeFor('none')), 'dash', []).length > 0);
  });
});
