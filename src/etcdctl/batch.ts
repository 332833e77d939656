// Several etcdctl commands in one round trip, each with its own stdout, stderr and exit code.
import type { Transport } from '../transport/types.js';
import { etcdctlCommand, settleRun } from './client.js';
import type { EtcdAccess, EtcdApi } from './client.js';
import type { EtcdctlOutput } from './parse.js';

const MARK = '@@clusterctl-batch';

export interface BatchCommand {
  api: EtcdApi;
  args: string[];
  // Run only if this holds: a constant sh condition over $r0, $r1 … (the exit codes of the
  // commands before it; empty when one did not run). Never inventory text.
  when?: string;
}

// Exit code N of an earlier command is 0 / is not 0 (not run counts as not 0).
export const ran0 = (i: number): string => `[ "\${r${i}-}" = 0 ]`;
export const failed = (i: number): string => `[ "\${r${i}-}" != 0 ]`;

// `{ o=$(cmd 2>&3); r=$?; } 3>&1`: stderr goes straight out, stdout is held and printed after a
// marker, so both arrive apart on one stream. POSIX sh; nothing is written on the node. A command
// whose `when` does not hold prints a skip marker. No etcdctl: one marker, and none of the commands
// runs (the rest of a larger script still does).
export function batchScript(access: EtcdAccess, cmds: readonly BatchCommand[], timeoutMs: number): string {
  const each = Math.max(2000, Math.floor(timeoutMs / Math.max(1, cmds.length)));
  const body = cmds.map((c, i) => {
    const cmd = etcdctlCommand(access, c.api, c.args, each);
    const run = `echo '${MARK} err ${i}'; { o=$(${cmd} 2>&3); r=$?; } 3>&1; echo '${MARK} out ${i}'; printf '%s\\n' "$o"; echo "${MARK} end ${i} rc=$r"; r${i}=$r`;
    return c.when ? `if ${c.when}; then ${run}; else echo '${MARK} skip ${i}'; fi` : run;
  });
  return [`if command -v etcdctl >/dev/null 2>&1; then`, ...body.map((l) => `  ${l}`), `else echo '${MARK} no-etcdctl'; fi`].join('\n');
}

export interface BatchOutput {
  etcdctlMissing: boolean;
  results: EtcdctlOutput[];
}

// The batch's output, one result per command; a command that never finished (timeout) has code
// null, one whose `when` did not hold is `skipped`.
export function parseBatch(stdout: string, count: number, timedOut: boolean): BatchOutput {
  const results: EtcdctlOutput[] = Array.from({ length: count }, () => ({ stdout: '', stderr: '', code: null, timedOut }));
  if (stdout.includes(`${MARK} no-etcdctl`)) return { etcdctlMissing: true, results };
  let cur: EtcdctlOutput | undefined;
  let into: 'stdout' | 'stderr' = 'stderr';
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${MARK} (err|out|end|skip) (\\d+)(?: rc=(\\d+))?$`).exec(line);
    if (!m) {
      if (cur) cur[into] += `${line}\n`;
      continue;
    }
    cur = results[Number(m[2])];
    if (!cur) continue;
    if (m[1] === 'err') into = 'stderr';
    else if (m[1] === 'out') into = 'stdout';
    else {
      if (m[1] === 'skip') cur.skipped = true;
      else cur.code = Number(m[3]);
      cur.timedOut = false;
      cur = undefined;
    }
  }
  return { etcdctlMissing: false, results };
}

// A batch's results as the rest of clusterctl reads them (sudo's warnings and refusals sorted out).
export function settleBatch(parsed: BatchOutput, access: EtcdAccess, cmds: readonly BatchCommand[]): BatchOutput {
  return { ...parsed, results: parsed.results.map((out, i) => (out.skipped ? out : settleRun(out, access, cmds[i]?.api ?? 'v3', cmds[i]?.args ?? []))) };
}

// One exec of a batch on its own (smoke, flannel set, tests); verify folds its batch into the
// node's one batch script (facts/batch.ts).
export async function etcdctlBatch(t: Transport, access: EtcdAccess, cmds: readonly BatchCommand[], timeoutMs: number): Promise<BatchOutput> {
  try {
    const r = await t.exec(batchScript(access, cmds, timeoutMs), { timeoutMs });
    return settleBatch(parseBatch(r.stdout, cmds.length, r.timedOut), access, cmds);
  } catch (err) {
    const failed = { stdout: '', stderr: `Error: ${(err as Error).message}`, code: null, timedOut: false };
    return { etcdctlMissing: false, results: cmds.map(() => ({ ...failed })) };
  }
}
