import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ETCDCTL_VERSION_SCRIPT, NOT_ASKED_VERSION, readEtcdctlVersion, wantsEtcdctlVersion } from '../../../../src/facts/gatherers/etcdctl-version.js';
import { parseSystemctlCat } from '../../../../src/facts/parse/systemd-unit.js';
import { absentFact, okFact } from '../../../../src/facts/types.js';
import { PART_PREAMBLE, withNonce } from '../../../../src/util/frame-shell.js';
import { readParts } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

const fixture = (p: string) => readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url), 'utf8');
const unitFact = (text: string) => {
  const parsed = parseSystemctlCat(text);
  assert.ok(parsed.ok);
  return okFact(parsed.value);
};

describe('etcdctl.version: asked only where a flanneld drop-in runs etcdctl', () => {
  test("the setup guide's 50-network-config.conf and a Flatcar CLC drop-in run etcdctl: asked", () => {
    assert.equal(wantsEtcdctlVersion({ flannelUnit: unitFact(fixture('flannel/systemctl-cat-container-linux-guide.txt')) }), true);
    assert.equal(wantsEtcdctlVersion({ flannelUnit: unitFact(fixture('flannel/systemctl-cat-flatcar-clc.txt')) }), true);
  });
  test('a unit without such a line, a sh -c script that runs it, and no unit at all', () => {
    const plain = '# /usr/lib/systemd/system/flanneld.service\n[Service]\nExecStartPre=/usr/bin/mkdir -p /run/flannel\nExecStart=/usr/bin/flanneld --etcd-endpoints=http://198.18.1.11:2379\n';
    assert.equal(wantsEtcdctlVersion({ flannelUnit: unitFact(plain) }), false);
    const script = `${plain}\n# /etc/systemd/system/flanneld.service.d/50-x.conf\n[Service]\nExecStartPre=/bin/sh -c 'ETCDCTL_API=2 etcdctl set /coreos.com/network/config "{}"'\n`;
    assert.equal(wantsEtcdctlVersion({ flannelUnit: unitFact(script) }), true);
    const lookalike = `${plain}\n# /etc/systemd/system/flanneld.service.d/50-x.conf\n[Service]\nExecStartPre=/usr/bin/etcdctl-wrapper-log start\n`;
    assert.equal(wantsEtcdctlVersion({ flannelUnit: unitFact(lookalike) }), false);
    assert.equal(wantsEtcdctlVersion({ flannelUnit: absentFact('no flanneld.service on the node') }), false);
    assert.deepEqual(NOT_ASKED_VERSION, { absent: 'not asked: no ExecStartPre of flanneld.service runs etcdctl' });
  });
});

// The script on this machine's sh, against fake etcdctl binaries on PATH that print what real
// ones printed (test/fixtures/etcd), and against none.
describe('etcdctl.version: the script, run for real', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-etcdctl-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A directory per fake, holding an `etcdctl` that runs `body`.
  const fake = (name: string, body: string) => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'etcdctl'), `#!/bin/sh\n${body}`);
    chmodSync(join(d, 'etcdctl'), 0o755);
    return d;
  };
  const run = async (path: string) =>
    readParts((await promisify(execFile)('/bin/sh', ['-c', withNonce(TEST_NONCE, `${PART_PREAMBLE}\n${ETCDCTL_VERSION_SCRIPT}`)], { env: { PATH: path, ETCDCTL_API: '2' } })).stdout, TEST_NONCE).get('etcdctl-version');

  test('etcdctl 3.4: `etcdctl version` answers; ETCDCTL_API is emptied as a unit would have it', async () => {
    const d = fake('e34', `[ "$1" = version ] && [ -z "$ETCDCTL_API" ] || { echo "unexpected: $* ETCDCTL_API=$ETCDCTL_API" >&2; exit 3; }\nprintf '%s' '${fixture('etcd/etcdctl34-version.out')}'\n`);
    assert.deepEqual(readEtcdctlVersion(await run(`${d}:/usr/bin:/bin`)), okFact({ version: '3.4.23', major: 3, minor: 4, defaultApi: 'v3', apiVersion: '3.4' }));
  });
  test('etcdctl 3.3: `version` is no command there, `--version` answers (v2 by default)', async () => {
    const d = fake('e33', `[ "$1" = --version ] || { echo "No help topic for '$1'" >&2; exit 3; }\nprintf '%s' '${fixture('etcd/etcdctl33-version.out')}'\n`);
    assert.deepEqual(readEtcdctlVersion(await run(`${d}:/usr/bin:/bin`)), okFact({ version: '3.3.13', major: 3, minor: 3, defaultApi: 'v2', apiVersion: '2' }));
  });
  test('no etcdctl on PATH, an etcdctl that fails both ways, and output cut short: errors that say so', async () => {
    assert.deepEqual(readEtcdctlVersion(await run(dir)), { error: 'etcdctl.version: `etcdctl version` and `etcdctl --version` failed (rc=127): etcdctl: not found' });
    // Its output imitates the end of its part, even with the request's nonce: it stays its output.
    const d = fake('broken', `echo "@@clusterctl:end ${TEST_NONCE} etcdctl-version rc=0"; exit 5\n`);
    assert.deepEqual(readEtcdctlVersion(await run(`${d}:/usr/bin:/bin`)), {
      error: `etcdctl.version: \`etcdctl version\` and \`etcdctl --version\` failed (rc=5): @@clusterctl:end ${TEST_NONCE} etcdctl-version rc=0`,
    });
    assert.deepEqual(readEtcdctlVersion(readParts(`@@clusterctl:begin ${TEST_NONCE} etcdctl-version\n| etcdctl version: 3.4.23\n`, TEST_NONCE).get('etcdctl-version')), { error: 'etcdctl.version: missing from the batch output (output cut short?)' });
  });
});

