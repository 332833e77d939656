// Runs the smoke steps in order over one node's connection, stops at the first failure, and
// removes whatever the run may have created — after a failure, a timeout or an interrupt alike.
import { randomBytes } from 'node:crypto';
import type { Transport } from '../transport/types.js';
import type { EtcdAccess, EtcdApi } from '../etcdctl/client.js';
import { absent, failure, manualCleanup, revoke, SMOKE_STEPS, STEP_CALLS, STEP_FNS } from './steps.js';
import type { Created, SmokeCtx, SmokeStep } from './steps.js';
import { etcdctl } from '../etcdctl/client.js';
import { isV2KeyNotFound } from '../etcdctl/parse.js';

export type StepStatus = 'pass' | 'fail' | 'skip' | 'error';
export interface StepResult {
  step: SmokeStep;
  status: StepStatus;
  durationMs: number;
  message: string;
  interrupted?: true; // not run because of Ctrl-C: the run did not complete, whatever passed
}
export interface Cleanup {
  cleanedUp: boolean; // nothing this run created is left in etcd
  message: string; // on a leftover: the exact keys and the commands that delete them
}
export interface SmokePlan {
  dir: string;
  value: string;
}

// A directory no one else uses and a value no one else writes: time plus 48 random bits. DIR is
// at the top of the keyspace: v2 mkdir would make a parent on the way, and that would carry no TTL.
export function newPlan(now: Date = new Date(), random: () => string = () => randomBytes(6).toString('hex')): SmokePlan {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return { dir: `/clusterctl-smoke-${stamp}-${random()}`, value: `clusterctl-${random()}` };
}

// The most etcdctl calls a cleanup makes, in either API: v2 rm KEY, rmdir DIR, ls DIR; v3 del KEY,
// lease revoke, get DIR/ (cleanUp below; a unit test holds it to this).
export const CLEANUP_CALLS = 3;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

// A node's run, from its first call to the end of its cleanup, is at most every step's calls and
// the cleanup's, each within the per-call timeout (the transport stops a call there). What it
// creates lives a minute longer (etcd's leader keeps the time), so a run that is killed leaves
// nothing once that has passed, and a run that is not killed never sees its key expire.
export const TTL_MARGIN_S = 60;
export function smokeTtlSeconds(timeoutMs: number): number {
  const calls = sum(Object.values(STEP_CALLS)) + CLEANUP_CALLS;
  return Math.ceil((calls * timeoutMs) / 1000) + TTL_MARGIN_S;
}

// How long main waits after a stop signal: the step in flight finishes its calls (the run checks
// the signal between steps), then the cleanup's calls run, each within the per-call timeout; then
// the connections close and the report is written (CLOSE_MS).
export const CLOSE_MS = 2000;
export function cleanupGraceMs(timeoutMs: number): number {
  return (Math.max(...Object.values(STEP_CALLS)) + CLEANUP_CALLS) * timeoutMs + CLOSE_MS;
}

export interface SmokeOptions {
  timeoutMs: number; // per etcdctl call
  signal?: AbortSignal; // stops starting new steps; cleanup still runs
  onStep?: (r: StepResult) => void;
}

const V3_NO_DIRS = 'v3 has no directories: keys under a prefix need no mkdir/rmdir';

// Run every step on one node. Never throws: failures are step results and a cleanup verdict.
export async function runSmoke(
  t: Transport,
  access: EtcdAccess,
  api: EtcdApi,
  node: string,
  plan: SmokePlan,
  opts: SmokeOptions,
): Promise<{ steps: StepResult[]; cleanup: Cleanup }> {
  const c: SmokeCtx = { t, access, api, node, dir: plan.dir, key: `${plan.dir}/key`, value: plan.value, timeoutMs: opts.timeoutMs, ttlS: smokeTtlSeconds(opts.timeoutMs) };
  const steps: StepResult[] = [];
  const mayExist = { key: false, dir: false, lease: false };
  let stop: string | null = null;
  let interrupted = false;
  let refused = false;
  for (const step of SMOKE_STEPS) {
    const push = (r: StepResult) => (steps.push(r), opts.onStep?.(r));
    if (api === 'v3' && (step === 'mkdir' || step === 'rmdir')) {
      push({ step, status: 'skip', durationMs: 0, message: V3_NO_DIRS });
      continue;
    }
    if (!stop && opts.signal?.aborted) {
      stop = 'not run: interrupted';
      interrupted = true;
    }
    if (stop) {
      push({ step, status: 'skip', durationMs: 0, message: stop, ...(interrupted ? { interrupted: true as const } : {}) });
      continue;
    }
    const started = performance.now();
    let out;
    try {
      out = await STEP_FNS[step](c);
    } catch (err) {
      out = { ok: false, message: `internal error in clusterctl (please report): ${(err as Error).message}` };
    }
    if (out.created?.key !== undefined) mayExist.key = out.created.key;
    if (out.created?.dir !== undefined) mayExist.dir = out.created.dir;
    if (out.created?.lease !== undefined) mayExist.lease = out.created.lease;
    if (out.refused) refused = true;
    push({ step, status: out.ok ? 'pass' : 'fail', durationMs: Math.round(performance.now() - started), message: out.message });
    if (!out.ok) stop = `not run: ${step} failed`;
  }
  const completed = !interrupted && steps.every((s) => s.status !== 'fail');
  if (completed) return { steps, cleanup: { cleanedUp: true, message: `nothing left: ${plan.dir} was removed and confirmed gone` } };
  if (refused) return { steps, cleanup: { cleanedUp: true, message: `nothing created: ${plan.dir} was someone else's and was left alone` } };
  return { steps, cleanup: await cleanUp(c, mayExist) };
}

// Remove what may exist (a missing key, an expired lease is fine), then confirm with a listing.
export async function cleanUp(c: SmokeCtx, mayExist: Required<Created>): Promise<Cleanup> {
  if (!mayExist.key && !mayExist.dir && !mayExist.lease) return { cleanedUp: true, message: 'nothing was created' };
  const problems: string[] = [];
  const remove = async (args: string[]) => {
    const r = await etcdctl(c.t, c.access, c.api, args, c.timeoutMs, Infinity);
    if (r.code !== 0 && !isV2KeyNotFound(r)) problems.push(`${args[0]} ${args[2]}: ${failure(c, r)}`);
  };
  if (mayExist.key) await remove([c.api === 'v2' ? 'rm' : 'del', '--', c.key]);
  if (mayExist.dir && c.api === 'v2') await remove(['rmdir', '--', c.dir]);
  if (mayExist.lease) {
    const v = await revoke(c);
    if (!v.ok) problems.push(`lease revoke ${c.lease}: ${v.error}`);
  }
  const check = await absent(c);
  const expires = `; it expires by itself within ${c.ttlS}s of its creation (TTL)`;
  if (check.ok && check.absent) return { cleanedUp: true, message: `cleaned up: ${c.dir} is gone${problems.length ? ` (${problems.join('; ')}${expires})` : ''}` };
  const left = check.ok ? [...check.found] : [...(mayExist.key ? [c.key] : []), ...(mayExist.dir && c.api === 'v2' ? [c.dir] : [])];
  const why = check.ok ? '' : ` (could not confirm: ${check.error})`;
  const cmd = manualCleanup(c, left.includes(c.key), left.includes(c.dir));
  return {
    cleanedUp: false,
    message: `LEFT BEHIND in etcd (${c.api}): ${left.join(', ')}${why}${problems.length ? `; ${problems.join('; ')}` : ''}${expires}. Delete with: ${cmd}`,
  };
}
