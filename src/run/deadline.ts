// One node's deadline in one run or round (--node-timeout): it covers the connect and every
// request of that node, so no node can hold a run, or a watch round, past it. Each request's own
// timeout is cut to what is left; a node past it is one error naming the step it stalled at.
import { STALL_WHAT } from '../transport/types.js';
import type { ExecOptions, ExecResult, RemoteShell, Stall, Transport } from '../transport/types.js';

export type NodeStep = 'connect' | Stall;

const STEP_WHAT: Record<NodeStep, string> = { connect: 'the connection was not up', ...STALL_WHAT };

// --command-timeout when not given; etcdctl's own timeouts in a batch follow from it.
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

// What --node-timeout is when not given: every connect attempt --retries allows and the longest
// pauses between them (transport/retry.ts), then `requests` commands at their timeout (verify:
// the probe and the batch).
export function defaultNodeTimeoutMs(o: { connectTimeoutMs: number; commandTimeoutMs: number; retries?: number | undefined }, requests = 2): number {
  const retries = o.retries ?? 0;
  let pauses = 0;
  for (let i = 0; i < retries; i++) pauses += Math.min(8000, 500 * 2 ** i) * 1.25;
  return (retries + 1) * o.connectTimeoutMs + Math.ceil(pauses) + requests * o.commandTimeoutMs;
}

export class NodeTimeoutError extends Error {
  override name = 'NodeTimeoutError';
  constructor(
    readonly step: NodeStep,
    readonly timeoutMs: number,
  ) {
    super(`no answer within the node's ${timeoutMs / 1000}s deadline (--node-timeout): stalled at ${step}: ${STEP_WHAT[step]}`);
  }
}

// A transport that ignored its timeout still ends the node's work this long after the deadline.
const GRACE_MS = 1000;

export class NodeDeadline {
  private readonly at: number;
  private step: NodeStep = 'connect';
  stall: { step: Stall; cut: boolean; timeoutMs: number } | undefined; // the first request that timed out; cut: by this deadline

  // ms undefined: no deadline; requests are still watched so a stall can be named.
  constructor(readonly ms?: number) {
    this.at = ms === undefined ? Infinity : performance.now() + ms;
  }

  left(): number {
    return Math.max(0, this.at - performance.now());
  }

  // A request was cut short by this deadline.
  passed(): boolean {
    return this.stall?.cut === true;
  }

  error(): NodeTimeoutError {
    return new NodeTimeoutError(this.stall?.step ?? this.step, this.ms ?? 0);
  }

  // `work`, or this deadline's error once it has passed (connect: at once; a request: after the
  // grace, as its own cut timeout should have ended it). A late value is handed to `late`.
  race<T>(work: Promise<T>, late?: (value: T) => void, graceMs = 0): Promise<T> {
    if (this.at === Infinity) return work;
    let timer: NodeJS.Timeout | undefined;
    let lateNow = false;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        lateNow = true;
        reject(this.error());
      }, this.left() + graceMs);
    });
    work.then((v) => lateNow && late?.(v), () => undefined);
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }

  raceWork<T>(work: Promise<T>): Promise<T> {
    this.step = 'reply';
    return this.race(work, undefined, GRACE_MS);
  }

  // The transport with every request's timeout cut to what is left, and its stalls recorded.
  bind(t: Transport): Transport {
    const request = async (run: (o: ExecOptions) => Promise<ExecResult>, o: ExecOptions = {}): Promise<ExecResult> => {
      const left = this.left();
      const cut = o.timeoutMs === undefined || left < o.timeoutMs;
      const timeoutMs = Math.max(1, Math.floor(Math.min(o.timeoutMs ?? Infinity, left)));
      const r = await run(Number.isFinite(timeoutMs) ? { ...o, timeoutMs } : o);
      if (r.timedOut) this.stall ??= { step: r.stalled ?? 'reply', cut: cut && this.at !== Infinity, timeoutMs };
      return r;
    };
    const shell = t.shell?.bind(t);
    return {
      exec: (command, o) => request((x) => t.exec(command, x), o),
      close: () => t.close(),
      ...(t.isOpen ? { isOpen: () => t.isOpen?.() ?? true } : {}),
      ...(shell
        ? {
            shell: (command: string): RemoteShell => {
              const s = shell(command);
              return { request: (req, o) => request((x) => s.request(req, x), o), isOpen: () => s.isOpen(), close: () => s.close() };
            },
          }
        : {}),
    };
  }
}
