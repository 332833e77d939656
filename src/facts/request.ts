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
  if (!t.shell) {
    const nonce = newNonce();
    return { ...(await t.exec(withNonce(nonce, command), { timeoutMs })), nonce };
  }
  let nonce = '';
  const r = await t.shell(probeFor(become, 'session')).request((n) => request((nonce = n)), { timeoutMs });
  return { ...r, nonce };
}

// What the session reads for one request (facts/sh/session-loop.sh): `probe NONCE`, or a script
// with its length in bytes (so bash takes it in one read) and the nonce as its end line, after
// `script NONCE` or after `probe NONCE` (the probe, then the script, in one reply). `script` is
// shell text whose inventory values are already quoted (util/shell.ts); it runs in a subshell of
// the probe's shell, as it would under `sh -c`.
export function requestText(kind: 'probe' | 'script', nonce: string, script = ''): string {
  if (kind === 'probe' && !script) return `probe ${nonce}\n`;
  return `${kind} ${nonce} ${Buffer.byteLength(script) + 1}\n${script}\n${nonce}\n`;
}

// Whether the probe's request can carry a script: only in the probe's session (a transport with a
// remote shell). Elsewhere (one exec a request) a script is a request of its own.
export const probeCarriesScripts = (t: Transport): boolean => t.shell !== undefined;

// The probe, and `script` after it in the same reply where the transport has a session.
export function runProbeOn(t: Transport, become: Become, timeoutMs: number, script = ''): Promise<Reply> {
  if (script && !probeCarriesScripts(t)) throw new Error('internal: a script rides with the probe only in a session');
  return runOn(t, become, probeFor(become), (nonce) => requestText('probe', nonce, script), timeoutMs);
}

export const runScriptOn = (t: Transport, become: Become, script: string, timeoutMs: number): Promise<Reply> =>
  runOn(t, become, script, (nonce) => requestText('script', nonce, script), timeoutMs);
