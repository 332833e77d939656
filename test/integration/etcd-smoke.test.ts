import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAB_INVENTORY, LAB_STATE, labSkip, nodeName } from '../helpers/lab.js';
import { dumpKeyspaces, etcdLab, onNode, seed } from '../fixtures/etcd/lab.js';

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
    assert.match(report.nodes[0]?.steps[3]?.message ?? '', /^\/clusterctl-smoke-\d{8}T\d{6}Z-[0-9a-f]{12}\/key = clusterctl-[0-9a-f]{12}$/);
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
      assert.match(n?.cleanup ?? '', /^cleaned up: \/clusterctl-smoke-.* is gone$/);
    } finally {
      await etcdLab(['repair', '1']);
    }
    assert.equal(await dumpKeyspaces(1), before0);
  });

  // A stop signal while the run's key is in etcd (after mkdir and set, at get, before rm): the
  // node's etcdctl holds that get at a gate until the signal has been seen, so nothing is left to
  // timing. Ctrl-C, a CI job's timeout or timeout(1), a closed terminal: the same cleanup.
  const cases = [['v2', 'SIGINT', 130], ['v2', 'SIGTERM', 143], ['v3', 'SIGTERM', 143], ['v2', 'SIGHUP', 129]] as const;
  for (const [api, signal, exit] of cases) {
    test(`${signal} in the middle (--api ${api}): cleanup runs over the open connection, exit ${exit}, keyspaces and leases as before`, async () => {
      await etcdLab(['fault', 'etcdctl-slow', '1'], { LAB_ETCDCTL_GATE: '1', LAB_ETCDCTL_SLOW_ON: 'get -- /clusterctl-smoke-' });
      try {
        const r = await stopAtGet(api, signal);
        assert.equal(r.signal, null, r.stderr);
        assert.equal(r.code, exit, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stderr, signal === 'SIGINT' ? /interrupted: cleaning up on the nodes/ : new RegExp(`stopped by ${signal}.*: cleaning up on the nodes`));
        // While the run was held: its key lived under a TTL (v2) or a lease (v3), no longer than the run.
        assert.ok(r.ttl > 0 && r.ttl <= TTL, `TTL ${r.ttl}`);
        assert.match(r.stdout, /PASS\s+lab-node-1 get \d+ ms: /);
        assert.match(r.stdout, /SKIP\s+lab-node-1 rm 0 ms: not run: interrupted/);
        assert.match(r.stdout, /PASS\s+lab-node-1 cleanup: cleaned up: \/clusterctl-smoke-\S+ is gone/);
      } finally {
        await etcdLab(['repair', '1']);
      }
      assert.equal(await dumpKeyspaces(1), before0);
      assert.equal(await onNode(1, 'ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 lease list'), 'found 0 leases\n');
    });
  }
});

// The TTL a run's key gets at the default --command-timeout (10 s): 13 calls and a minute.
const TTL = 13 * 10 + 60;

// Run smoke-etcd until its get waits at the node's gate, read the key's TTL there, send `signal`,
// and let the get go on once clusterctl says it is cleaning up.
async function stopAtGet(api: 'v2' | 'v3', signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ttl: number }> {
  const child = spawn(process.execPath, [BIN, 'smoke-etcd', '-i', LAB_INVENTORY, '--api', api], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const seen = (re: RegExp, stream: 'stdout' | 'stderr') =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const m = re.exec(stream === 'stdout' ? stdout : stderr);
        if (m) resolve(m);
      };
      look();
      child[stream].on('data', look);
      child.on('close', () => reject(new Error(`clusterctl ended before ${re}:\n${stdout}\n${stderr}`)));
    });
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  // set has passed, so get is the call in flight: it waits at the gate.
  const set = await seen(/PASS\s+lab-node-1 set \d+ ms: (?:set|put) (\/clusterctl-smoke-\S+\/key)/, 'stdout');
  const key = set[1] ?? '';
  const e = '--endpoints=http://127.0.0.1:2379';
  let ttl: number;
  if (api === 'v2') {
    ttl = Number(/^TTL: (\d+)$/m.exec(await onNode(1, `ETCDCTL_API=2 etcdctl ${e} -o extended get ${key}`))?.[1]);
  } else {
    // The lease ID is a 64-bit number: JSON.parse would round it.
    const lease = BigInt(/"lease":(\d+)/.exec(await onNode(1, `ETCDCTL_API=3 etcdctl ${e} -w json get ${key}`))?.[1] ?? 0).toString(16);
    ttl = Number(/remaining\((\d+)s\)/.exec(await onNode(1, `ETCDCTL_API=3 etcdctl ${e} lease timetolive ${lease}`))?.[1]);
  }
  child.kill(signal);
  await seen(/cleaning up on the nodes/, 'stderr');
  await Promise.race([writeFile(join(LAB_STATE, 'nodes', '1', 'etcdctl.gate'), 'go\n'), closed]);
  const [code, sig] = await closed;
  return { code, signal: sig, stdout, stderr, ttl };
}

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
