// Output of smoke-etcd: plain lines as steps finish, the live tree on a terminal, or --json.
import type { ChalkInstance } from 'chalk';
import type { Io } from '../io.js';
import type { NodeSpec } from '../inventory/types.js';
import { makeChalk, statusLabel } from './format.js';
import { nodeTree, useLiveTree } from './tree.js';
import { smokeOk } from '../smoke/node.js';
import type { SmokeNodeResult } from '../smoke/node.js';
import type { StepResult } from '../smoke/run.js';
import { jsonSafe, sanitize } from './sanitize.js';

export interface SmokeReport {
  ok: boolean;
  durationMs: number;
  nodes: SmokeNodeResult[];
}

export type SmokeRun = (hooks: { onStep?: (node: string, r: StepResult) => void; onNode?: (r: SmokeNodeResult) => void }) => Promise<SmokeReport>;

export function formatSmokeJson(r: SmokeReport): string {
  const nodes = r.nodes.map((n) => ({
    name: n.name,
    host: n.host,
    api: n.api,
    apiNote: n.apiNote,
    ...(n.error ? { error: n.error } : {}),
    steps: n.steps.map((s) => ({ step: s.step, status: s.status, durationMs: s.durationMs, message: s.message })),
    cleanedUp: n.cleanedUp,
    cleanup: n.cleanup,
  }));
  return `${jsonSafe(JSON.stringify({ ok: r.ok, durationMs: Math.round(r.durationMs), nodes }, null, 2))}\n`;
}

// Step messages, cleanup notes, errors and API notes quote etcdctl and the inventory: escaped.
const stepLine = (s: StepResult, c: ChalkInstance) => `${c.bold(s.step)} ${c.dim(`${s.durationMs} ms`)}: ${sanitize(s.message)}`;
const cleanupLine = (n: SmokeNodeResult, c: ChalkInstance) => `${c.bold('cleanup')}: ${sanitize(n.cleanup)}`;

function summary(r: SmokeReport, c: ChalkInstance): string {
  const bad = r.nodes.filter((n) => !smokeOk(n));
  const left = r.nodes.filter((n) => !n.cleanedUp);
  const verdict = bad.length ? c.red('NOT OK') : c.green('OK');
  const leftover = left.length ? `; ${c.red(`LEFTOVERS on ${left.map((n) => sanitize(n.name)).join(', ')}`)} (see above)` : '; nothing left behind';
  return `${verdict}: etcd smoke test on ${r.nodes.length} node${r.nodes.length === 1 ? '' : 's'}, ${r.nodes.length - bad.length} passed, ${bad.length} failed${leftover} in ${(r.durationMs / 1000).toFixed(1)}s`;
}

async function printPlain(run: SmokeRun, io: Io, c: ChalkInstance): Promise<SmokeReport> {
  const report = await run({
    onStep: (node, s) => io.stdout.write(`${statusLabel(s.status, c)} ${sanitize(node)} ${stepLine(s, c)}\n`),
    onNode: (n) => {
      const name = sanitize(n.name);
      if (n.error) io.stdout.write(`${statusLabel('error', c)} ${name} ${sanitize(n.error)}\n`);
      else io.stdout.write(`${statusLabel('pass', c)} ${name} api ${n.api}: ${sanitize(n.apiNote)}\n`);
      io.stdout.write(`${statusLabel(n.cleanedUp ? 'pass' : 'error', c)} ${name} ${cleanupLine(n, c)}\n`);
    },
  });
  io.stdout.write(`${summary(report, c)}\n`);
  return report;
}

async function printTree(nodes: NodeSpec[], run: SmokeRun, io: Io, c: ChalkInstance): Promise<SmokeReport> {
  const tree = nodeTree(nodes, io.stdout, c, (r: SmokeNodeResult) => ({
    title: `${c.bold(sanitize(r.name))} ${c.dim(r.api ? `etcd ${r.api}` : '')} ${smokeOk(r) ? c.green('ok') : c.red('failed')} ${c.dim(`${r.durationMs} ms`)}`,
    leaves: [
      r.error ? { title: sanitize(r.error), status: 'error' as const } : { title: `${c.bold('api')}: ${sanitize(r.apiNote)}`, status: 'pass' as const },
      ...r.steps.map((s) => ({ title: stepLine(s, c), status: s.status })),
      { title: cleanupLine(r, c), status: r.cleanedUp ? ('pass' as const) : ('error' as const) },
    ],
    collapse: smokeOk(r),
  }));
  const [report] = await Promise.all([run({ onNode: (n) => tree.finish(n.name, n) }), tree.run()]);
  io.stdout.write(`\n${summary(report, c)}\n`);
  return report;
}

export function printSmokeHuman(nodes: NodeSpec[], run: SmokeRun, io: Io): Promise<SmokeReport> {
  const c = makeChalk(Boolean(io.stdout.isTTY), io.env);
  return useLiveTree(io.stdout) ? printTree(nodes, run, io, c) : printPlain(run, io, c);
}
