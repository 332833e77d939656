// A remote shell: a command that keeps running on the node and takes requests on its stdin, one at
// a time: each
// request's reply is what the command prints until a line break and `@@clusterctl:ran NONCE rc=N`, where
// NONCE is the request's own (random, so no text from the node can end a reply early). What runs
// and what a request is belong to the caller (facts/request.ts); this file only frames them on
// one stream. It spares each request a new SSH session channel, a new login shell and the script's start.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MAX_OUTPUT_BYTES as MAX_REPLY_BYTES, stallNote } from './types.js';
import type { ExecResult, RemoteShell, Stall } from './types.js';

const RAN = '@@clusterctl:ran ';

// The running command, as a transport starts it: its stdin, stdout and stderr, and how to stop it.
export interface RemoteProcess {
  write(text: string): void;
  onStdout(cb: (chunk: Buffer) => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  onClose(cb: (why: string) => void): void; // exited, killed, or the connection went
  kill(): void; // KILL it and stop reading
}

// A local child process (`sh -c`, spawned with every stdio a pipe) as a remote shell's command;
// `onExit` runs once it has ended, `kill` stops it however the caller must.
export function childProcess(child: ChildProcessWithoutNullStreams, name: string, kill: () => void, onExit?: () => void): RemoteProcess {
  child.stdin.on('error', () => undefined); // a dead shell: the close below says so
  child.on('error', () => undefined); // no such program: 'close' follows and ends the shell
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

// How a remote shell's command is coming up, while it is: which step it waits for, and how to give up.
export interface Starting {
  step(): Stall;
  abandon(): void;
}

// The end line is at most this long after its mark: a longer line is output, not the end.
const MAX_RC = 32;

interface Pending {
  nonce: string;
  mark: string; // the end line up to its rc
  parts: string[]; // the reply, MAX_REPLY_BYTES at most
  chars: number; // characters of the reply received so far
  line: string | null; // the reply's current line while it could still be the end line
  lineAt: number; // where the current line starts, in characters
  size: number;
  truncated: boolean;
  err: string;
  finish: (r: ExecResult) => void;
}

// The RemoteShell over one RemoteProcess (SSH channel or local child). Requests wait for the one before them. Once it is gone (closed, timed out,
// killed), every request fails at once: a kept connection starts a new shell.
export class ProcessShell implements RemoteShell {
  private closed: string | undefined;
  private current: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly errDecoder = new TextDecoder('utf-8', { fatal: false });
  private started = false;
  // Characters received and characters looked at to find end lines: the tests hold the second to
  // a small multiple of the first, whatever the chunks.
  readonly scan = { received: 0, searched: 0 };

  constructor(
    private readonly proc: Promise<RemoteProcess>,
    private readonly starting?: Starting,
  ) {
    proc.then(
      (p) => {
        this.started = true;
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
    this.end('the remote shell was closed');
    this.starting?.abandon();
    this.proc.then((p) => p.kill(), () => undefined);
  }

  request(request: (nonce: string) => string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.one(request, options.timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  // The timeout runs from here: a command whose channel or exec the node never answers times the
  // request out like a reply that never ends, and says which step it was.
  private async one(request: (nonce: string) => string, timeoutMs: number | undefined): Promise<ExecResult> {
    const gone = (why: string): ExecResult => ({ stdout: '', stderr: `[clusterctl: ${why}]`, code: null, timedOut: false });
    if (this.closed !== undefined) return gone(this.closed);
    const began = performance.now();
    let p: RemoteProcess | 'late';
    try {
      p = await (timeoutMs === undefined || this.started ? this.proc : deadline(this.proc, timeoutMs));
    } catch (err) {
      return gone(`cannot start a command: ${(err as Error).message}`);
    }
    if (p === 'late') {
      const step = this.starting?.step() ?? 'exec';
      this.end(`timed out after ${(timeoutMs as number) / 1000}s at ${step}`, true);
      this.starting?.abandon();
      this.proc.then((q) => q.kill(), () => undefined);
      return { stdout: '', stderr: stallNote(step, timeoutMs as number), code: null, timedOut: true, stalled: step };
    }
    if (this.closed !== undefined) return gone(this.closed);
    const proc = p;
    const nonce = randomBytes(8).toString('hex');
    return new Promise<ExecResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.current = {
        nonce,
        mark: `${RAN}${nonce} rc=`,
        parts: [],
        chars: 0,
        line: '',
        lineAt: 0,
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
          proc.kill();
          c?.finish({ stdout: c.parts.join(''), stderr: `${c.err}\n${stallNote('reply', timeoutMs)}`, code: null, timedOut: true, stalled: 'reply' });
        }, Math.max(0, timeoutMs - (performance.now() - began)));
      }
      proc.write(request(nonce));
    });
  }

  // Each chunk is looked at once: its line breaks are found, and only a line that could still be
  // the end line (short, starting with the mark) is kept and compared. A node trickling a byte at
  // a time costs a byte's work a byte, not the whole reply again.
  private stdout(chunk: Buffer): void {
    const c = this.current;
    if (!c) return; // between requests the command prints nothing; anything else is dropped
    const text = this.decoder.decode(chunk, { stream: true });
    this.scan.received += text.length;
    c.size += chunk.length;
    if (c.size > MAX_REPLY_BYTES) c.truncated = true;
    else c.parts.push(text);
    for (let from = 0; from < text.length; ) {
      const nl = text.indexOf('\n', from);
      const to = nl < 0 ? text.length : nl;
      this.scan.searched += to - from + (nl < 0 ? 0 : 1);
      if (c.line !== null) c.line = c.line.length + (to - from) > c.mark.length + MAX_RC ? null : this.extend(c.mark, c.line, text.slice(from, to));
      if (nl < 0) break;
      if (c.line !== null && c.line.length >= c.mark.length) return this.ended(c, c.line.slice(c.mark.length));
      c.line = '';
      c.lineAt = c.chars + nl + 1;
      from = nl + 1;
    }
    c.chars += text.length;
  }

  // The line with `seg` added, or null once it no longer starts with the mark; `seg` is compared
  // with the part of the mark it falls on, nothing else.
  private extend(mark: string, line: string, seg: string): string | null {
    this.scan.searched += seg.length;
    const head = mark.slice(line.length, line.length + seg.length);
    return seg.startsWith(head) ? line + seg : null;
  }

  private ended(c: Pending, rc: string): void {
    const code = Number(rc);
    // The line break before the end line is the shell's, not the output's.
    const stdout = c.truncated ? c.parts.join('') : c.parts.join('').slice(0, Math.max(0, c.lineAt - 1));
    const note = c.truncated ? `\n[clusterctl: output cut at ${MAX_REPLY_BYTES} bytes]` : '';
    c.finish({ stdout, stderr: c.err + note, code: rc !== '' && Number.isInteger(code) ? code : null, timedOut: false });
  }

  private end(why: string, timedOut = false): void {
    if (this.closed !== undefined) return;
    this.closed = why;
    const c = this.current;
    if (c && !timedOut) c.finish({ stdout: c.parts.join(''), stderr: `${c.err}\n[clusterctl: the remote shell ended during the command: ${why}]`, code: null, timedOut: false });
  }
}

// p, or 'late' once ms have passed.
function deadline<T>(p: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
