// How a request reaches a node: the probe, or a script (the batch). Over a
// transport that keeps a command running (SSH, --local), both go to one session of the probe
// (facts/probe.ts PROBE_SESSION): one SSH channel and one shell a node for the whole run, and for
// every round of verify --watch. Elsewhere (the unit tests' fake transport) each is one exec.
// Either way a request has its nonce (util/frame-shell.ts), made here or by the session, which
// frames every part of its reply: the caller reads the reply with it (util/frames.ts).
import type { ExecResult, Transport } from '../transport/types.js';
import type { Become } from '../util/become.js';
import { newNonce, withNonce } from '../util/frame-shell.js';
import { probeFor } from './probe.js';

// A reply and the nonce its parts are framed with.
export interface Reply extends ExecResult {
  nonce: string;
}

// Why a session's request got no answer (it could not start, or ended mid-request); undefined
// for an answer, a timeout or an exec's failure.
export function requestLost(r: ExecResult): string | undefined {
  return r.code === null && !r.timedOut && !r.signal ? /^\[clusterctl: (.*)\]$/m.exec(r.stderr.trim())?.[1] : undefined;
}

// `request` to the node's session, or `command` as an exec of its own where there is none, its
// first line the nonce.
async function runOn(t: Transport, become: Become, command: string, request: (nonce: string) => string, timeoutMs: number): Promise<Reply> {
  if (!t.session) {
    const nonce = newNonce();
    return { ...(await t.exec(withNonce(nonce, command), { timeoutMs })), nonce };
  }
  let nonce = '';
  const r = await t.session(probeFor(become, 'session')).request((n) => request((nonce = n)), { timeoutMs });
  return { ...r, nonce };
}

export const runProbeOn = (t: Transport, become: Become, timeoutMs: number): Promise<Reply> =>
  runOn(t, become, probeFor(become), (nonce) => `probe ${nonce}\n`, timeoutMs);

// `script` is shell text whose inventory values are already quoted (util/shell.ts); in a session
// it runs in a subshell of the probe's shell, as it would under `sh -c`. Its length in bytes goes
// with it, so bash takes it in one read (facts/framing.ts).
export const runScriptOn = (t: Transport, become: Become, script: string, timeoutMs: number): Promise<Reply> =>
  runOn(t, become, script, (nonce) => `script ${nonce} ${Buffer.byteLength(script) + 1}\n${script}\n${nonce}\n`, timeoutMs);
