// flannel.datapath's request, the one step of the cluster phase that talks to nodes: once every
// node's lease is known, each flannel node that takes part gets one more request (its echoes to
// k peers, facts/gatherers/datapath.ts), over the connection its gather used where the run keeps
// it (verify keeps it when the check is selected; --watch and --wait keep every connection),
// bounded as every request is: --command-timeout, and a --node-timeout of its own. Never throws.
import { buildClusterView } from '../checks/cluster-view.js';
import type { DatapathRun } from '../checks/flannel-datapath-blame.js';
import { planDatapath } from '../checks/flannel-datapath-plan.js';
import { isSelected } from '../checks/select.js';
import type { CheckSelection } from '../checks/select.js';
import { datapathScript, readDatapath } from '../facts/gatherers/datapath.js';
import type { DatapathFact } from '../facts/gatherers/datapath.js';
import { requestLost, runScriptOn } from '../facts/request.js';
import type { Inventory } from '../inventory/types.js';
import { readParts } from '../util/frames.js';
import { NodeDeadline } from './deadline.js';
import { mapLimit } from './each-node.js';
import type { GatherDeps, NodeGathered } from './gather-node.js';
import { withNode } from './with-node.js';

export const DATAPATH_CHECK = 'flannel.datapath';

// The run sends the echoes: flannel is checked and the check is selected.
export const wantsDatapath = (inventory: Inventory, selection: CheckSelection = {}): boolean => inventory.cluster.flannel.enabled && isSelected(DATAPATH_CHECK, selection);

// `busy`: nodes whose own round is still running (--watch): not asked this time.
export async function sendDatapath(inventory: Inventory, all: readonly NodeGathered[], deps: GatherDeps & { concurrency: number }, busy: ReadonlySet<string> = new Set()): Promise<{ datapath?: DatapathRun }> {
  if (!wantsDatapath(inventory, deps.checks)) return {};
  const facts = new Map(all.map((g) => [g.node.name, g.gathered?.ok ? g.gathered.facts : null]));
  const plan = planDatapath(inventory, buildClusterView(inventory, facts));
  const asked = all.filter((g) => plan.asks.has(g.node.name) && !busy.has(g.node.name));
  const results = new Map<string, DatapathFact>();
  await mapLimit(asked, deps.concurrency, async ({ node }) => {
    const ask = plan.asks.get(node.name);
    if (!ask) return;
    const run = await withNode(
      deps.connect,
      node,
      async (t): Promise<DatapathFact> => {
        try {
          const r = await runScriptOn(t, node.become, datapathScript(ask), deps.commandTimeoutMs);
          const lost = requestLost(r);
          if (lost) return { ok: false, error: `the echoes could not run: ${lost}` };
          if (r.timedOut) return { ok: false, error: `the echoes got no whole answer within ${deps.commandTimeoutMs / 1000}s (--command-timeout)` };
          return readDatapath(ask, readParts(r.stdout, r.nonce));
        } catch (err) {
          return { ok: false, error: `the echoes could not run: ${(err as Error).message}` };
        }
      },
      new NodeDeadline(deps.nodeTimeoutMs),
    );
    results.set(node.name, run.ok ? run.value : { ok: false, error: `the echoes could not run: ${run.error.message}` });
  });
  return { datapath: { plan, results } };
}
