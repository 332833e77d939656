import type { Report } from '../run/report.js';
import { jsonSafe } from './sanitize.js';

// The documented --json shape (docs/commands.md, "JSON output"); internal fields stay out of it. Strings are
// the node's exact text; jsonSafe only spells the terminal controls JSON leaves raw as \u escapes.
export function renderJson(report: Report): string {
  return `${jsonSafe(JSON.stringify(
    {
      ok: report.ok,
      durationMs: Math.round(report.durationMs),
      summary: report.summary,
      ...(report.attempts !== undefined ? { attempts: report.attempts } : {}),
      nodes: report.nodes.map((n) => ({
        name: n.name,
        host: n.host,
        reachable: n.reachable,
        checks: n.checks.map((c) => ({ id: c.id, status: c.status, expected: c.expected, actual: c.actual, message: c.message })),
      })),
    },
    null,
    2,
  ))}\n`;
}
