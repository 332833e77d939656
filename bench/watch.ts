import { spawn } from 'node:child_process';
import { machineCpuMs, median } from './measure.js';

// A re-verify over kept connections: `clusterctl verify --watch --json` prints one report per
// round; round 1 opens the connections, every later round re-runs the probe and the gatherers
// over them. Each round's durationMs is its own (gather + evaluate), measured by clusterctl.
export interface WatchFigures {
  firstMs: number; // round 1: connect, gather, evaluate (in the process, without its start-up)
  againMs: number; // median of the later rounds
  againCpuMs: number; // machine CPU from one report to the next (a round and its wait), median
  rounds: number;
}

interface RoundReport {
  round: number;
  durationMs: number;
  summary: { nodes: number; errors: number };
  nodes: { reachable: boolean }[];
}

export function watchRounds(argv: string[], nodes: number, rounds: number): Promise<WatchFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, [...argv.slice(1), '--watch', '1s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: RoundReport[] = [];
    const cpuAt: number[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) seen.push(JSON.parse(l) as RoundReport), cpuAt.push(machineCpuMs());
      if (seen.length >= rounds + 1) child.kill('SIGINT');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const bad = seen.find((r) => r.summary.nodes !== nodes || r.summary.errors > 0 || !r.nodes.every((n) => n.reachable));
      if (code !== 130 || seen.length < rounds + 1 || bad) return reject(new Error(`verify --watch: exit ${code}, ${seen.length} rounds${bad ? `, round ${bad.round} incomplete` : ''}: ${stderr.slice(0, 500)}`));
      const later = seen.slice(1, rounds + 1).map((r) => r.durationMs);
      const cpu = cpuAt.slice(1, rounds + 1).map((at, i) => at - (cpuAt[i] as number));
      resolve({ firstMs: seen[0]?.durationMs ?? 0, againMs: median(later), againCpuMs: median(cpu), rounds: later.length });
    });
  });
}
