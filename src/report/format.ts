import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../checks/types.js';
import type { Summary } from '../run/results.js';
import { sanitize } from './sanitize.js';

// Colour only on a terminal, never with NO_COLOR (https://no-color.org), FORCE_COLOR wins.
export function makeChalk(isTTY: boolean, env: NodeJS.ProcessEnv): ChalkInstance {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return new Chalk({ level: 1 });
  return new Chalk({ level: isTTY && !env.NO_COLOR ? 1 : 0 });
}

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' } as const;

export function statusLabel(status: CheckResult['status'], c: ChalkInstance): string {
  const color = { pass: c.green, fail: c.red, skip: c.yellow, error: c.magenta }[status];
  return color(LABEL[status].padEnd(5));
}

// "net.route: … (expected X, actual Y)" — expected/actual only where they explain a problem.
// A pass whose message starts with "warning:" is a warning (there is no warn status: JSON and
// exit codes stay pass/fail/skip/error); on a terminal its message is yellow.
export const isWarning = (r: CheckResult): boolean => r.status === 'pass' && r.message.startsWith('warning:');

// Messages, expected and actual quote the node and the inventory: escaped before styling.
export function describeCheck(r: CheckResult, c: ChalkInstance): string {
  const message = sanitize(r.message);
  const base = `${c.bold(sanitize(r.id))}: ${isWarning(r) ? c.yellow(message) : message}`;
  if (r.status !== 'fail' && r.status !== 'error') return base;
  // Most messages already name one side ("hostname is x, expected y"): say only what they don't.
  const untold = (v: string | null) => v !== null && v !== '' && !r.message.includes(v);
  const parts = [untold(r.expected) ? `expected ${sanitize(r.expected ?? '')}` : '', untold(r.actual) ? `actual ${sanitize(r.actual ?? '')}` : ''].filter(Boolean);
  return parts.length ? `${base} ${c.dim(`(${parts.join(', ')})`)}` : base;
}

export function summaryLine(s: Summary, durationMs: number, c: ChalkInstance): string {
  const failed = s.failed ? c.red(`${s.failed} failed`) : `${s.failed} failed`;
  const errors = s.errors ? c.magenta(`${s.errors} errors`) : `${s.errors} errors`;
  const verdict = s.failed + s.errors === 0 ? c.green('OK') : c.red('NOT OK');
  return `${verdict}: ${s.nodes} node${s.nodes === 1 ? '' : 's'}, ${c.green(`${s.passed} passed`)}, ${failed}, ${s.skipped} skipped, ${errors} in ${(durationMs / 1000).toFixed(1)}s`;
}
