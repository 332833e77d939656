import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { LAB, LAB_STATE, labSkip } from '../helpers/lab.js';
import { leftovers, sysdLab } from '../helpers/systemd-lab.js';

// `down` of the systemd lab leaves no process, mount, cgroup, veth, namespace or state behind:
// after a full `up`, after an `up` killed with SIGKILL while its nodes were booting, and twice.

describe('systemd lab teardown leaves nothing behind', { skip: labSkip }, () => {
  test('down after a full up', async () => {
    await sysdLab(['up', '2'], { LAB_FLANNEL: '0' });
    assert.notDeepEqual(await leftovers(), [], 'the check sees a running lab');
    await sysdLab(['down']);
    assert.deepEqual(await leftovers(), []);
  });

  test('down after `up` was killed with SIGKILL half-way, with nodes booting and one not provisioned yet', async () => {
    const up = spawn('bash', [LAB, 'up', '3'], { env: { ...process.env, LAB_NODES: 'systemd', LAB_FLANNEL: '0' }, stdio: 'ignore' });
    const exited = new Promise((resolve) => up.on('exit', resolve));
    // Node 2's nspawn started: node 1 is booting, node 3 not yet (or just being) provisioned.
    const marker = join(LAB_STATE, 'nodes', '2', 'nspawn.pid');
    for (let waited = 0; !existsSync(marker); waited += 50) {
      assert.ok(waited < 300_000, 'up never started node 2');
      await sleep(50);
    }
    up.kill('SIGKILL');
    await exited;
    assert.ok((await leftovers()).some((l) => l.startsWith('process ')), 'the killed up left running nodes for down to end');
    await sysdLab(['down']);
    assert.deepEqual(await leftovers(), []);
  });

  test('down on a lab that is already down changes nothing and succeeds', async () => {
    await sysdLab(['down']);
    await sysdLab(['down']);
    assert.deepEqual(await leftovers(), []);
  });
});
