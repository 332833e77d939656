// The end of a long report: what did not pass, grouped by check, so 200 nodes' worth of lines
// ends with "net.route: 3 of 200 nodes failed: node-7, node-19, node-44" instead of a grep.
import type { CheckStatus } from '../checks/types.js';
import type { Report } from '../run/results.js';
import { sanitize } from './sanitize.js';

export interface FailureGroup {
  check: string;
  status: Extract<CheckStatus, 'fail' | 'error'>;
  nodes: string[]; // in report order, each once
  of: number; // nodes that reported this check at all
}

// Failures first, then checks that could not run; each in check order of the report.
export function failureGroups(report: Report): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  const reported = new Map<string, Set<string>>();
  for (const n of report.nodes) {
    for (const c of n.checks) {
      (reported.get(c.id) ?? reported.set(c.id, new Set()).get(c.id))?.add(n.name);
      if (c.status !== 'fail' && c.status !== 'error') continue;
      const key = `${c.status} ${c.id}`;
      const g = groups.get(key) ?? { check: c.id, status: c.status, nodes: [], of: 0 };
      if (!g.nodes.includes(n.name)) g.nodes.push(n.name);
      groups.set(key, g);
    }
  }
  const order = [...reported.keys()];
  const all = [...groups.values()].map((g) => ({ ...g, of: reported.get(g.check)?.size ?? g.nodes.length })).sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check));
  return [...all.filter((g) => g.status === 'fail'), ...all.filter((g) => g.status === 'error')];
}

const NAMES = 12;

export function groupLine(g: FailureGroup): string {
  const names = g.nodes.slice(0, NAMES).map((n) => sanitize(n)).join(', ');
  const more = g.nodes.length > NAMES ? ` and ${g.nodes.length - NAMES} more` : '';
  const what = g.status === 'fail' ? 'failed' : 'could not be checked';
  return `${sanitize(g.check)}: ${g.nodes.length} of ${g.of} node${g.of === 1 ? '' : 's'} ${what}: ${names}${more}`;
}
