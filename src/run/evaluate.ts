import { CHECK_IDS, runChecks } from '../checks/index.js';
import { selectResults } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import type { CheckResult } from '../checks/types.js';
import type { Inventory } from '../inventory/types.js';
import type { NodeGathered } from './gather.js';
import type { NodeReport } from './report.js';

function others(status: 'skip' | 'error', message: string): CheckResult[] {
  return CHECK_IDS.filter((id) => id !== 'ssh').map((id) => ({ id, status, expected: null, actual: null, message }));
}

// Phase 2, pure: every node's checks, with every node's facts in view for cross-node rules.
export function evaluate(inventory: Inventory, all: NodeGathered[], selection: CheckSelection = {}): NodeReport[] {
  const facts = new Map(all.map((g) => [g.node.name, g.gathered?.ok ? g.gathered.facts : null]));
  const ctx = { inventory, facts };
  return all.map((g) => {
    const rest = !g.gathered
      ? others('skip', `skipped: ${g.node.name} is not reachable over SSH`)
      : g.gathered.ok
        ? runChecks(g.node, g.gathered.facts, ctx)
        : others('error', g.gathered.reason);
    const checks = selectResults([g.ssh, ...rest], selection);
    return { name: g.node.name, host: g.node.host, reachable: g.gathered !== null, durationMs: g.durationMs, checks };
  });
}
