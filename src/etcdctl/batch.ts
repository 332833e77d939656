// Several etcdctl commands in one round trip, each with its own stdout, stderr and exit code.
import type { Transport } from '../transport/types.js';
import { etcdctlCommand, settleRun } from './client.js';
import type { EtcdAccess, EtcdApi } from './client.js';
import type { EtcdctlOutput } from './parse.js';

const MARK = '@@clusterctl-batch';

export interface BatchCommand {
  api: EtcdApi;
  args: string[];
}

// `{ o=$(cmd 2>&3); r=$?; } 3>&1`: stderr goes straight out, stdout is held and printed after a
// marker, so both arrive apart on one stream. POSIX sh; nothing is written on the node.
// With untilFailure, a command runs only if every one before it exited 0.
export function batchScript(access: EtcdAccess, cmds: readonly BatchCommand[], timeoutMs: number, untilFailure = false): string {
  const each = Math.max(2000, Math.floor(timeoutMs / Math.max(1, cmds.length)));
  const lines = [`command -v etcdctl >/dev/null 2>&1 || { echo '${MARK} no-etcdctl'; exit 0; }`];
  cmds.forEach((c, i) => {
    const cmd = etcdctlCommand(access, c.api, c.args, each);
    if (untilFailure && i > 0) lines.push('[ "$r" = 0 ] || exit 0');
    lines.push(`echo '${MARK} err ${i}'; { o=$(${cmd} 2>&3); r=$?; } 3>&1; echo '${MARK} out ${i}'; printf '%s\\n' "$o"; echo "${MARK} end ${i} rc=$r"`);
  });
  return lines.join('\n');
}

// The batch's output, one result per command; a command that never finished (timeout) has code null.
export function parseBatch(stdout: string, count: number, timedOut: boolean): { etcdctlMissing: boolean; results: EtcdctlOutput[] } {
  const results: EtcdctlOutput[] = Array.from({ length: count }, () => ({ stdout: '', stderr: '', code: null, timedOut }));
  if (stdout.includes(`${MARK} no-etcdctl`)) return { etcdctlMissing: true, results };
  let cur: EtcdctlOutput | undefined;
  let into: 'stdout' | 'stderr' = 'stderr';
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${MARK} (err|out|end) (\\d+)(?: rc=(\\d+))?$`).exec(line);
    if (!m) {
      if (cur) cur[into] += `${line}\n`;
      continue;
    }
    cur = results[Number(m[2])];
    if (!cur) continue;
    if (m[1] === 'err') into = 'stderr';
    else if (m[1] === 'out') into = 'stdout';
    else {
      cur.code = Number(m[3]);
      cur.timedOut = false;
      cur = undefined;
    }
  }
  return { etcdctlMissing: false, results };
}

export async function etcdctlBatch(t: Transport, access: EtcdAccess, cmds: readonly BatchCommand[], timeoutMs: number, untilFailure = false) {
  try {
    const r = await t.exec(batchScript(access, cmds, timeoutMs, untilFailure), { timeoutMs });
    const parsed = parseBatch(r.stdout, cmds.length, r.timedOut);
    return { ...parsed, results: parsed.results.map((out, i) => settleRun(out, access, cmds[i]?.api ?? 'v3', cmds[i]?.args ?? [])) };
  } catch (err) {
    const failed = { stdout: '', stderr: `Error: ${(err as Error).message}`, code: null, timedOut: false };
    return { etcdctlMissing: false, results: cmds.map(() => ({ ...failed })) };
  }
}
