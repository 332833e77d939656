import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

// The CLI as a user runs it, stdout read line by line as it arrives, each line with the time
// (ms after the spawn) it was read.
export function streaming(args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { at: number; text: string }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  closed.then(() => clearTimeout(killer), () => undefined);
  return {
    started,
    lines,
    stderr: () => stderr,
    closed,
    interrupt: () => child.kill('SIGINT'),
    // The first line matching `re` read after `from` (ms after the spawn), waiting up to `ms`.
    async line(re: RegExp, ms: number, from = 0): Promise<{ at: number; text: string }> {
      const end = Date.now() + ms;
      for (;;) {
        const hit = lines.find((l) => l.at >= from && re.test(l.text));
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no line matching ${re} within ${ms} ms\nstdout:\n${lines.map((l) => `${l.at} ${l.text}`).join('\n')}\nstderr:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
  };
}
