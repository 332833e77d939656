import type { Client, ClientChannel } from 'ssh2';
import { startExec } from './channel.js';
import type { StartingExec } from './channel.js';
import { SshError } from './errors.js';
import { ProcessShell } from './remote-shell.js';
import type { RemoteProcess } from './remote-shell.js';
import { MAX_OUTPUT_BYTES, stallNote } from './types.js';
import type { ExecOptions, ExecResult, RemoteShell, Transport } from './types.js';

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

  // The timeout runs from the channel's open to the reply's last byte: a node that never confirms
  // the channel or never answers exec stalls the command no longer than one that never ends.
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (this.lost !== undefined) return reject(new SshError('network', `connection lost: ${this.lost}`));
      const { timeoutMs } = options;
      let running: Collecting | undefined;
      let timer: NodeJS.Timeout | undefined;
      const starting = startExec(this.client, command, (err, stream) => {
        if (err) {
          clearTimeout(timer);
          return reject(new SshError('network', `cannot start a command: ${err.message}`, { cause: err }));
        }
        running = collect(stream, this.client, () => this.lost, (r) => (clearTimeout(timer), resolve(r)));
      });
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        if (running) return running.timeout(timeoutMs);
        const step = starting.step();
        starting.abandon();
        resolve({ stdout: '', stderr: stallNote(step, timeoutMs), code: null, timedOut: true, stalled: step });
      }, timeoutMs);
    });
  }

  isOpen(): boolean {
    return !this.closed && this.lost === undefined;
  }

  // One channel running `command`, kept while it lives (a watch round reuses it).
  private readonly shells = new Map<string, RemoteShell>();
  shell(command: string): RemoteShell {
    const open = this.shells.get(command);
    if (open?.isOpen()) return open;
    const s = this.start(command);
    this.shells.set(command, s);
    return s;
  }

  // The shell's command on a channel of its own; the shell's request deadline covers its start.
  private start(command: string): ProcessShell {
    let starting: StartingExec | undefined;
    const proc = new Promise<RemoteProcess>((resolve, reject) => {
      if (this.lost !== undefined) return reject(new SshError('network', `connection lost: ${this.lost}`));
      starting = startExec(this.client, command, (err, stream) => {
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
            // OpenSSH ≥ 7.9 delivers the signal; closing the channel ends the rest. A peer that
            // never confirms the close holds nothing: the shell has ended already.
            stream.signal('KILL');
            stream.close();
            end();
          },
        });
      });
    });
    // The executor ran already: `starting` is set unless the connection was gone.
    return new ProcessShell(proc, starting);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    for (const s of this.shells.values()) s.close();
    this.client.end();
    this.onClose?.();
  }
}

interface Collecting {
  timeout(timeoutMs: number): void; // signal, close, and resolve now with what came
}

function collect(stream: ClientChannel, client: Client, lost: () => string | undefined, resolve: (r: ExecResult) => void): Collecting {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let timedOut: number | undefined;
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
  let done = false;
  const onClientClose = () => finish(null);
  client.once('close', onClientClose);
  stream.on('close', (code: number | null | undefined, signal?: string) => finish(code, signal));
  function finish(code: number | null | undefined, signal?: string): void {
    if (done) return;
    done = true;
    client.off('close', onClientClose);
    // Invalid UTF-8 becomes U+FFFD: parsers see odd text, never an exception.
    const decode = (parts: Buffer[]) => new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts));
    const why = lost();
    const notes = [
      truncated ? `[clusterctl: output cut at ${MAX_OUTPUT_BYTES} bytes]` : '',
      timedOut !== undefined ? stallNote('reply', timedOut) : '',
      code == null && timedOut === undefined && why !== undefined ? `[clusterctl: connection lost during the command: ${why}]` : '',
    ].filter(Boolean);
    resolve({
      stdout: decode(out),
      stderr: decode(err) + notes.map((n) => `\n${n}`).join(''),
      code: timedOut !== undefined ? null : (code ?? null),
      ...(signal ? { signal } : {}),
      timedOut: timedOut !== undefined,
      ...(timedOut !== undefined ? { stalled: 'reply' as const } : {}),
    });
  }
  return {
    timeout: (timeoutMs) => {
      if (done) return;
      timedOut = timeoutMs;
      // OpenSSH ≥ 7.9 delivers the signal to the remote process; closing the channel ends the rest.
      // A dead peer never confirms the close: the result does not wait for it.
      stream.signal('KILL');
      stream.close();
      finish(null);
    },
  };
}
