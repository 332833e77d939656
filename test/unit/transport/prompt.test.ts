import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { terminalPrompt } from '../../../src/transport/prompt.js';

// A stand-in terminal: stdin that records raw mode, stderr that records what was shown.
function fakeTty(isTTY = true) {
  const stdin = Object.assign(new PassThrough(), { isTTY, rawModes: [] as boolean[], setRawMode(this: { rawModes: boolean[] }, on: boolean) { this.rawModes.push(on); return this; } });
  let shown = '';
  const out = Object.assign(new PassThrough(), { isTTY });
  out.on('data', (d: Buffer) => (shown += d.toString()));
  return { stdin: stdin as unknown as NodeJS.ReadStream & { rawModes: boolean[] }, out: out as unknown as NodeJS.WriteStream, shown: () => shown };
}

describe('passphrase prompt on the terminal', () => {
  test('reads up to Enter in raw mode, honours backspace, never echoes the secret', async () => {
    const t = fakeTty();
    const prompt = terminalPrompt(t.stdin, t.out);
    assert.ok(prompt);
    const answer = prompt("Enter passphrase for key '/k': ");
    t.stdin.write('secreX\u007ft pass\r');
    assert.equal(await answer, 'secret pass');
    await new Promise((r) => setImmediate(r));
    assert.equal(t.shown(), "Enter passphrase for key '/k': \n");
    assert.deepEqual(t.stdin.rawModes, [true, false]);
  });

  test('Ctrl-C at the prompt gives up instead of hanging', async () => {
    const t = fakeTty();
    const answer = terminalPrompt(t.stdin, t.out)?.('? ');
    t.stdin.write('abc\u0003');
    await assert.rejects(answer ?? Promise.resolve(), /interrupted at the passphrase prompt/);
  });

  test('no terminal (CI, pipes): no prompt at all', () => {
    const t = fakeTty(false);
    assert.equal(terminalPrompt(t.stdin, t.out), undefined);
  });
});
