import type { StopSignal } from './util/signals.js';

// What a command may touch of the outside world; main.ts passes the real ones, tests fakes.
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  // A command that must undo remote changes after a stop signal (SIGINT, SIGTERM, SIGHUP:
  // smoke-etcd) asks main, before it starts, to wait up to `ms` for it to finish instead of
  // exiting 50 ms after the signal.
  holdOnInterrupt?: (ms: number) => void;
  // A command whose end by a signal is no failure (a future `serve`: SIGTERM → 0) sets that
  // signal's exit code here; otherwise 128 + the signal's number (signals.ts).
  exitCodeOnSignal?: (signal: StopSignal, code: number) => void;
}
