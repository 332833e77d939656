import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, labSkip } from '../helpers/lab.js';
import { etcdLab, onNode } from '../fixtures/etcd/lab.js';

const KEY = '/coreos.com/network/config';
const OLD = '{"Network":"198.19.128.0/17","Backend":{"Type":"vxlan"}}';
const NEW = '{"Network":"198.19.192.0/18"}';
const THEIRS = '{"Network":"198.19.64.0/18"}';
const E = '--endpoints=http://127.0.0.1:2379';
const both = () => onNode(1, `ETCDCTL_API=2 etcdctl ${E} get ${KEY}; ETCDCTL_API=3 etcdctl ${E} get --print-value-only ${KEY}`);
const setBoth = (v: string) => onNode(1, `ETCDCTL_API=2 etcdctl ${E} set ${KEY} '${v}' >/dev/null && ETCDCTL_API=3 etcdctl ${E} put ${KEY} '${v}' >/dev/null`);

// `flannel set` until its stdout matches `at`; then `meanwhile` runs (someone else's write), and the
// write that node 1's etcdctl holds at its gate goes on. The gate holds the write whatever the
// timing, so the other write always lands between flannel set's read and its write.
async function setWith(at: RegExp, meanwhile: () => Promise<unknown>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'flannel', 'set', '-i', LAB_INVENTORY, '--network', '198.19.192.0/18'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (at.test(stdout)) resolve();
    });
    void closed.then(() => reject(new Error(`flannel set ended before ${at}:\n${stdout}\n${stderr}`)));
  });
  await meanwhile();
  // A flannel set that never reaches the gate (one that does not write with a swap) just ends; the
  // pending write to the gate then ends at repair, which opens the gate for every waiter.
  await Promise.race([writeFile(join(LAB_STATE, 'nodes', '1', 'etcdctl.gate'), 'go\n'), closed]);
  return { code: await closed, stdout, stderr };
}

describe('flannel set against a concurrent writer, on the real etcd 3.4 (LAB_ETCD=single)', { skip: labSkip }, () => {
  before(async () => {
    await etcdLab(['up', '2'], { LAB_ETCD: 'single', LAB_ETCD_V2: '1' });
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('v2 changed between read and write: a conflict, nothing written, the other writer\'s value kept', async () => {
    await setBoth(OLD);
    await etcdLab(['fault', 'etcdctl-slow', '1'], { LAB_ETCDCTL_GATE: '1', LAB_ETCDCTL_SLOW_ON: '--swap-with-value=' });
    let r;
    try {
      r = await setWith(/\(v2\) through lab-node-1: /, () => onNode(1, `ETCDCTL_API=2 etcdctl ${E} set ${KEY} '${THEIRS}'`));
    } finally {
      await etcdLab(['repair', '1']);
    }
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.endsWith(`conflict (v2): ${KEY} changed since it was read: it held ${OLD}, it now holds ${THEIRS}; someone else wrote it, so clusterctl did not overwrite it\nnothing was written\n`), r.stdout);
    assert.equal(await both(), `${THEIRS}\n${OLD}\n`);
  });

  test('v3 changed after v2 was written: both keyspaces named, and the printed command puts v2 back', async () => {
    await setBoth(OLD);
    await etcdLab(['fault', 'etcdctl-slow', '1'], { LAB_ETCDCTL_GATE: '1', LAB_ETCDCTL_SLOW_ON: 'json txn' });
    let r;
    try {
      r = await setWith(/written and read back \(v2\)\n/, () => onNode(1, `ETCDCTL_API=3 etcdctl ${E} put ${KEY} '${THEIRS}'`));
    } finally {
      await etcdLab(['repair', '1']);
    }
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^conflict \\(v3\\): ${KEY} changed since it was read: it held .*, it now holds .*198\\.19\\.64\\.0/18.*; someone else wrote it, so clusterctl did not overwrite it$`, 'm'));
    assert.ok(r.stdout.includes(`the keyspaces now differ: v2 holds the new value ${NEW} (written by this run); v3 holds ${THEIRS} (not written)\n`), r.stdout);
    assert.equal(await both(), `${NEW}\n${THEIRS}\n`);
    const undo = /^to put v2 back as it was: (.*)$/m.exec(r.stdout)?.[1] ?? '';
    assert.match(undo, /^ETCDCTL_API=2 etcdctl .* set '--swap-with-value=\{"Network":"198\.19\.192\.0\/18"\}' -- \/coreos\.com\/network\/config /);
    await onNode(1, undo);
    assert.equal(await both(), `${OLD}\n${THEIRS}\n`);
  });
});
