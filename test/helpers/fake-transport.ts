import { MARKER } from '../../src/facts/probe.js';
import type { ExecResult, Transport } from '../../src/transport/types.js';

// A transport keyed by command, for hermetic unit tests (STYLE habit 8).
export type FakeAnswer = Partial<ExecResult> | ((timeoutMs: number | undefined) => Promise<ExecResult>);

export interface FakeTransport extends Transport {
  commands: string[];
  closed: boolean;
}

export function fakeTransport(answers: Record<string, FakeAnswer>): FakeTransport {
  const t: FakeTransport = {
    commands: [],
    closed: false,
    async exec(command, options) {
      t.commands.push(command);
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
      if (typeof a === 'function') return a(options?.timeoutMs);
      return { stdout: '', stderr: '', code: 0, timedOut: false, ...a };
    },
    close() {
      t.closed = true;
    },
  };
  return t;
}

// Probe output in the probe's own section format, from plain bodies.
export function probeOutput(sections: Record<string, { body: string; rc?: number; fmt?: 'json' | 'text' }>): string {
  const parts = Object.entries(sections).map(
    ([name, s]) => `${MARKER}begin ${name}\n${s.body}\n${MARKER}end ${name} rc=${s.rc ?? 0} fmt=${s.fmt ?? 'text'}\n`,
  );
  return `${parts.join('')}${MARKER}done\n`;
}
