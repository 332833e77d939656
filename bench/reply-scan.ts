// What finding the end of a remote shell's reply costs the client: a 4 MiB reply fed to one ProcessShell in
// chunks of each size, the time from its first chunk to its result, and the longest one chunk
// held the event loop. No lab, no SSH: the ProcessShell's own work only. Give another checkout's
// src/transport/remote-shell.ts (or, before the rename, src/transport/session.ts, whose class was
// `Session`) as the argument to measure it the same way (issue 22: main before).
//   node --import tsx bench/reply-scan.ts [path/to/remote-shell.ts]
import { pathToFileURL } from 'node:url';
import type { RemoteProcess, ProcessShell as ShellType } from '../src/transport/remote-shell.js';

const REPLY = 4 * 1024 * 1024 - 200;
const file = process.argv[2];
const loaded = (await import(file ? pathToFileURL(file).href : '../src/transport/remote-shell.js')) as { ProcessShell?: typeof ShellType; Session?: typeof ShellType };
const found = loaded.ProcessShell ?? loaded.Session;
if (!found) throw new Error(`${file ?? 'remote-shell.ts'} exports neither ProcessShell nor Session`);
const Shell = found;

async function once(chunk: number): Promise<{ totalMs: number; worstChunkMs: number }> {
  let print: (b: Buffer) => void = () => undefined;
  let written = '';
  const proc: RemoteProcess = {
    write: (t) => void (written = t),
    onStdout: (cb) => void (print = cb),
    onStderr: () => undefined,
    onClose: () => undefined,
    kill: () => undefined,
  };
  const s = new Shell(Promise.resolve(proc));
  const reply = s.request((nonce) => `probe ${nonce}\n`);
  await new Promise((res) => setImmediate(res));
  const nonce = /^probe (\S+)/.exec(written)?.[1] ?? '';
  const bytes = Buffer.concat([Buffer.alloc(REPLY, 'x\n'), Buffer.from(`\n@@clusterctl:ran ${nonce} rc=0\n`)]);
  let worst = 0;
  const started = performance.now();
  for (let i = 0; i < bytes.length; i += chunk) {
    const t = performance.now();
    print(bytes.subarray(i, i + chunk));
    worst = Math.max(worst, performance.now() - t);
  }
  await reply;
  return { totalMs: performance.now() - started, worstChunkMs: worst };
}

for (const chunk of [32 * 1024, 4 * 1024]) {
  const r = await once(chunk);
  console.log(`${chunk / 1024} KiB chunks: ${r.totalMs.toFixed(0)} ms for the reply, the longest chunk ${r.worstChunkMs.toFixed(2)} ms`);
}
