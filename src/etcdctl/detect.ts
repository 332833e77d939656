// Which etcd APIs a node's etcdctl can use, found in one read-only round trip.
import type { Transport } from '../transport/types.js';
import { newNonce, PART_PREAMBLE, withNonce } from '../util/frame-shell.js';
import { partOf, readParts } from '../util/frames.js';
import type { Parts } from '../util/frames.js';
import { etcdctlCommand, settleRun } from './client.js';
import type { EtcdAccess } from './client.js';
import { etcdctlNotFound } from './messages.js';
import { etcdctlError } from './parse.js';

export interface DetectedApis {
  v2: boolean;
  v3: boolean;
  etcdctl: string | null; // path of the node's etcdctl; null when there is none
  error?: string; // set when neither API works
  missing?: true; // etcdctl is not in the node's PATH (error says so)
  v2Error?: string;
  v3Error?: string;
}

const V3_PROBE = ['get', '--limit=1', '--keys-only', '--', '/'];
const V2_PROBE = ['ls', '/'];

// Which APIs work from this node, in one round trip: v3 by a one-key read, v2 by `ls /`
// (fails when etcdctl has no v2 or the server runs without --enable-v2). Read-only.
export async function detectApis(t: Transport, access: EtcdAccess, timeoutMs: number): Promise<DetectedApis> {
  const each = Math.max(2000, Math.floor(timeoutMs / 2));
  const v3 = etcdctlCommand(access, 'v3', V3_PROBE, each);
  const v2 = etcdctlCommand(access, 'v2', V2_PROBE, each);
  // Parts (util/frames.ts): `etcdctl` (its path, or rc=127), then `v3` and `v2`: each check's
  // status and its errors.
  const script = [
    PART_PREAMBLE,
    `p=$(command -v etcdctl) || { part etcdctl 127 "" ""; exit 0; }`,
    `part etcdctl 0 "" "$p"`,
    `e=$(${v3} 2>&1 >/dev/null); part v3 $? "" "$e"`,
    `e=$(${v2} 2>&1 >/dev/null); part v2 $? "" "$e"`,
  ].join('\n');
  const nonce = newNonce();
  let out;
  try {
    out = await t.exec(withNonce(nonce, script), { timeoutMs });
  } catch (err) {
    const error = `could not run etcdctl: ${(err as Error).message}`;
    return { v2: false, v3: false, etcdctl: null, error };
  }
  return parseDetect(readParts(out.stdout, nonce), out.timedOut, timeoutMs, access);
}

// The detect script's parts: where etcdctl is, and each API's status and etcdctl's errors.
export function parseDetect(parts: Parts, timedOut: boolean, timeoutMs: number, access: EtcdAccess = { endpoints: [] }): DetectedApis {
  const found = partOf(parts, 'etcdctl');
  const path = found === undefined ? undefined : found.rc === 0 ? found.body.trim() || null : null;
  const runs = new Map((['v3', 'v2'] as const).map((api) => [api, partOf(parts, api)]));
  if (path === undefined) {
    const why = timedOut ? `timed out after ${timeoutMs / 1000}s` : 'unexpected output';
    return { v2: false, v3: false, etcdctl: null, error: `could not detect etcd APIs: ${why}` };
  }
  if (path === null) return { v2: false, v3: false, etcdctl: null, error: etcdctlNotFound(), missing: true };
  const res: DetectedApis = { v2: false, v3: false, etcdctl: path };
  let refused: string | undefined;
  for (const api of ['v3', 'v2'] as const) {
    const run = runs.get(api);
    const key = api === 'v2' ? 'v2Error' : 'v3Error';
    if (run?.rc === 0) res[api] = true;
    else if (!run) res[key] = timedOut ? `${api} check timed out after ${timeoutMs / 1000}s` : `${api} check did not finish`;
    else {
      const args = api === 'v3' ? V3_PROBE : V2_PROBE;
      const r = settleRun({ stdout: '', stderr: run.body, code: run.rc, timedOut: false }, access, api, args);
      refused ??= r.refused;
      res[key] = etcdctlError(r);
    }
  }
  // sudo refusing is the same answer for both APIs: say it once.
  if (!res.v2 && !res.v3) res.error = refused ?? `neither etcd API works from this node: v3: ${res.v3Error}; v2: ${res.v2Error}`;
  return res;
}
