import type { Transport } from '../transport/types.js';
import { parseFacts } from './parse.js';
import { PROBE } from './probe.js';
import type { NodeFacts } from './types.js';

export type Gathered = { ok: true; facts: NodeFacts } | { ok: false; reason: string };

// One exec of the constant probe per node; a failed exec is a reason, not an exception.
export async function gatherFacts(transport: Transport, timeoutMs: number): Promise<Gathered> {
  let result;
  try {
    result = await transport.exec(PROBE, { timeoutMs });
  } catch (err) {
    return { ok: false, reason: `probe could not run: ${(err as Error).message}` };
  }
  if (result.timedOut) return { ok: false, reason: `probe timed out after ${timeoutMs / 1000}s and was stopped` };
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `probe exited with ${result.code ?? result.signal ?? 'no status'}${detail ? `: ${detail}` : ''}` };
  }
  return { ok: true, facts: parseFacts(result.stdout) };
}
