import type { Client, ClientChannel } from 'ssh2';
import { SshError } from './errors.js';
import { Session } from './session.js';
import type { RemoteProcess } from './session.js';
import { MAX_OUTPUT_BYTES } from './types.js';
import type { ExecOptions, ExecResult, RemoteSession, Transport } from './types.js';

export { MAX_OUTPUT_BYTES };

// One authenticated connection. `onClose` lets a shared bastion know one user fewer.
export class SshTransport implements Transport {
  private lost: string | undefined;
  private closed = false;
  private readonly unlisten: () => void;
  constructor(
    private readonly client: Client,
    signal?: AbortSignal,
    private readonly onClose?: () => void,
  ) {
    // A watch opens connections again for hours on one run signal: each one stops listening on close.
    const onAbort = () => this.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.unlisten = () => signal?.removeEventListener('abort', onAbort);
    // Keepalive failures and resets arrive here; a command in flight then ends as "lost".
    client.on('error', (err) => (this.lost = err.message));
    client.on('close', () => (this.lost ??= 'the connection closed'));
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (this.lost !== undefined) return reject(new SshError('network', `connection lost: ${this.lost}`));
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new SshError('network', `cannot start a command: ${err.message}`, { cause: err }));
        collect(stream, this.client, options.timeoutMs, () => this.lost, resolve);
      });
    });
  }

  isOpen(): boolean {
    return !this.closed && this.lost === undefined;
  }

  // One channel running `command`, kept while it lives (a watch round reuses it).
  private readonly sessions = new Map<string, RemoteSession>();
  session(command: string): RemoteSession {
    const open = this.sessions.get(command);
    if (open?.isOpen()) return open;
    const s = new Session(this.start(command));
    this.sessions.set(command, s);
    return s;
  }

  private start(command: string): Promise<RemoteProcess> {
    return new Promise((resolve, reject) => {
      if (this.lost !== undefined) return reject(new SshError('network', `connection lost: ${this.lost}`));
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new SshError('network', `cannot start a command: ${err.message}`, { cause: err }));
        // The channel's end, or the connection's (a dropped connection may close no channel): once.
        let ended: ((why: string) => void) | undefined;
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          this.client.off('close', end);
          ended?.(this.lost !== undefined ? `connection lost: ${this.lost}` : 'the command ended');
        };
        this.client.once('close', end);
        stream.once('close', end);
        resolve({
          write: (text) => void stream.write(text),
          onStdout: (cb) => void stream.on('data', cb),
          onStderr: (cb) => void stream.stderr.on('data', cb),
          onClose: (cb) => void (ended = cb),
          kill: () => {
            // OpenSSH ≥ 7.9 delivers the signal; closing the channel ends the rest.
            stream.signal('KILL');
            stream.close();
          },
        });
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    for (const s of this.sessions.values()) s.close();
    this.client.end();
    this.onClose?.();
  }
}

function collect(stream: ClientChannel, client: Client, timeoutMs: number | undefined, lost: () => string | undefined, resolve: (r: ExecResult) => void): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let timedOut = false;
  const take = (into: Buffer[]) => (chunk: Buffer) => {
    if (size >= MAX_OUTPUT_BYTES) return void (truncated = true);
    const room = MAX_OUTPUT_BYTES - size;
    if (chunk.length > room) truncated = true;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    size += part.length;
    into.push(part);
  };
  stream.on('data', take(out));
  stream.stderr.on('data', take(err));
  let grace: NodeJS.Timeout | undefined;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          // OpenSSH ≥ 7.9 delivers the signal to the remote process; closing the channel ends the rest.
          stream.signal('KILL');
          stream.close();
          // A dead peer never confirms the close: do not wait for it longer than this.
          grace = setTimeout(() => finish(null), 2000);
        }, timeoutMs);
  let done = false;
  const onClientClose = () => finish(null);
  client.once('close', onClientClose);
  stream.on('close', (code: number | null | undefined, signal?: string) => finish(code, signal));
  function finish(code: number | null | undefined, signal?: string): void {
    if (done) return;
    done = true;
    client.off('close', onClientClose);
    if (timer) clearTimeout(timer);
    if (grace) clearTimeout(grace);
    // Invalid UTF-8 becomes U+FFFD: parsers see odd text, never an exception.
    const decode = (parts: Buffer[]) => new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts));
    const why = lost();
    const notes = [
      truncated ? `[clusterctl: output cut at ${MAX_OUTPUT_BYTES} bytes]` : '',
      code == null && !timedOut && why !== undefined ? `[clusterctl: connection lost during the command: ${why}]` : '',
    ].filter(Boolean);
    resolve({
      stdout: decode(out),
      stderr: decode(err) + notes.map((n) => `\n${n}`).join(''),
      code: timedOut ? null : (code ?? null),
      ...(signal ? { signal } : {}),
      timedOut,
    });
  }
}
