// /healthz: 200 when every selected check of the last completed round passed or skipped, 503
// with one `node check: message` line a problem otherwise, 503 before the first round. With
// `Accept: application/json` the answer is the JSON report (verify --json's shape), as goss
// serve negotiates. Node text is escaped as on a terminal.
import { formatJson } from '../report/json.js';
import { sanitize } from '../report/sanitize.js';
import type { ServeState } from './state.js';

export interface Answer {
  status: number;
  type: string;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

export const wantsJson = (accept: string | undefined): boolean => /\bapplication\/json\b/i.test(accept ?? '');

export function healthz(state: ServeState, json: boolean): Answer {
  const report = state.report;
  if (!report) {
    return json
      ? { status: 503, type: JSON_TYPE, body: `${JSON.stringify({ ok: false, error: 'no round completed yet' })}\n` }
      : { status: 503, type: TEXT, body: 'no round completed yet\n' };
  }
  const problems = state.problems();
  const status = problems.length ? 503 : 200;
  if (json) return { status, type: JSON_TYPE, body: formatJson(report) };
  const when = `round ${state.rounds} at ${new Date(state.lastRoundAt ?? 0).toISOString()}`;
  if (!problems.length) return { status, type: TEXT, body: `ok: ${report.summary.nodes} nodes, every selected check passed or skipped (${when})\n` };
  const lines = problems.map((p) => `${sanitize(p.node)} ${p.check}: ${p.status === 'error' ? 'could not check: ' : ''}${sanitize(p.message.replace(/^Could not check: /, ''))}`);
  return { status, type: TEXT, body: `${problems.length} problem${problems.length === 1 ? '' : 's'} (${when}):\n${lines.join('\n')}\n` };
}
