// One node's smoke test: connect, pick the API, run the steps, clean up, close. Never throws.
import { NodeDeadline } from '../run/deadline.js';
import { withNode } from '../run/with-node.js';
import type { NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import { detectApis } from '../etcdctl/detect.js';
import { etcdctlNotFound } from '../etcdctl/messages.js';
import type { EtcdAccess, EtcdApi } from '../etcdctl/client.js';
import { runSmoke } from './run.js';
import type { SmokePlan, StepResult } from './run.js';
import { SMOKE_STEPS } from './steps.js';

export type ApiChoice = 'auto' | EtcdApi;

export interface SmokeNodeResult {
  name: string;
  host: string;
  api: EtcdApi | null; // null: no step ran
  apiNote: string; // how the API was chosen
  steps: StepResult[];
  cleanedUp: boolean;
  cleanup: string;
  error?: string; // why no step ran (connection, detection)
  durationMs: number;
}

export interface SmokeNodeDeps {
  connect: (node: NodeSpec) => Promise<Transport>;
  access: (node: NodeSpec) => EtcdAccess;
  api: ApiChoice;
  plan: (node: NodeSpec) => SmokePlan;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number | undefined; // --node-timeout: the connect and every etcdctl call of the node
  signal?: AbortSignal;
  onStep?: (node: string, r: StepResult) => void;
}

export function smokeOk(r: SmokeNodeResult): boolean {
  return !r.error && r.cleanedUp && r.steps.every((s) => s.status === 'pass' || s.status === 'skip') && !r.steps.some((s) => s.interrupted);
}

// auto: v3 where it works (current etcd), else v2 (Container Linux's etcd 3.3 with a v2 etcdctl).
export async function chooseApi(t: Transport, access: EtcdAccess, choice: ApiChoice, node: string, timeoutMs: number): Promise<{ api: EtcdApi; note: string } | { error: string }> {
  if (choice !== 'auto') return { api: choice, note: `--api ${choice}` };
  const d = await detectApis(t, access, timeoutMs);
  if (!d.etcdctl) return { error: d.missing ? etcdctlNotFound(node) : (d.error ?? 'could not detect the etcd APIs') };
  if (d.v3) return { api: 'v3', note: `auto: v3 (${d.v2 ? 'v2 also works' : `v2 does not: ${d.v2Error}`}; etcdctl ${d.etcdctl})` };
  if (d.v2) return { api: 'v2', note: `auto: v2 (v3 does not work: ${d.v3Error}; etcdctl ${d.etcdctl})` };
  return { error: d.error ?? 'no etcd API answered' };
}

const notRun = (why: string): StepResult[] => SMOKE_STEPS.map((step) => ({ step, status: 'skip', durationMs: 0, message: `not run: ${why}` }));

export async function smokeNode(node: NodeSpec, deps: SmokeNodeDeps): Promise<SmokeNodeResult> {
  const started = performance.now();
  const base = { name: node.name, host: node.host };
  const done = (r: Omit<SmokeNodeResult, 'name' | 'host' | 'durationMs'>): SmokeNodeResult => ({ ...base, ...r, durationMs: Math.round(performance.now() - started) });
  const ran = await withNode(deps.connect, node, async (t) => {
    const access = deps.access(node);
    const chosen = await chooseApi(t, access, deps.api, node.name, deps.commandTimeoutMs);
    if ('error' in chosen) return done({ api: null, apiNote: 'auto', steps: notRun('no usable etcd API'), cleanedUp: true, cleanup: 'nothing was created', error: chosen.error });
    const run = await runSmoke(t, access, chosen.api, node.name, deps.plan(node), {
      timeoutMs: deps.commandTimeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
      onStep: (r) => deps.onStep?.(node.name, r),
    });
    return done({ api: chosen.api, apiNote: chosen.note, steps: run.steps, cleanedUp: run.cleanup.cleanedUp, cleanup: run.cleanup.message });
  }, new NodeDeadline(deps.nodeTimeoutMs));
  if (ran.ok) return ran.value;
  const error = ran.connected ? `${node.user}@${node.host}:${node.port}: ${ran.error.message}` : `cannot connect to ${node.user}@${node.host}:${node.port}: ${ran.error.message}`;
  return done({ api: null, apiNote: '', steps: notRun('no connection'), cleanedUp: true, cleanup: 'nothing was created', error });
}
