import { cpus, loadavg } from 'node:os';
import { shellQuote } from '../src/util/shell.js';
import { median, run } from './measure.js';

// verify's human output on a terminal (the live tree, on a pty of 140×45 that util-linux
// script(1) makes) beside the same command into a pipe (plain lines), alternated: what drawing
// the tree costs. The target is the pty within 1.5× the pipe; printed, never asserted.
export const PTY = { columns: 140, rows: 45 };

export interface PtyFigures {
  nodes: number;
  concurrency: number;
  plainMs: number;
  ptyMs: number;
  load: [number, number]; // the 1-minute load average when the timed runs began and ended
}

// The human summary line, colours removed: the run covered every node and errored nowhere.
function mustBeWhole(out: string, nodes: number, what: string): void {
  const bare = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  if (!new RegExp(`OK: ${nodes} nodes, \\d+ passed, \\d+ failed, \\d+ skipped, 0 errors`).test(bare)) throw new Error(`verify ${what} did not check all ${nodes} nodes without errors: ${bare.slice(-500)}`);
}

async function wall(argv: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string; code: number | null }> {
  const started = performance.now();
  const r = await run(argv, env);
  return { ms: performance.now() - started, stdout: r.stdout, code: r.code };
}

// argv: clusterctl verify without --json. One untimed round of each, then `runs` alternated.
export async function ptyBeside(argv: string[], nodes: number, concurrency: number, runs: number): Promise<PtyFigures> {
  // Colours on, as a user sees it.
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete env.NO_COLOR;
  const onPty = ['script', '-qfec', `stty cols ${PTY.columns} rows ${PTY.rows}; exec ${argv.map(shellQuote).join(' ')}`, '/dev/null'];
  const one = async (pty: boolean) => {
    const r = await wall(pty ? onPty : argv, env);
    if (r.code !== 0 && r.code !== 1) throw new Error(`verify ${pty ? 'on a pty' : 'into a pipe'} exited ${r.code}: ${r.stdout.slice(-500)}`);
    mustBeWhole(r.stdout, nodes, pty ? 'on a pty' : 'into a pipe');
    return r.ms;
  };
  await one(false);
  await one(true);
  const loadAtStart = loadavg()[0] ?? 0;
  const plain: number[] = [];
  const pty: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const p of i % 2 === 0 ? [false, true] : [true, false]) (p ? pty : plain).push(await one(p));
    process.stderr.write(`  ${nodes} nodes, concurrency ${concurrency}, human output run ${i + 1}/${runs}: pipe ${plain.at(-1)?.toFixed(0)} ms, pty ${pty.at(-1)?.toFixed(0)} ms\n`);
  }
  return { nodes, concurrency, plainMs: median(plain), ptyMs: median(pty), load: [loadAtStart, loadavg()[0] ?? 0] };
}

export function ptyTable(rows: readonly PtyFigures[], runs: number): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `\nverify's human output on a terminal (the live tree; a pty of ${PTY.columns}×${PTY.rows} under script(1)) beside the same into a pipe (plain lines), wall time, median of ${runs} alternated runs; target: the pty within 1.5×; ${new Date().toISOString()}, ${machine()}`,
    '| nodes | concurrency | pipe (plain lines) | pty (live tree) | ratio | load average (start → end) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.nodes} | ${r.concurrency} | ${s(r.plainMs)} | ${s(r.ptyMs)} | ${(r.ptyMs / r.plainMs).toFixed(2)}× | ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} |`),
  ].join('\n');
}

// The machine the figures come from: they mean little without it (the lab's nodes share its cores).
function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}`;
}
