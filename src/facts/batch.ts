// The node's second and last round trip: one script with every command that depends on the
// inventory (etcd health and members, the flannel key in both keyspaces, the etcd reach test),
// built after the probe because the reach test dials the endpoints the node's flanneld names.
// Inventory values reach it only as shell-quoted arguments (etcdctl/client.ts, etcd-reach-script.ts).
import { batchScript, parseBatch, settleBatch } from '../etcdctl/batch.js';
import type { BatchCommand } from '../etcdctl/batch.js';
import { etcdAccessFor } from '../etcdctl/client.js';
import type { EtcdAccess } from '../etcdctl/client.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Provisioned as ProvisionedSpec } from '../inventory/provisioned.js';
import type { Become } from '../util/become.js';
import { parseProvisioned, provisionedScript } from './gatherers/provisioned.js';
import { kubeScript, planKube, readKube } from './gatherers/kube.js';
import { ETCDCTL_VERSION_SCRIPT, NOT_ASKED_VERSION, readEtcdctlVersion, wantsEtcdctlVersion } from './gatherers/etcdctl-version.js';
import type { KubePlan } from './gatherers/kube.js';
import type { Transport } from '../transport/types.js';
import { etcdAnswered, etcdCommands, readEtcd } from './gatherers/etcd.js';
import { keyCommands, readKey } from './gatherers/flannel-key.js';
import { planReach, readReach } from './gatherers/etcd-reach.js';
import type { ReachPlan } from './gatherers/etcd-reach.js';
import { CONNECT_TIMEOUT_S, reachScript } from './gatherers/etcd-reach-script.js';
import { runScriptOn, sessionLost } from './session.js';
import { PART_PREAMBLE } from '../util/frame-shell.js';
import { partsUnder, readParts } from '../util/frames.js';
import { errorFact, okFact } from './types.js';
import type { GathererName, NodeFacts } from './types.js';

export interface BatchPlan {
  become: Become; // the node's: which session runs the batch (facts/session.ts)
  access: EtcdAccess;
  cmds: BatchCommand[]; // etcdctl commands, in order
  etcdAt?: number; // where the etcd part's commands start
  keyAt?: number; // where the two key reads start
  key: string;
  reach?: ReachPlan;
  etcdctlVersion?: boolean; // asked (a flanneld drop-in runs etcdctl)
  provisioned?: { spec: ProvisionedSpec };
  kube?: { plan: KubePlan; probe: Pick<NodeFacts, 'cni' | 'subnetEnv' | 'flannelUnit'> };
}

export type BatchFacts = Partial<Pick<NodeFacts, 'etcd' | 'flannelConfig' | 'etcdReach' | 'etcdctlVersion' | 'provisioned' | 'kube'>>;

// What this node's batch asks, from the gatherers its selected checks need; null: nothing.
export function planBatch(node: NodeSpec, inventory: Inventory, probe: Pick<NodeFacts, 'flannelUnit' | 'kubeProcs' | 'kubeUnits' | 'cni' | 'subnetEnv'>, wanted: ReadonlySet<GathererName>): BatchPlan | null {
  const plan: BatchPlan = { become: node.become, access: etcdAccessFor(node, inventory), cmds: [], key: inventory.cluster.flannel.configKey };
  if (wanted.has('etcd')) {
    plan.etcdAt = plan.cmds.length;
    plan.cmds.push(...etcdCommands(plan.etcdAt));
  }
  if (wanted.has('flannel.config')) {
    plan.keyAt = plan.cmds.length;
    // Where no API answered the member list, the key reads would only wait out the same timeout.
    plan.cmds.push(...keyCommands(plan.key, plan.etcdAt === undefined ? undefined : etcdAnswered(plan.etcdAt)));
  }
  if (wanted.has('flannel.etcd-reach')) plan.reach = planReach(node, inventory, probe);
  if (wanted.has('etcdctl.version')) plan.etcdctlVersion = wantsEtcdctlVersion(probe);
  if (wanted.has('provisioned') && node.provisioned) plan.provisioned = { spec: node.provisioned };
  if (wanted.has('kube')) plan.kube = { plan: planKube(node, probe), probe };
  return plan.cmds.length || plan.reach || plan.etcdctlVersion !== undefined || plan.provisioned || plan.kube ? plan : null;
}

