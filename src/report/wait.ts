import type { AttemptInfo, WaitOutcome } from '../run/poll.js';
import { formatDuration } from '../run/poll.js';
import { failing } from '../run/results.js';
import type { Report } from '../run/results.js';
import { sanitize } from './sanitize.js';

// verify --wait's progress, on stderr: one line per attempt (what still fails, when the next
// look is, how long is left), then one line for the outcome.
export function attemptLine(info: AttemptInfo<Report>, timeoutMs: number): string {
  const head = `--wait: attempt ${info.attempt}`;
  if (info.done) return `${head}: every check passes`;
  const bad = info.result.nodes.filter(failing);
  const detail = bad
    .slice(0, 5)
    .map((n) => `${sanitize(n.name)}: ${n.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => sanitize(c.id)).join(',')}`)
    .join('; ');
  const more = bad.length > 5 ? `; and ${bad.length - 5} more` : '';
  const what = `${bad.length} node${bad.length === 1 ? '' : 's'} failing (${detail}${more})`;
  if (info.nextInMs === null) return `${head}: ${what}; out of time (--wait ${formatDuration(timeoutMs)})`;
  return `${head}: ${what}; next attempt in ${formatDuration(info.nextInMs)}, ${formatDuration(info.leftMs)} left`;
}

export function outcomeLine(o: WaitOutcome<Report>, timeoutMs: number): string {
  const n = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`;
  const took = `${(o.result.durationMs / 1000).toFixed(1)}s`;
  return o.converged
    ? `--wait: converged after ${n} in ${took}`
    : `--wait: still failing after ${n} in ${took} (--wait ${formatDuration(timeoutMs)}); the results above are from the last attempt`;
}
