// The status page (`/` of serve, and `verify --html FILE`): nodes × checks as a matrix, a symbol
// and a colour in each cell (never colour alone), nodes with problems first, then the problems
// in words, the recent changes with their times and each node's flannel lease. One
// self-contained document: inline style, no script, nothing from outside; it refreshes itself
// when served. Every node-supplied string goes through html().
import type { CheckStatus } from '../checks/types.js';
import { html } from './html.js';
import { messageOf } from './state.js';
import type { Cell, ServeState } from './state.js';

export const SYMBOL: Readonly<Record<CheckStatus, string>> = { pass: '✔', fail: '✘', error: '!', skip: '–' };
const WORD: Readonly<Record<CheckStatus, string>> = { pass: 'pass', fail: 'FAIL', error: 'could not check', skip: 'skip' };

export interface PageOptions {
  refreshS?: number; // serve: reload every interval; verify --html: none
  title?: string;
  now?: number;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.25rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.4rem 0 .4rem}
.meta{color:#555}.verdict{font-size:1.1rem;font-weight:600;margin:.6rem 0}
.ok{color:#116329}.bad{color:#a40e26}
table{border-collapse:collapse}td,th{padding:1px 4px;text-align:left;vertical-align:top}
table.matrix th.check{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;white-space:nowrap;padding:4px 1px}
table.matrix thead th{position:sticky;top:0;background:#fff}
table.matrix td.c{text-align:center;width:1.3em;font-weight:700}
.pass{color:#116329;background:#e6f4ea}.fail{color:#fff;background:#c62828}.error{color:#5c3c00;background:#ffd54f}.skip{color:#666;background:#f1f1f1}
tr.down th{color:#a40e26}td.lease,td.when{font-family:ui-monospace,monospace;font-size:12px;white-space:nowrap}
table.list td{border-top:1px solid #eee}td.msg{max-width:60rem}
.legend span{display:inline-block;min-width:1.3em;text-align:center;font-weight:700;margin-right:.2rem}
`;

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const bad = (s: CheckStatus): boolean => s === 'fail' || s === 'error';

// Nodes with the most failing or erroring checks first, unreachable ones among them; the rest in
// inventory order.
function ordered(state: ServeState): string[] {
  const weight = (node: string) => [...(state.cells.get(node)?.values() ?? [])].filter((c) => bad(c.status)).length + (state.reachable.get(node) === false ? 1000 : 0);
  return state.nodes.map((n, i) => ({ n, i, w: weight(n) })).sort((a, b) => b.w - a.w || a.i - b.i).map((x) => x.n);
}

// Check ids in report order, as the nodes reported them.
function checkIds(state: ServeState): string[] {
  const ids: string[] = [];
  for (const node of state.nodes) for (const id of state.cells.get(node)?.keys() ?? []) if (!ids.includes(id)) ids.push(id);
  return ids;
}

function cellHtml(cell: Cell | undefined, node: string, id: string): string {
  if (!cell) return '<td class="c"></td>';
  const title = `${node} ${id}: ${WORD[cell.status]} since ${time(cell.since)} — ${messageOf(cell)}`;
  return `<td class="c ${cell.status}" title="${html(title)}" data-node="${html(node)}" data-check="${html(id)}" data-status="${cell.status}">${SYMBOL[cell.status]}</td>`;
}

export function statusPage(state: ServeState, opts: PageOptions = {}): string {
  const title = opts.title ?? 'clusterctl';
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${html(title)}</title>${opts.refreshS ? `<meta http-equiv="refresh" content="${Math.max(2, Math.round(opts.refreshS))}">` : ''}<style>${STYLE}</style></head><body>`;
  if (!state.report) return `${head}<h1>${html(title)}</h1><p class="verdict">No round completed yet: the first is running.</p><p class="meta">${state.nodes.length} nodes</p></body></html>\n`;
  const problems = state.problems();
  const ids = checkIds(state);
  const nodes = ordered(state);
  const s = state.report.summary;
  const verdict = problems.length
    ? `<p class="verdict bad">✘ ${problems.length} problem${problems.length === 1 ? '' : 's'} on ${new Set(problems.map((p) => p.node)).size} of ${state.nodes.length} nodes</p>`
    : `<p class="verdict ok">✔ every check passed or skipped on all ${state.nodes.length} nodes</p>`;
  const meta = `<p class="meta">round ${state.rounds} at ${time(state.lastRoundAt ?? 0)}, took ${((state.lastRoundMs ?? 0) / 1000).toFixed(1)} s · ${s.passed} passed, ${s.failed} failed, ${s.errors} could not check, ${s.skipped} skipped</p>`;
  const legend = `<p class="legend">${(['pass', 'fail', 'error', 'skip'] as const).map((k) => `<span class="${k}">${SYMBOL[k]}</span>${WORD[k]}`).join(' &nbsp; ')}</p>`;
  const rows = nodes.map((node) => {
    const cells = state.cells.get(node);
    const down = state.reachable.get(node) === false;
    return `<tr${down ? ' class="down"' : ''} data-node="${html(node)}"><th>${html(node)}${down ? ' (unreachable)' : ''}</th>${ids.map((id) => cellHtml(cells?.get(id), node, id)).join('')}<td class="lease">${html(state.lease(node) ?? '')}</td></tr>`;
  });
  const matrix = `<table class="matrix"><thead><tr><th>node</th>${ids.map((id) => `<th class="check">${html(id)}</th>`).join('')}<th>flannel lease</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const problemRows = problems
    .slice(0, 500)
    .map((p) => `<tr><td><span class="${p.status}">${SYMBOL[p.status]}</span></td><td>${html(p.node)}</td><td>${html(p.check)}</td><td class="msg">${html(p.message)}</td></tr>`);
  const problemList = problems.length ? `<h2>Problems</h2><table class="list">${problemRows.join('')}</table>${problems.length > 500 ? `<p class="meta">and ${problems.length - 500} more</p>` : ''}` : '';
  const changes = state.changes.slice(-50).reverse();
  const changeRows = changes.map(
    (c) => `<tr><td class="when">${time(c.at)}</td><td>${html(c.node)}</td><td>${html(c.check)}</td><td>${c.from ? `<span class="${c.from}">${SYMBOL[c.from]}</span>` : 'new'} → <span class="${c.to}">${SYMBOL[c.to]}</span></td><td class="msg">${html(c.message)}</td></tr>`,
  );
  const changeList = `<h2>Recent changes</h2>${changes.length ? `<table class="list">${changeRows.join('')}</table>` : '<p class="meta">none since the first round</p>'}`;
  return `${head}<h1>${html(title)}</h1>${verdict}${meta}${problemList}<h2>Nodes × checks</h2>${legend}${matrix}${changeList}</body></html>\n`;
}
