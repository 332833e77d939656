import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProcessShell } from '../../../src/transport/remote-shell.js';
import type { RemoteProcess, Starting } from '../../../src/transport/remote-shell.js';
import { MAX_OUTPUT_BYTES } from '../../../src/transport/types.js';
import type { Stall } from '../../../src/transport/types.js';

// A RemoteProcess the test drives: what the shell writes is recorded, what the node prints is
// pushed by the test, chunk by chunk.
function fakeProcess() {
  const out: ((chunk: Buffer) => void)[] = [];
  const closes: ((why: string) => void)[] = [];
  const p = {
    written: [] as string[],
    killed: 0,
    write: (text: string) => void p.written.push(text),
    onStdout: (cb: (chunk: Buffer) => void) => void out.push(cb),
    onStderr: () => undefined,
    onClose: (cb: (why: string) => void) => void closes.push(cb),
    kill: () => void p.killed++,
    print: (text: string | Buffer) => out.forEach((cb) => cb(Buffer.isBuffer(text) ? text : Buffer.from(text))),
    nonce: () => /^\S+ (\S+)/.exec(p.written.at(-1) ?? '')?.[1] ?? '',
  };
  return p satisfies RemoteProcess;
}

const tick = () => new Promise((res) => setImmediate(res));

describe('ProcessShell: a reply is found in time linear in its bytes', () => {
  test('4 MiB fed a byte at a time: every byte is looked at a small, fixed number of times', async () => {
    const p = fakeProcess();
    const s = new ProcessShell(Promise.resolve(p));
    const reply = s.request((nonce) => `probe ${nonce}\n`);
    await tick();
    const nonce = p.nonce();
    // Lines of every kind a node could print: plain, ones that start like the end line, one with
    // the mark of another nonce, and one far longer than any end line.
    const body = Buffer.from(`${'x'.repeat(1000)}\n@@clusterctl:ran \n@@clusterctl:ran 0000000000000000 rc=0\n@@clusterctl:ra\n`.repeat(4000));
    const bytes = Buffer.concat([body.subarray(0, MAX_OUTPUT_BYTES - 200), Buffer.from(`\n@@clusterctl:ran ${nonce} rc=3\n`)]);
    for (let i = 0; i < bytes.length; i++) p.print(bytes.subarray(i, i + 1));
    const r = await reply;
    assert.equal(r.code, 3);
    assert.equal(r.stdout, body.subarray(0, MAX_OUTPUT_BYTES - 200).toString());
    assert.equal(s.scan.received, bytes.length);
    assert.ok(s.scan.searched <= 3 * s.scan.received, `searched ${s.scan.searched} characters for ${s.scan.received} received`);
  });

  test('the same reply in one chunk, and the end line split across chunks anywhere', async () => {
    for (const cut of [0, 1, 5, 20, 40]) {
      const p = fakeProcess();
      const s = new ProcessShell(Promise.resolve(p));
      const reply = s.request((nonce) => `probe ${nonce}\n`);
      await tick();
      const text = `a\nb\n@@clusterctl:ran ${p.nonce()} rc=0\n`;
      p.print(text.slice(0, 4 + cut));
      p.print(text.slice(4 + cut));
      assert.deepEqual(await reply, { stdout: 'a\nb', stderr: '', code: 0, timedOut: false }, `cut at ${cut}`);
    }
  });

  test('an end line at the very start is an empty reply; one not at a line start is output', async () => {
    const p = fakeProcess();
    const s = new ProcessShell(Promise.resolve(p));
    const first = s.request((nonce) => `probe ${nonce}\n`);
    await tick();
    p.print(`@@clusterctl:ran ${p.nonce()} rc=0\n`);
    assert.equal((await first).stdout, '');
    const second = s.request((nonce) => `probe ${nonce}\n`);
    await tick();
    const n = p.nonce();
    p.print(`x@@clusterctl:ran ${n} rc=1\ny\n@@clusterctl:ran ${n} rc=2\n`);
    assert.deepEqual(await second, { stdout: `x@@clusterctl:ran ${n} rc=1\ny`, stderr: '', code: 2, timedOut: false });
  });

  test('past 4 MiB the reply is cut, and its end is still found', async () => {
    const p = fakeProcess();
    const s = new ProcessShell(Promise.resolve(p));
    const reply = s.request((nonce) => `probe ${nonce}\n`);
    await tick();
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let i = 0; i < 70; i++) p.print(chunk);
    p.print(`\n@@clusterctl:ran ${p.nonce()} rc=0\n`);
    const r = await reply;
    assert.equal(r.code, 0);
    assert.equal(r.stdout.length, MAX_OUTPUT_BYTES);
    assert.match(r.stderr, /output cut at 4194304 bytes/);
  });
});

describe('ProcessShell: the timeout covers the command coming up', () => {
  const starting = (step: Stall) => {
    const st = { abandoned: 0, step: () => step, abandon: () => void st.abandoned++ };
    return st satisfies Starting;
  };

  for (const step of ['channel', 'exec'] as const) {
    test(`a command stuck at ${step} times the request out, naming the step, and gives up on it`, async () => {
      const st = starting(step);
      const s = new ProcessShell(new Promise<RemoteProcess>(() => undefined), st);
      const r = await s.request((nonce) => `probe ${nonce}\n`, { timeoutMs: 50 });
      assert.deepEqual(r, { stdout: '', stderr: `[clusterctl: timed out after 0.05s at ${step}: ${step === 'channel' ? 'the node never confirmed the session channel' : 'the node never answered the exec request'}]`, code: null, timedOut: true, stalled: step });
      assert.equal(st.abandoned, 1);
      assert.equal(s.isOpen(), false);
    });
  }

  test('a reply that never ends times out at reply with what came, and the command is killed', async () => {
    const p = fakeProcess();
    const s = new ProcessShell(Promise.resolve(p));
    const reply = s.request((nonce) => `probe ${nonce}\n`, { timeoutMs: 50 });
    await tick();
    p.print('partial');
    const r = await reply;
    assert.deepEqual(r, { stdout: 'partial', stderr: '\n[clusterctl: timed out after 0.05s at reply: no end of reply]', code: null, timedOut: true, stalled: 'reply' });
    assert.equal(p.killed, 1);
  });
});
