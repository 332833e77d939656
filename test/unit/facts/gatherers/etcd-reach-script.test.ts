import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { parseReach, reachScript, reachTargets } from '../../../../src/facts/gatherers/etcd-reach-script.js';
import type { ReachTarget } from '../../../../src/facts/gatherers/etcd-reach-script.js';
import { straced } from '../../../helpers/strace.js';
import { PART_PREAMBLE, withNonce } from '../../../../src/util/frame-shell.js';
import { framePart, readParts } from '../../../../src/util/frames.js';
import { TEST_NONCE } from '../../../helpers/nonce.js';

// The script as a batch sends it: after the framing's functions, with the request's nonce.
const framed = (script: string) => withNonce(TEST_NONCE, `${PART_PREAMBLE}\n${script}`);
const run = async (shell: string, script: string, env: NodeJS.ProcessEnv = process.env) => (await promisify(execFile)(shell, ['-c', framed(script)], { env })).stdout;
const sh = (script: string, env?: NodeJS.ProcessEnv) => run('sh', script, env);
// Each target's part as a line, "I rc=STATUS TEXT", sorted.
const sorted = (out: string) =>
  [...readParts(out, TEST_NONCE)].flatMap(([name, p]) => (name.startsWith('reach.') && !('error' in p) ? [`${name.slice('reach.'.length)} rc=${p.rc} ${p.body}`] : [])).sort();
