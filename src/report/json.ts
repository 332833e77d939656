import type { Report } from '../run/results.js';
import { jsonSafe } from './sanitize.js';

// The documented --json shape (docs/commands.md, "JSON output"); internal fields stay out of it.
function shape(report: Report, extra: Record<string, unknown> = {}) {
  return {
    ok: report.ok,
    durationMs: Math.round(report.durationMs),
    summary: report.summary,
    ...(report.attempts !== undefined ? { attempts: report.attempts } : {}),
    ...extra,
    nodes: report.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      reachable: n.reachable,
      // verify --watch: when the node's results were gathered; stale: its next round is still
      // running within its deadline, so these are the round before's.
      ...(n.gatheredAt !== undefined ? { gatheredAt: new Date(n.gatheredAt).toISOString(), stale: n.stale === true } : {}),
      checks: n.checks.map((c) => ({ id: c.id, status: c.status, expected: c.expected, actual: c.actual, message: c.message })),
    })),
  };
}

// Strings are the node's exact text; jsonSafe only spells the terminal controls JSON leaves raw as \u escapes.
export function formatJson(report: Report): string {
  return `${jsonSafe(JSON.stringify(shape(report), null, 2))}\n`;
}

// verify --watch --json: one report per round on one line (NDJSON), with the round's number and time.
export function formatJsonLine(report: Report, round: { round: number; at: number }): string {
  return `${jsonSafe(JSON.stringify(shape(report, { round: round.round, time: new Date(round.at).toISOString() })))}\n`;
}
