import type { ExecResult, Transport } from '../../src/transport/types.js';
import { framePart } from '../../src/util/frames.js';
import { splitNonce, TEST_NONCE, withRequestNonce } from './nonce.js';

// A transport keyed by command, for hermetic unit tests (STYLE habit 8). A command's first line
// `clusterctl_nonce=HEX` (util/frame-shell.ts) is not part of its key: `commands` records the
// script after it, `nonces` the nonce, and TEST_NONCE in an answer's stdout becomes that nonce.
export type FakeAnswer = Partial<ExecResult> | ((timeoutMs: number | undefined) => Promise<ExecResult>);

export interface FakeTransport extends Transport {
  commands: string[];
  nonces: (string | undefined)[];
  closed: boolean;
}

export function fakeTransport(answers: Record<string, FakeAnswer>): FakeTransport {
  const t: FakeTransport = {
    commands: [],
    nonces: [],
    closed: false,
    async exec(sent, options) {
      const { nonce, script: command } = splitNonce(sent);
      t.commands.push(command);
      t.nonces.push(nonce);
      const a = answers[command];
      // A command the test did not expect fails the test: answering "not found" would send a
      // changed command silently down the "etcdctl not found" path.
      // The engine turns a failed exec into data, so the error is also thrown where nothing can catch it.
      if (a === undefined) {
        const err = new Error(`fake transport: no answer for this command (the test does not expect it):\n${command.slice(0, 400)}`);
        setImmediate(() => {
          throw err;
        });
        throw err;
      }
      const r = typeof a === 'function' ? await a(options?.timeoutMs) : { stdout: '', stderr: '', code: 0, timedOut: false, ...a };
      return { ...r, stdout: withRequestNonce(r.stdout, nonce) };
    },
    close() {
      t.closed = true;
    },
  };
  return t;
}

// Probe output in the probe's own section format, from plain bodies, framed with TEST_NONCE.
export function probeOutput(sections: Record<string, { body: string; rc?: number; fmt?: 'json' | 'text' }>): string {
  const parts = Object.entries(sections).map(([name, s]) => framePart(TEST_NONCE, name, s.rc ?? 0, s.body, ` fmt=${s.fmt ?? 'text'}`));
  return `${parts.join('')}${framePart(TEST_NONCE, 'done', 0, '')}`;
}
