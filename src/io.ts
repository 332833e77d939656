// What a command may touch of the outside world; main.ts passes the real ones, tests fakes.
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  // A command that must undo remote changes after Ctrl-C (smoke-etcd) asks main, before it
  // starts, to wait up to `ms` for it to finish instead of exiting 50 ms after the interrupt.
  holdOnInterrupt?: (ms: number) => void;
}
