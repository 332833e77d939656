import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseReach, reachScript, reachTargets } from '../../../../src/facts/gatherers/etcd-reach-script.js';

const sh = async (script: string, env: NodeJS.ProcessEnv = process.env) => (await promisify(execFile)('sh', ['-c', script], { env })).stdout;

describe('etcd reach: targets from endpoint URLs', () => {
  test('ports default by scheme; IPv6 brackets dropped; what is not TCP is said why', () => {
    const r = reachTargets(['http://198.18.1.11:2379', 'https://etcd.lab.test', 'http://[::1]:2379', 'unix:///run/etcd.sock', 'not a url', 'http://a_b:1']);
    assert.deepEqual(r.targets.map((t) => `${t.host} ${t.port}`), ['198.18.1.11 2379', 'etcd.lab.test 443', '::1 2379', 'a_b 1']);
    assert.deepEqual(r.invalid.map((i) => i.why), ['unix:// is not a TCP endpoint', 'not a URL']);
  });
});

// The script on this machine's own sh, bash and timeout, against loopback ports only.
describe('etcd reach: the script, run for real', () => {
  let open: Server;
  let port = 0;
  let closed = 0;
  before(async () => {
    open = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', resolve));
    port = (open.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closed = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  after(() => open.close());

  test('one open, one refused: ok, and ECONNREFUSED with bash\'s words', async () => {
    const { targets } = reachTargets([`http://127.0.0.1:${port}`, `http://127.0.0.1:${closed}`]);
    const r = parseReach(await sh(reachScript(targets)), targets);
    assert.ok(r.ok);
    assert.deepEqual(r.results.map((x) => [x.endpoint.endsWith(String(port)), x.ok, x.errno ?? null]), [[true, true, null], [false, false, 'ECONNREFUSED']]);
    assert.equal(r.results[1]?.reason, 'connect: Connection refused');
  });
  test('a host or port is data: shell syntax in it runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reach-'));
    try {
      const mark = join(dir, 'pwned');
      const hostile = [{ endpoint: 'x', host: '127.0.0.1', port: `1;touch ${mark}` as unknown as number }, { endpoint: 'y', host: `127.0.0.1/$(touch ${mark})`, port: 1 }];
      const script = reachScript(hostile);
      const r = parseReach(await sh(script), hostile);
      assert.ok(r.ok);
      assert.deepEqual(r.results.map((x) => x.ok), [false, false]);
      assert.equal(existsSync(mark), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('without timeout on PATH it says so instead of hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reach-'));
    try {
      symlinkSync('/bin/bash', join(dir, 'bash'));
      const { targets } = reachTargets([`http://127.0.0.1:${port}`]);
      const out = await sh(`PATH=${dir}; ${reachScript(targets)}`);
      assert.deepEqual(parseReach(out, targets), { ok: false, error: 'timeout (coreutils) not found on the node: the TCP check needs it to bound each connect' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('etcd reach: reading the output', () => {
  const { targets } = reachTargets(['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379', 'http://etcd.invalid:2379', 'http://10.0.0.4:2379']);
  test('timeout, unreachable, name resolution, missing line', () => {
    const out = [
      '@@clusterctl-reach 0 rc=124 ',
      '@@clusterctl-reach 1 rc=1 bash: connect: No route to host bash: line 1: /dev/tcp/10.0.0.2/2379: No route to host',
      '@@clusterctl-reach 2 rc=1 bash: connect: Network is unreachable bash: line 1: /dev/tcp/10.0.0.3/2379: Network is unreachable',
      '@@clusterctl-reach 3 rc=1 bash: line 1: etcd.invalid: Name or service not known bash: line 1: /dev/tcp/etcd.invalid/2379: Invalid argument',
    ].join('\n');
    const r = parseReach(out, targets);
    assert.ok(r.ok);
    assert.deepEqual(r.results.map((x) => `${x.errno} ${x.reason}`), [
      'ETIMEDOUT no answer within 2s',
      'EHOSTUNREACH connect: No route to host',
      'ENETUNREACH connect: Network is unreachable',
      'EAI_NONAME etcd.invalid: Name or service not known',
      'EUNKNOWN the connect did not report (cut short?)',
    ]);
  });
  test('no bash', () => {
    assert.deepEqual(parseReach('@@clusterctl-reach no-bash\n', targets), { ok: false, error: 'bash not found on the node: the TCP check needs bash (/dev/tcp)' });
  });
});
