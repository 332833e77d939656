// --wait: retry with backoff until converged or out of time. Pure apart from the clock, which is
// injected so the schedule can be tested without sleeping.

export interface Clock {
  now(): number; // ms
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  // A wait that runs beside other work (a watch round's cut-off). A clock without it (the
  // tests' fake, whose sleep returns at once) has a round wait for every node instead.
  after?(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const realClock: Clock = { now: () => performance.now(), sleep: realSleep, after: realSleep };

export interface Backoff {
  firstMs: number;
  factor: number;
  maxMs: number;
}

// Nodes rebooting or flannel starting take seconds to minutes: start fast, back off to a poll
// that does not hammer sshd, never longer than 15 s between looks.
export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, factor: 2, maxMs: 15_000 };

// Delay before attempt n+1 (n = attempts done so far, ≥ 1).
export function backoffDelay(n: number, b: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(b.maxMs, b.firstMs * b.factor ** (n - 1));
}

export interface AttemptInfo<T> {
  attempt: number; // 1-based, the one that just finished
  result: T;
  done: boolean;
  nextInMs: number | null; // null: no further attempt
  leftMs: number; // time left until the deadline, ≥ 0
}

export interface WaitOptions<T> {
  timeoutMs: number;
  clock?: Clock;
  backoff?: Backoff;
  signal?: AbortSignal;
  onAttempt?: (info: AttemptInfo<T>) => void;
}

export interface WaitOutcome<T> {
  result: T;
  attempts: number;
  converged: boolean;
}

// Run `attempt` until `done` says so or the deadline passes. The delay is cut to what is left,
// so one last attempt starts at the deadline instead of the deadline being wasted asleep.
// `attempt` receives the previous result so it can redo only what failed.
export async function waitFor<T>(
  attempt: (previous: T | undefined, n: number) => Promise<T>,
  done: (result: T) => boolean,
  opts: WaitOptions<T>,
): Promise<WaitOutcome<T>> {
  const clock = opts.clock ?? realClock;
  const deadline = clock.now() + opts.timeoutMs;
  let result = await attempt(undefined, 1);
  for (let n = 1; ; n++) {
    const ok = done(result);
    const leftMs = Math.max(0, deadline - clock.now());
    const stop = ok || leftMs === 0 || Boolean(opts.signal?.aborted);
    const nextInMs = stop ? null : Math.min(backoffDelay(n, opts.backoff), leftMs);
    opts.onAttempt?.({ attempt: n, result, done: ok, nextInMs, leftMs });
    if (nextInMs === null) return { result, attempts: n, converged: ok };
    await clock.sleep(nextInMs, opts.signal);
    if (opts.signal?.aborted) return { result, attempts: n, converged: false };
    result = await attempt(result, n + 1);
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// "5m", "30s", "1m30s", "500ms", "90" (seconds) → ms; null when it is not a duration.
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * (UNITS[m[2] as string] as number);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}
