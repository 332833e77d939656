// What a command may touch of the outside world; main.ts passes the real ones, tests fakes.
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}
