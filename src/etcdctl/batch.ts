// Several etcdctl commands in one round trip, each with its own stdout, stderr and exit code.
import type { Transport } from '../transport/types.js';
import { newNonce, PART_PREAMBLE, withNonce } from '../util/frame-shell.js';
import { partOf, readParts } from '../util/frames.js';
import type { Parts } from '../util/frames.js';
import { etcdctlCommand, settleRun } from './client.js';
import type { EtcdAccess, EtcdApi } from './client.js';
import type { EtcdctlOutput } from './parse.js';

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

// Each command's stdout and status as part `etcdctl.N` and its stderr as `etcdctl.N.err`
// (util/frame-shell.ts part): stdout is held in $o, stderr in $e, its status after the last
// "@rc=" of $e (what etcdctl writes cannot come after it). The stdout part is printed from inside
// the substitution that holds stderr, to fd 4 (the script's stdout). POSIX sh; nothing is written
// on the node. A command whose `when` does not hold is part `etcdctl.N` with skip=1. No etcdctl:
// part `etcdctl` says rc=127 and none of the commands runs (the rest of a larger script still
// does). Needs PART_PREAMBLE before it.
export function batchScript(access: EtcdAccess, cmds: readonly BatchCommand[], timeoutMs: number): string {
  const each = Math.max(2000, Math.floor(timeoutMs / Math.max(1, cmds.length)));
  const body = cmds.map((c, i) => {
    const cmd = etcdctlCommand(access, c.api, c.args, each);
    const run =
      `{ e=$( { o=$(${cmd} 2>&3 3>&-); r=$?; part etcdctl.${i} $r "" "$o" >&4; printf '\n@rc=%s' $r; } 3>&1 ); } 4>&1; ` +
      `r=\${e##*@rc=} e=\${e%@rc=*}; part etcdctl.${i}.err 0 "" "$e"; r${i}=$r`;
    return c.when ? `if ${c.when}; then ${run}; else part etcdctl.${i} 0 " skip=1" ""; fi` : run;
  });
  return [`if command -v etcdctl >/dev/null 2>&1; then`, `  part etcdctl 0 "" ""`, ...body.map((l) => `  ${l}`), `else part etcdctl 127 "" ""; fi`].join('\n');
}

export interface BatchOutput {
  etcdctlMissing: boolean;
  results: EtcdctlOutput[];
}

// A part's text as a stream's: its lines, each with its line break.
const stream = (body: string | undefined): string => (body ? `${body}\n` : '');

// The batch's parts (util/frames.ts readParts), one result per command; a command that never
// finished (timeout, cut short) has code null, one whose `when` did not hold is `skipped`.
export function parseBatch(parts: Parts, count: number, timedOut: boolean): BatchOutput {
  const results: EtcdctlOutput[] = Array.from({ length: count }, () => ({ stdout: '', stderr: '', code: null, timedOut }));
  if (partOf(parts, 'etcdctl')?.rc === 127) return { etcdctlMissing: true, results };
  results.forEach((r, i) => {
    const out = partOf(parts, `etcdctl.${i}`);
    if (!out) return;
    r.timedOut = false;
    if (out.attrs.skip === '1') r.skipped = true;
    else {
      r.code = out.rc;
      r.stdout = stream(out.body);
      r.stderr = stream(partOf(parts, `etcdctl.${i}.err`)?.body);
    }
  });
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
    const nonce = newNonce();
    const r = await t.exec(withNonce(nonce, `${PART_PREAMBLE}\n${batchScript(access, cmds, timeoutMs)}`), { timeoutMs });
    return settleBatch(parseBatch(readParts(r.stdout, nonce), cmds.length, r.timedOut), access, cmds);
  } catch (err) {
    const failed = { stdout: '', stderr: `Error: ${(err as Error).message}`, code: null, timedOut: false };
    return { etcdctlMissing: false, results: cmds.map(() => ({ ...failed })) };
  }
}
