import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { parseProvisioned, provisionedScript } from '../../../../src/facts/gatherers/provisioned.js';
import type { ProvisionedSpec } from '../../../../src/inventory/types.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('provisioned files and units, read under a real sh', () => {
  test('mode, size and sha256 of each file; missing, not a file; hostile paths stay one argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-prov-'));
    const hostile = join(dir, `we'ird $(echo pwned >&2) \`echo pwned >&2\` "file"\nline`);
    writeFileSync(join(dir, 'hostname'), 'n1\n');
    chmodSync(join(dir, 'hostname'), 0o600);
    writeFileSync(hostile, 'x');
    mkdirSync(join(dir, 'adir'));
    const spec: ProvisionedSpec = { source: 'n1.ign', files: [{ path: join(dir, 'hostname') }, { path: join(dir, 'gone') }, { path: join(dir, 'adir') }, { path: hostile }], units: [] };
    const run = spawnSync('/bin/sh', ['-c', provisionedScript(spec, 'none')], { encoding: 'utf8' });
    assert.equal(run.stderr, '', 'the path was never run as shell');
    const out = run.stdout;
    const f = parseProvisioned(out, spec);
    assert.deepEqual(f.files, [
      { path: join(dir, 'hostname'), state: 'present', mode: 0o600, size: 3, sha256: sha('n1\n') },
      { path: join(dir, 'gone'), state: 'missing' },
      { path: join(dir, 'adir'), state: 'not-a-file' },
      { path: hostile, state: 'present', mode: 0o644 & ~process.umask(), size: 1, sha256: sha('x') },
    ]);
  });
  test('units: what `systemctl is-enabled` says for each, by index, first line only', () => {
    const spec: ProvisionedSpec = { source: 'n1.ign', files: [], units: [{ name: 'a.service', enabled: true }, { name: 'b.service', masked: true }] };
    const script = `systemctl(){ case $3 in a.service) echo enabled;; *) echo 'Failed to get unit file state for b.service: No such file or directory'; echo more; return 1;; esac; }\n${provisionedScript(spec, 'none')}`;
    const f = parseProvisioned(execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }), spec);
    assert.deepEqual(f.units, [{ name: 'a.service', state: 'enabled' }, { name: 'b.service', state: 'Failed to get unit file state for b.service: No such file or directory' }]);
  });
  test('output cut short: each file and unit not reported says so', () => {
    const spec: ProvisionedSpec = { source: 's', files: [{ path: '/etc/x' }], units: [{ name: 'u.service', enabled: true }] };
    assert.deepEqual(parseProvisioned('', spec), { files: [{ path: '/etc/x', state: 'error', error: 'not reported (output cut short?)' }], units: [{ name: 'u.service', state: 'not reported (output cut short?)' }] });
  });
});