const parse = (out: string, targets: readonly ReachTarget[], timeoutS?: number) => parseReach(readParts(out, TEST_NONCE), targets, timeoutS);

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
    const r = parse(await sh(reachScript(targets)), targets);
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
      for (const out of [await sh(script), await run('bash', script)]) {
        const r = parse(out, hostile);
        assert.ok(r.ok);
        assert.deepEqual(r.results.map((x) => x.ok), [false, false]);
      }
      assert.equal(existsSync(mark), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // bash as Flatcar runs a script (bash named sh: POSIX mode), plain bash, bash 4's path (timeout,
  // with EPOCHREALTIME unset) and the sh path's text (printf | tr | head) from bash with
  // BASH_VERSION unset too.
  describe('under bash', () => {
    let dir = '';
    let bashAsSh = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'reach-'));
      bashAsSh = join(dir, 'sh');
      symlinkSync('/bin/bash', bashAsSh);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const shPath = (script: string) => run('bash', `unset EPOCHREALTIME BASH_VERSION; ${script}`);
    const bash4 = (shell: string, script: string) => run(shell, `unset EPOCHREALTIME; ${script}`);
    const read = (out: string, targets: ReachTarget[]) => parse(out, targets);

    test('the lines are the ones sh prints: open, refused, and a message past 300 bytes with newlines', async () => {
      const targets = [
        { endpoint: 'open', host: '127.0.0.1', port },
        { endpoint: 'refused', host: '127.0.0.1', port: closed },
        { endpoint: 'long', host: '127.0.0.1', port: 'x'.repeat(400) as unknown as number }, // a service name: looked up in /etc/services
      ];
      const script = reachScript(targets);
      const want = sorted(await shPath(script));
      assert.deepEqual(want.slice(0, 2), [`0 rc=0 `, `1 rc=1 bash: connect: Connection refused bash: line 1: /dev/tcp/127.0.0.1/${closed}: Connection refused`]);
      assert.equal(want[2]?.length, '2 rc=1 '.length + 300, 'the long message is cut at 300 bytes');
      for (const shell of ['bash', bashAsSh]) {
        assert.deepEqual(sorted(await bash4(shell, script)), want, shell);
        // One target alone, in the foreground: its line is the same.
        const alone = await bash4(shell, reachScript([targets[1]!]));
        assert.deepEqual(sorted(alone), [want[1]?.replace(/^1 rc=/, '0 rc=')], shell);
        // bash 5's path: bash's words in the same places (its line numbers are its own), and the same reading.
        const fast = sorted(await run(shell, script));
        assert.equal(fast[0], want[0], shell);
        assert.match(fast[1] ?? '', new RegExp(`^1 rc=1 bash: connect: Connection refused bash: line \\d+: /dev/tcp/127.0.0.1/${closed}: Connection refused$`), shell);
        assert.equal(fast[2]?.length, want[2]?.length, shell);
        assert.deepEqual(read(await run(shell, script), targets), read(await shPath(script), targets), shell);
      }
    });
    test('a connect that hangs is cut at the timeout on every path: rc=124, ETIMEDOUT', async () => {
      const hang = mkdtempSync(join(dir, 'hang-'));
      writeFileSync(join(hang, 'bash'), '#!/bin/sh\nexec sleep 10\n', { mode: 0o755 }); // a `bash` that never answers, first on PATH
      const targets = [{ endpoint: 'a', host: '127.0.0.1', port: closed }];
      const script = `PATH=${hang}:$PATH; ${reachScript(targets, 1)}`;
      const outs = await Promise.all([bash4('/bin/bash', script), bash4(bashAsSh, script), shPath(script)]);
      // bash 5's path needs no program: a loopback listener whose queue is full drops the SYN, so the connect hangs.
      const full = await fullListener();
      try {
        const stuck = [{ endpoint: 'b', host: '127.0.0.1', port: full.port }];
        const started = performance.now();
        outs.push(await run('/bin/bash', reachScript(stuck, 1)));
        assert.ok(performance.now() - started < 5000, 'bounded by the deadline');
      } finally {
        full.close();
      }
      for (const out of outs) {
        assert.deepEqual(sorted(out), ['0 rc=124 ']);
        assert.deepEqual(parse(out, targets, 1), { ok: true, results: [{ ...targets[0], ok: false, errno: 'ETIMEDOUT', reason: 'no answer within 1s' }] });
      }
    });
    test('a single target starts no background job and no text filter; several all start at once', async (t) => {
      const one = reachScript([{ endpoint: 'a', host: '127.0.0.1', port: closed }]).split('\n');
      assert.deepEqual(one.filter((l) => / &$|wait/.test(l)), []);
      const three = reachScript([1, 2, 3].map((p) => ({ endpoint: 'a', host: '127.0.0.1', port: p }))).split('\n');
      // All three in the background inside one substitution: their lines come back to this shell,
      // which prints the parts once all are done (no background job writes to the reply).
      assert.deepEqual(three.filter((l) => / &|wait/.test(l)).map((l) => l.trim()), ['l=$(c 127.0.0.1 1 0 & c 127.0.0.1 2 1 & c 127.0.0.1 3 2 & wait)']);
      const bashBranch = one[one.indexOf('  if [ -n "${BASH_VERSION-}" ]; then') + 1] ?? '';
      assert.match(bashBranch, /o=\$\(exec timeout /, 'one fork, which becomes timeout');
      assert.doesNotMatch(bashBranch, /\||tr |head /, 'bash flattens the text itself');
      const oneScript = reachScript([{ endpoint: 'a', host: '127.0.0.1', port: closed }]);
      const counted = await processes(t, dir, `unset EPOCHREALTIME; ${oneScript}`);
      if (counted) assert.deepEqual(counted, { forks: 2, execs: ['timeout', 'bash'] }, 'bash 4: was 8 forks and timeout, bash, tr, head');
      const fast = await processes(t, dir, oneScript);
      if (fast) assert.deepEqual(fast, { forks: 1, execs: [] }, 'bash 5: one process substitution, nothing run');
      const fast3 = await processes(t, dir, reachScript([1, 2, 3].map((p) => ({ endpoint: 'a', host: '127.0.0.1', port: closed + 0 * p }))));
      if (fast3) assert.deepEqual(fast3, { forks: 3, execs: [] });
    });
  });
  test('without timeout on PATH it says so instead of hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reach-'));
    try {
      symlinkSync('/bin/bash', join(dir, 'bash'));
      const { targets } = reachTargets([`http://127.0.0.1:${port}`]);
      const out = await sh(`PATH=${dir}; ${reachScript(targets)}`);
      assert.deepEqual(parse(out, targets), { ok: false, error: 'timeout (coreutils) not found on the node: the TCP check needs it to bound each connect' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A loopback listener that accepts nothing and whose queue is full: the next connect's SYN is
// dropped, so that connect hangs (what a blackholed endpoint does), without leaving loopback.
async function fullListener(): Promise<{ port: number; close(): void }> {
  const py = execFile('python3', ['-c', 'import socket,sys,time\ns=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(0)\nprint(s.getsockname()[1], flush=True); time.sleep(60)']);
  const port = await new Promise<number>((resolve, reject) => {
    py.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    py.once('error', reject);
  });
  const fillers = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1'); s.on('error', () => undefined); setTimeout(() => resolve(s), 200); })));
  return { port, close: () => { fillers.forEach((s) => s.destroy()); py.kill(); } };
}

// The processes bash starts for a script (forks, and the programs it execs), counted by strace;
// undefined where strace is missing or may not trace here (said in the test's output).
async function processes(t: TestContext, dir: string, script: string): Promise<{ forks: number; execs: string[] } | undefined> {
  const calls = (await straced(t, mkdtempSync(join(dir, 'strace-')), 'clone,clone3,fork,vfork,execve', ['/bin/bash', '-c', framed(script)]))?.flatMap((c) => c.split('\n'));
  if (!calls) return undefined;
  const execs = calls.filter((l) => /^execve\(.*= 0$/.test(l)).map((l) => /^execve\("(?:[^"]*\/)?([^"/]+)"/.exec(l)?.[1] ?? '?');
  return { forks: calls.filter((l) => /^(clone3?|v?fork)\(.*= \d+$/.test(l)).length, execs: execs.slice(1) }; // the first is bash itself
}

describe('etcd reach: reading the output', () => {
  const { targets } = reachTargets(['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379', 'http://etcd.invalid:2379', 'http://10.0.0.4:2379']);
  test('timeout, unreachable, name resolution, missing line', () => {
    const out = [
      framePart(TEST_NONCE, 'reach.0', 124, ''),
      framePart(TEST_NONCE, 'reach.1', 1, 'bash: connect: No route to host bash: line 1: /dev/tcp/10.0.0.2/2379: No route to host'),
      framePart(TEST_NONCE, 'reach.2', 1, 'bash: connect: Network is unreachable bash: line 1: /dev/tcp/10.0.0.3/2379: Network is unreachable'),
      framePart(TEST_NONCE, 'reach.3', 1, 'bash: line 1: etcd.invalid: Name or service not known bash: line 1: /dev/tcp/etcd.invalid/2379: Invalid argument'),
    ].join('');
    const r = parse(out, targets);
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
    assert.deepEqual(parse(framePart(TEST_NONCE, 'reach', 1, '', ' why=no-bash'), targets), { ok: false, error: 'bash not found on the node: the TCP check needs bash (/dev/tcp)' });
  });
});
