// Pure readers of etcdctl's output and errors, for both APIs. Tested on captured output
// (test/fixtures/etcd/); they never run anything.
import { etcdctlNotFound } from './messages.js';

export interface EtcdctlOutput {
  stdout: string;
  stderr: string;
  code: number | null; // null: killed or timed out
  timedOut: boolean;
  refused?: string; // sudo would not run etcdctl (become: sudo): the whole error, with the fix
  hint?: string; // what to do about etcdctl's own error (a root-only TLS file: become: sudo)
  skipped?: true; // in a batch: not run, its condition did not hold (etcdctl/batch.ts)
}

// sh reports a missing command with exit 127 ("sh: 1: etcdctl: not found").
export function etcdctlMissing(r: EtcdctlOutput): boolean {
  return r.code === 127 && /etcdctl/.test(r.stderr) && /not found|No such file/i.test(r.stderr);
}

// etcd >= 3.4 without --enable-v2 answers /v2/keys with 404 (etcdctl: "response is invalid json")
// and /v2/members with 404 ("unexpected status code 404").
export function v2Unserved(r: EtcdctlOutput): boolean {
  return /response is invalid json|unexpected status code 404/.test(r.stderr);
}

// v2: `Error:  100: Key not found (/k) [7]` with exit 4.
export function isV2KeyNotFound(r: EtcdctlOutput): boolean {
  return r.code === 4 && /Error:\s+100: Key not found/.test(r.stderr);
}

// etcdctl 3.4 (v3) logs retries as JSON lines before the final `Error: …`; the retry's "error"
// field says why (connection refused, …) while the final line often only says the deadline passed.
function v3LogDetail(stderr: string): string | undefined {
  let detail: string | undefined;
  for (const line of stderr.split('\n')) {
    const l = line.trim();
    if (!l.startsWith('{')) continue;
    try {
      const j = JSON.parse(l) as { error?: unknown };
      if (typeof j.error === 'string') detail = j.error;
    } catch {
      // not a log line after all
    }
  }
  return detail;
}

// One line saying why an etcdctl run failed, in etcdctl's own words where it gave any.
export function etcdctlError(r: EtcdctlOutput, timeoutMs?: number): string {
  if (r.refused) return r.refused;
  if (etcdctlMissing(r)) return etcdctlNotFound();
  if (r.timedOut) return `etcdctl did not finish within ${timeoutMs !== undefined ? `${timeoutMs / 1000}s` : 'the command timeout'} and was stopped`;
  const lines = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('{'));
  const errLines = lines.filter((l) => /^Error\b/i.test(l));
  let main = (errLines.length ? errLines : lines).slice(-2).join(' / ');
  const detail = v3LogDetail(r.stderr);
  if (detail && !main.includes(detail)) main = main ? `${main} (${detail})` : detail;
  if (!main) main = r.stdout.trim().split('\n').slice(-2).join(' / ');
  if (v2Unserved(r)) main += ' (the server does not serve the v2 API: etcd >= 3.4 needs --enable-v2, 3.6 has no v2; use the v3 API)';
  const status = r.code === null ? 'was killed' : `exited ${r.code}`;
  const said = main ? `etcdctl ${status}: ${main}` : `etcdctl ${status} without a message`;
  return r.hint ? `${said}; ${r.hint}` : said;
}

// `etcdctl get KEY` (v2, simple output) prints the value and one newline (Println).
export function v2Value(stdout: string): string {
  return stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
}

export interface V3Kv {
  key: string;
  value: string;
}

// `etcdctl -w json get …` (v3): keys and values are base64; no "kvs" means nothing matched.
export function parseV3Get(stdout: string): { ok: true; kvs: V3Kv[]; count: number } | { ok: false; error: string } {
  let j: { kvs?: { key?: string; value?: string }[]; count?: number; header?: unknown };
  try {
    j = JSON.parse(stdout) as typeof j;
  } catch {
    return { ok: false, error: `etcdctl -w json printed something that is not JSON: ${stdout.trim().slice(0, 200)}` };
  }
  if (typeof j !== 'object' || j === null || !('header' in j)) return { ok: false, error: 'etcdctl -w json output has no header: is this etcdctl speaking v3?' };
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  const kvs = (j.kvs ?? []).map((kv) => ({ key: b64(kv.key), value: b64(kv.value) }));
  return { ok: true, kvs, count: j.count ?? kvs.length };
}

// `etcdctl lease grant TTL` (v3, simple output): `lease 2347a245a9798d06 granted with TTL(60s)`
// (etcdctl 3.4.23). The ID, hex as `put --lease=` and `lease revoke` take it; anything else
// printed there is not a lease.
export function parseLeaseGrant(stdout: string): string | undefined {
  return /^lease ([0-9a-f]{1,16}) granted with TTL\(\d+s\)$/m.exec(stdout)?.[1];
}

// `lease revoke` of a lease that expired or was revoked: exit 1 with
// `Error: failed to revoke lease (etcdserver: requested lease not found)` (etcdctl 3.4.23).
export function isLeaseNotFound(r: EtcdctlOutput): boolean {
  return r.code !== 0 && /requested lease not found/.test(r.stderr);
}

// `etcdctl -w json txn` (v3): "succeeded" is true when every compare held (and absent, not false,
// when one did not: etcdctl 3.4.23 omits a false field); the key-values of the range (get)
// requests that ran, base64 as in `get`. Exit 0 either way.
export function parseV3Txn(stdout: string): { ok: true; succeeded: boolean; kvs: V3Kv[] } | { ok: false; error: string } {
  type Range = { kvs?: { key?: string; value?: string }[] };
  let j: { header?: unknown; succeeded?: unknown; responses?: { Response?: { ResponseRange?: Range } }[] };
  try {
    j = JSON.parse(stdout) as typeof j;
  } catch {
    return { ok: false, error: `etcdctl -w json txn printed something that is not JSON: ${stdout.trim().slice(0, 200)}` };
  }
  if (typeof j !== 'object' || j === null || !('header' in j)) return { ok: false, error: 'etcdctl -w json txn output has no header: is this etcdctl speaking v3?' };
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  const ranges = (Array.isArray(j.responses) ? j.responses : []).flatMap((r) => r?.Response?.ResponseRange?.kvs ?? []);
  return { ok: true, succeeded: j.succeeded === true, kvs: ranges.map((kv) => ({ key: b64(kv.key), value: b64(kv.value) })) };
}

// v2 compare-and-swap refusals: `Error:  101: Compare failed ([OLD != NOW]) [7]` (set
// --swap-with-value, rm --with-value), `105: Key already exists` (mk), `100: Key not found` (the
// key went away), each with exit 4 (etcdctl 3.4.23).
export function isV2CompareFailed(r: EtcdctlOutput): boolean {
  return r.code === 4 && /Error:\s+(101: Compare failed|105: Key already exists|100: Key not found)/.test(r.stderr);
}