// Every gatherer's script after the framing's functions (util/frame-shell.ts): each prints only
// parts of its own names, so the reader gives each gatherer its own parts.
// Nothing to ask (no TCP target, no item): empty.
export function batchScriptOf(plan: BatchPlan, timeoutMs: number): string {
  const parts: string[] = [];
  if (plan.cmds.length) parts.push(batchScript(plan.access, plan.cmds, timeoutMs));
  if (plan.etcdctlVersion) parts.push(ETCDCTL_VERSION_SCRIPT);
  if (plan.provisioned) parts.push(provisionedScript(plan.provisioned.spec, plan.become));
  if (plan.kube?.plan.items.length) parts.push(kubeScript(plan.kube.plan));
  if (plan.reach?.targets.length) parts.push(reachScript(plan.reach.targets));
  return parts.length ? [PART_PREAMBLE, ...parts].join('\n') : '';
}

// The batch's reply (framed with its request's nonce) as facts; `error`: the exec itself failed
// (every part says so).
export function readBatchOutput(plan: BatchPlan, out: { stdout: string; timedOut: boolean; nonce: string } | { error: string }, timeoutMs: number): BatchFacts {
  const facts: BatchFacts = {};
  if ('error' in out) {
    if (plan.etcdAt !== undefined) facts.etcd = errorFact(`etcd: could not be gathered: ${out.error}`);
    if (plan.keyAt !== undefined) facts.flannelConfig = errorFact(`flannel.config: could not be gathered: ${out.error}`);
    if (plan.reach) facts.etcdReach = okFact(readReach(plan.reach, out));
    if (plan.etcdctlVersion !== undefined) facts.etcdctlVersion = plan.etcdctlVersion ? errorFact(`etcdctl.version: could not be gathered: ${out.error}`) : NOT_ASKED_VERSION;
    if (plan.provisioned) facts.provisioned = errorFact(`provisioned: could not be gathered: ${out.error}`);
    if (plan.kube) facts.kube = errorFact(`kube: could not be gathered: ${out.error}`);
    return facts;
  }
  const parts = readParts(out.stdout, out.nonce);
  const parsed = settleBatch(parseBatch(partsUnder(parts, 'etcdctl'), plan.cmds.length, out.timedOut), plan.access, plan.cmds);
  const etcd = plan.etcdAt === undefined ? undefined : readEtcd(parsed.etcdctlMissing, parsed.results.slice(plan.etcdAt, plan.etcdAt + 4));
  if (etcd) facts.etcd = okFact(etcd);
  if (plan.keyAt !== undefined) {
    // Not asked because the member list got no answer: say why it got none (a file the SSH user
    // may not read, sudo refused, etcd down), which holds for the key as well.
    const notAsked = etcd?.blocked ?? `not asked: etcd answered neither the v3 nor the v2 member list${etcd?.membersError ? ` (${etcd.membersError})` : ''}`;
    facts.flannelConfig = okFact(
      readKey(plan.key, parsed.etcdctlMissing ? 'etcdctl missing' : parsed.results.slice(plan.keyAt, plan.keyAt + 2), timeoutMs, notAsked),
    );
  }
  if (plan.reach) facts.etcdReach = okFact(readReach(plan.reach, partsUnder(parts, 'reach')));
  if (plan.etcdctlVersion !== undefined) facts.etcdctlVersion = plan.etcdctlVersion ? readEtcdctlVersion(parts.get('etcdctl-version')) : NOT_ASKED_VERSION;
  if (plan.provisioned) facts.provisioned = okFact(parseProvisioned(partsUnder(parts, 'prov'), plan.provisioned.spec));
  if (plan.kube) facts.kube = okFact(readKube(plan.kube.plan, partsUnder(parts, 'kube'), plan.kube.probe));
  return facts;
}

// One exec; never throws.
export async function runBatch(t: Transport, plan: BatchPlan, timeoutMs: number): Promise<BatchFacts> {
  // etcdctl's own timeouts sit inside; the reach test adds at most one connect timeout.
  const budget = timeoutMs + (plan.reach ? (CONNECT_TIMEOUT_S + 1) * 1000 : 0);
  try {
    const r = await runScriptOn(t, plan.become, batchScriptOf(plan, timeoutMs), budget);
    const lost = sessionLost(r);
    return readBatchOutput(plan, lost ? { error: lost } : r, timeoutMs);
  } catch (err) {
    return readBatchOutput(plan, { error: (err as Error).message }, timeoutMs);
  }
}
