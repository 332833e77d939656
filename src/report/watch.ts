import type { ChalkInstance } from 'chalk';
import type { ConnectionEvent } from '../run/kept.js';
import { formatDuration } from '../run/poll.js';
import type { CheckChange, WatchRound } from '../run/watch.js';
import { describeCheck, statusLabel, summaryLine } from './format.js';
import { sanitize } from './sanitize.js';

// verify --watch's lines after the first round's full report: only what changed, each with
// the time of day it was seen.

export const timeOfDay = (at: number): string => new Date(at).toTimeString().slice(0, 8);

// "12:04:05 PASS → FAIL  lab-node-2 net.dns: …"; a check new on a node says NEW, one gone GONE.
function changeLine(ch: CheckChange, at: number, c: ChalkInstance): string {
  const name = sanitize(ch.node);
  const from = ch.from ? statusLabel(ch.from.status, c).trimEnd() : 'NEW';
  if (!ch.to) return `${c.dim(timeOfDay(at))} ${from} → GONE  ${name} ${c.bold(sanitize(ch.from?.id ?? ''))}\n`;
  return `${c.dim(timeOfDay(at))} ${from} → ${statusLabel(ch.to.status, c)} ${name} ${describeCheck(ch.to, c)}\n`;
}

// A round after the first: its changes, then the new summary; nothing when nothing changed.
export function roundLines(r: WatchRound, c: ChalkInstance): string {
  if (r.changes.length === 0) return '';
  return `${r.changes.map((ch) => changeLine(ch, r.at, c)).join('')}${c.dim(timeOfDay(r.at))} ${summaryLine(r.report.summary, r.report.durationMs, c)}\n`;
}

export function connectionLine(e: ConnectionEvent, at: number, c: ChalkInstance): string {
  const what = e.kind === 'lost' ? `connection lost (${sanitize(e.why)}); opening it again` : `connected again${e.after ? ` after ${e.after} failed attempt${e.after === 1 ? '' : 's'}` : ''}`;
  return `${c.dim(timeOfDay(at))} ${sanitize(e.node)}: ${what}\n`;
}

// On stderr once the first round is in.
export function watchingLine(intervalMs: number, nodes: number): string {
  const every = intervalMs < 1000 ? `${intervalMs}ms` : formatDuration(intervalMs);
  return `--watch: every ${every} over one SSH connection per node (${nodes} node${nodes === 1 ? '' : 's'}), printing what changes; Ctrl-C to stop\n`;
}
