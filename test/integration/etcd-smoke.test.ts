import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, labSkip, nodeName } from '../helpers/lab.js';
import { dumpKeyspaces, etcdLab, seed } from '../fixtures/etcd/lab.js';

interface SmokeJson {
  ok: boolean;
  nodes: { name: string; api: string | null; apiNote: string; error?: string; steps: { step: string; status: string; durationMs: number; message: string }[]; cleanedUp: boolean; cleanup: string }[];
}

async function smoke(...extra: string[]): Promise<{ code: number | null; report: SmokeJson; stderr: string }> {
  const r = await runCli(['smoke-etcd', '-i', LAB_INVENTORY, '--json', ...extra]);
  try {
    return { code: r.code, report: JSON.parse(r.stdout) as SmokeJson, stderr: r.stderr };
  } catch {
    throw new Error(`smoke-etcd printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}
const statuses = (n: SmokeJson['nodes'][number] | undefined) => n?.steps.map((s) => `${s.step}=${s.status}`);
const ALL_PASS = ['ls=pass', 'mkdir=pass', 'set=pass', 'get=pass', 'rm=pass', 'rmdir=pass', 'gone=pass'];
const V3_PASS = ['ls=pass', 'mkdir=skip', 'set=pass', 'get=pass', 'rm=pass', 'rmdir=skip', 'gone=pass'];

describe('smoke-etcd on one real etcd 3.4 with the v2 store on (LAB_ETCD=single)', { skip: labSkip }, () => {
  let before0 = '';
  before(async () => {
    await etcdLab(['up', '3'], { LAB_ETCD: 'single', LAB_ETCD_V2: '1' });
    await seed(1, true);
    before0 = await dumpKeyspaces(1);
    assert.match(before0, /\/seed\/key=v2-value/); // the dump really sees both keyspaces
    assert.match(before0, /plain-key-without-slash\nv3-value/);
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('--api auto picks v3 (v2 works too), every step passes, both keyspaces unchanged', async () => {
    const { code, report } = await smoke();
    assert.equal(code, 0);
    assert.equal(report.ok, true);
    assert.deepEqual(report.nodes.map((n) => n.name), [nodeName(1)]); // only the etcd node
    const n = report.nodes[0];
    assert.equal(n?.api, 'v3');
    assert.match(n?.apiNote ?? '', /^auto: v3 \(v2 also works; etcdctl \/usr\/bin\/etcdctl\)$/);
    assert.deepEqual(statuses(n), V3_PASS);
    assert.equal(n?.cleanedUp, true);
    assert.equal(await dumpKeyspaces(1), before0);
  });

  test('--api v2: the setup guide sequence with mkdir/rmdir passes, both keyspaces unchanged', async () => {
    const { code, report } = await smoke('--api', 'v2');
    assert.equal(code, 0);
    assert.deepEqual(statuses(report.nodes[0]), ALL_PASS);
    assert.match(report.nodes[0]?.steps[3]?.message ?? '', /^\/clusterctl-smoke\/\d{8}T\d{6}Z-[0-9a-f]{12}\/key = clusterctl-[0-9a-f]{12}$/);
    assert.equal(await dumpKeyspaces(1), before0);
  });

  test('a get that times out fails the run, and cleanup still restores both keyspaces', async () => {
    await etcdLab(['fault', 'etcdctl-slow', '1'], { LAB_ETCDCTL_DELAY: '4', LAB_ETCDCTL_SLOW_ON: 'get' });
    try {
      const { code, report } = await smoke('--api', 'v2', '--command-timeout', '1.5');
      assert.equal(code, 1);
      const n = report.nodes[0];
      assert.deepEqual(statuses(n), ['ls=pass', 'mkdir=pass', 'set=pass', 'get=fail', 'rm=skip', 'rmdir=skip', 'gone=skip']);
      assert.equal(n?.steps[3]?.message, 'etcdctl did not finish within 1.5s and was stopped');
      assert.equal(n?.cleanedUp, true);
      assert.match(n?.cleanup ?? '', /^cleaned up: \/clusterctl-smoke\/.* is gone$/);
    } finally {
      await etcdLab(['repair', '1']);
    }
    assert.equal(await dumpKeyspaces(1), before0);
  });

  test('Ctrl-C in the middle: cleanup runs over the open connection, exit 130, keyspaces unchanged', async () => {
    await etcdLab(['fault', 'etcdctl-slow', '1'], { LAB_ETCDCTL_DELAY: '1' });
    try {
      const child = spawn(process.execPath, [BIN, 'smoke-etcd', '-i', LAB_INVENTORY, '--api', 'v2'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Interrupt while `get` runs: mkdir and set have written to etcd by now.
        if (!sent && /PASS\s+lab-node-1 set /.test(stdout)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.equal(sent, true, stdout);
      assert.equal(code, 130, `${stdout}\n${stderr}`);
      assert.match(stderr, /interrupted: cleaning up on the nodes/);
      assert.match(stdout, /SKIP\s+lab-node-1 rm 0 ms: not run: interrupted/);
      assert.match(stdout, /PASS\s+lab-node-1 cleanup: cleaned up: \/clusterctl-smoke\/\S+ is gone/);
    } finally {
      await etcdLab(['repair', '1']);
    }
    assert.equal(await dumpKeyspaces(1), before0);
  });
});

describe('smoke-etcd on a v3-only etcd (LAB_ETCD_V2=0)', { skip: labSkip }, () => {
  let before0 = '';
  before(async () => {
    await etcdLab(['up', '3'], { LAB_ETCD: 'single', LAB_ETCD_V2: '0' });
    await seed(1, false);
    before0 = await dumpKeyspaces(1);
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('--api auto uses v3 and says why not v2', async () => {
    const { code, report } = await smoke();
    assert.equal(code, 0);
    assert.equal(report.nodes[0]?.api, 'v3');
    assert.match(report.nodes[0]?.apiNote ?? '', /v2 does not: etcdctl exited 4: .*does not serve the v2 API/);
    assert.deepEqual(statuses(report.nodes[0]), V3_PASS);
    assert.equal(await dumpKeyspaces(1), before0);
  });

  test('--api v2 fails at ls with a message that the server has no v2 store; nothing touched', async () => {
    const { code, report } = await smoke('--api', 'v2');
    assert.equal(code, 1);
    const ls = report.nodes[0]?.steps[0];
    assert.equal(ls?.status, 'fail');
    assert.match(ls?.message ?? '', /^etcdctl exited 4: Error: {2}client: response is invalid json.*\(the server does not serve the v2 API: etcd >= 3\.4 needs --enable-v2/);
    assert.equal(report.nodes[0]?.cleanedUp, true);
    assert.equal(await dumpKeyspaces(1), before0);
  });
});

describe('smoke-etcd on a 3-member cluster (LAB_ETCD=cluster3)', { skip: labSkip }, () => {
  const EP = 'http://198.18.1.11:2379';
  let before0 = '';
  before(async () => {
    await etcdLab(['up', '3'], { LAB_ETCD: 'cluster3', LAB_ETCD_V2: '1' });
    await seed(1, true, EP);
    before0 = await dumpKeyspaces(1, EP);
  });
  after(async () => {
    await etcdLab(['down']);
  });

  test('every member passes, in parallel, keyspaces unchanged', async () => {
    const { code, report } = await smoke('--api', 'v2');
    assert.equal(code, 0);
    assert.deepEqual(report.nodes.map((n) => [n.name, statuses(n)]), [1, 2, 3].map((i) => [nodeName(i), ALL_PASS]));
    assert.equal(await dumpKeyspaces(1, EP), before0);
  });

  test('a stopped member fails its node with etcdctl\'s message; the others pass; keyspaces unchanged', async () => {
    await etcdLab(['fault', 'etcd-stop', '2']);
    try {
      const { code, report } = await smoke();
      assert.equal(code, 1);
      const [n1, n2, n3] = report.nodes;
      assert.deepEqual([statuses(n1), statuses(n3)], [V3_PASS, V3_PASS]);
      // auto-detect finds no API on node 2: its member is the only endpoint it uses.
      assert.equal(n2?.api, null);
      assert.match(n2?.error ?? '', /^neither etcd API works from this node: v3: etcdctl exited 1: Error: context deadline exceeded.*v2: etcdctl exited \d: .*connection refused/);
      assert.equal(n2?.cleanedUp, true);
      const v2 = await smoke('--api', 'v2', '--node', nodeName(2));
      assert.equal(v2.code, 1);
      assert.equal(v2.report.nodes[0]?.steps[0]?.status, 'fail');
      assert.match(v2.report.nodes[0]?.steps[0]?.message ?? '', /^etcdctl exited \d: Error: {2}client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 198\.18\.1\.12:2379: connect: connection refused/);
    } finally {
      await etcdLab(['repair', '2']);
    }
    assert.equal(await dumpKeyspaces(1, EP), before0);
  });
});
