// A command that keeps running on the node and takes requests on its stdin, one at a time: each
// request's reply is what the command prints until a line break and `@@clusterctl:ran NONCE rc=N`, where
// NONCE is the request's own (random, so no text from the node can end a reply early). What runs
// and what a request is belong to the caller (facts/session.ts); this file only frames them on
// one stream. It spares each request a new SSH session, a new login shell and the script's start.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MAX_OUTPUT_BYTES as MAX_REPLY_BYTES } from './types.js';
import type { ExecResult, RemoteSession } from './types.js';

const RAN = '@@clusterctl:ran ';

// The running command, as a transport starts it: its stdin, stdout and stderr, and how to stop it.
export interface RemoteProcess {
  write(text: string): void;
  onStdout(cb: (chunk: Buffer) => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  onClose(cb: (why: string) => void): void; // exited, killed, or the connection went
  kill(): void; // KILL it and stop reading
}

// A local child process (`sh -c`, spawned with every stdio a pipe) as a session's command;
// `onExit` runs once it has ended, `kill` stops it however the caller must.
export function childProcess(child: ChildProcessWithoutNullStreams, name: string, kill: () => void, onExit?: () => void): RemoteProcess {
  child.stdin.on('error', () => undefined); // a dead shell: the close below says so
  child.on('error', () => undefined); // no such program: 'close' follows and ends the session
  return {
    write: (text) => void child.stdin.write(text),
    onStdout: (cb) => void child.stdout.on('data', cb),
    onStderr: (cb) => void child.stderr.on('data', cb),
    onClose: (cb) =>
      void child.on('close', (code, sig) => {
        onExit?.();
        cb(`${name} exited (${sig ?? code})`);
      }),
    kill,
  };
}

interface Pending {
  nonce: string;
  out: string; // the reply, MAX_REPLY_BYTES at most
  tail: string; // once over that, the last few KiB, to find the end line in
  size: number;
  truncated: boolean;
  err: string;
  finish: (r: ExecResult) => void;
}

// One running command. Requests wait for the one before them. Once it is gone (closed, timed out,
// killed), every request fails at once: a kept connection asks for a new session.
export class Session implements RemoteSession {
  private closed: string | undefined;
  private current: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly errDecoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly proc: Promise<RemoteProcess>) {
    proc.then(
      (p) => {
        p.onStdout((chunk) => this.stdout(chunk));
        p.onStderr((chunk) => {
          if (this.current && this.current.err.length < 64 * 1024) this.current.err += this.errDecoder.decode(chunk, { stream: true });
        });
        p.onClose((why) => this.end(why));
      },
      (err: unknown) => this.end(`cannot start a command: ${(err as Error).message}`),
    );
  }

  isOpen(): boolean {
    return this.closed === undefined;
  }

  close(): void {
    if (this.closed !== undefined) return;
    this.end('the session was closed');
    this.proc.then((p) => p.kill(), () => undefined);
  }

  request(request: (nonce: string) => string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.one(request, options.timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async one(request: (nonce: string) => string, timeoutMs: number | undefined): Promise<ExecResult> {
    const gone = (why: string): ExecResult => ({ stdout: '', stderr: `[clusterctl: ${why}]`, code: null, timedOut: false });
    if (this.closed !== undefined) return gone(this.closed);
    let p: RemoteProcess;
    try {
      p = await this.proc;
    } catch (err) {
      return gone(`cannot start a command: ${(err as Error).message}`);
    }
    if (this.closed !== undefined) return gone(this.closed);
    const nonce = randomBytes(8).toString('hex');
    return new Promise<ExecResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.current = {
        nonce,
        out: '',
        tail: '',
        size: 0,
        truncated: false,
        err: '',
        finish: (r) => {
          if (timer) clearTimeout(timer);
          this.current = undefined;
          resolve(r);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const c = this.current;
          this.end(`timed out after ${timeoutMs / 1000}s`, true);
          p.kill();
          c?.finish({ stdout: c.out, stderr: c.err, code: null, timedOut: true });
        }, timeoutMs);
      }
      p.write(request(nonce));
    });
  }

  private stdout(chunk: Buffer): void {
    const c = this.current;
    if (!c) return; // between requests the command prints nothing; anything else is dropped
    const text = this.decoder.decode(chunk, { stream: true });
    c.size += chunk.length;
    if (c.size > MAX_REPLY_BYTES) {
      if (!c.truncated) c.tail = c.out.slice(-4096);
      c.truncated = true;
      c.tail = (c.tail + text).slice(-8192);
    } else c.out += text;
    const seen = c.truncated ? c.tail : c.out;
    const mark = `${RAN}${c.nonce} rc=`;
    const at = seen.lastIndexOf(mark);
    if (at < 0 || (at > 0 && seen[at - 1] !== '\n')) return;
    const rest = seen.slice(at + mark.length);
    const nl = rest.indexOf('\n');
    if (nl < 0) return;
    const code = Number(rest.slice(0, nl));
    // The line break before the end line is the session's, not the output's.
    const stdout = c.truncated ? c.out : seen.slice(0, Math.max(0, at - 1));
    const note = c.truncated ? `\n[clusterctl: output cut at ${MAX_REPLY_BYTES} bytes]` : '';
    c.finish({ stdout, stderr: c.err + note, code: Number.isInteger(code) ? code : null, timedOut: false });
  }

  private end(why: string, timedOut = false): void {
    if (this.closed !== undefined) return;
    this.closed = why;
    const c = this.current;
    if (c && !timedOut) c.finish({ stdout: c.out, stderr: `${c.err}\n[clusterctl: the session ended during the command: ${why}]`, code: null, timedOut: false });
  }
}
