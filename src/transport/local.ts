import { spawn } from 'node:child_process';
import { MAX_OUTPUT_BYTES } from './ssh.js';
import { childProcess, ProcessShell } from './remote-shell.js';
import type { ExecOptions, ExecResult, RemoteShell, Transport } from './types.js';

// --local: the same Transport, but the command runs on this machine under `sh -c`, for a
// post-install unit on the node itself. Each command gets its own process group so a timeout
// (or closing the transport) kills the whole pipeline, not only the shell.
export function localTransport(signal?: AbortSignal): Transport {
  const running = new Set<number>();
  const killGroup = (pid: number) => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const close = () => {
    for (const pid of running) killGroup(pid);
    running.clear();
  };
  signal?.addEventListener('abort', close, { once: true });
  const shells = new Map<string, RemoteShell>();
  return {
    // `sh -c command` kept running, its stdin ours (transport/remote-shell.ts).
    shell(command: string): RemoteShell {
      const open = shells.get(command);
      if (open?.isOpen()) return open;
      const child = spawn('sh', ['-c', command], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const pid = child.pid;
      if (pid !== undefined) running.add(pid);
      const kill = () => (pid === undefined ? undefined : killGroup(pid));
      const s = new ProcessShell(Promise.resolve(childProcess(child, 'sh', kill, () => pid !== undefined && running.delete(pid))));
      shells.set(command, s);
      return s;
    },
    exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new Error('interrupted'));
        const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const pid = child.pid;
        if (pid !== undefined) running.add(pid);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const collect = (into: Buffer[]) => (d: Buffer) => {
          if (size >= MAX_OUTPUT_BYTES) return void (truncated = true);
          // A chunk that crosses the cap is cut too, and says so (as exec.ts does).
          if (d.length > MAX_OUTPUT_BYTES - size) truncated = true;
          into.push(d.subarray(0, MAX_OUTPUT_BYTES - size));
          size += d.length;
        };
        child.stdout.on('data', collect(out));
        child.stderr.on('data', collect(err));
        let timedOut = false;
        const timer =
          options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                if (pid !== undefined) killGroup(pid);
              }, options.timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(new Error(`cannot run sh on this machine: ${e.message}`, { cause: e }));
        });
        // A process that left the group (setsid) could hold the pipes open for ever: once a
        // timed-out shell is dead, stop reading instead of waiting for EOF.
        child.on('exit', () => {
          if (!timedOut) return;
          child.stdout.destroy();
          child.stderr.destroy();
        });
        child.on('close', (code, sig) => {
          clearTimeout(timer);
          if (pid !== undefined) running.delete(pid);
          const stderr = Buffer.concat(err).toString('utf8') + (truncated ? `\n[clusterctl: output cut at ${MAX_OUTPUT_BYTES} bytes]` : '');
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, code: timedOut ? null : code, ...(sig ? { signal: sig } : {}), timedOut });
        });
      });
    },
    close,
  };
}
