import { isRetryable, SshError } from './errors.js';

export interface RetryOptions {
  retries: number; // extra attempts after the first
  baseDelayMs?: number;
  signal?: AbortSignal | undefined;
  onRetry?: (attempt: number, err: unknown, delayMs: number) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SshError('aborted', 'interrupted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new SshError('aborted', 'interrupted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Try again after network failures only, with exponential backoff and jitter (so 32 nodes
// behind one flapping switch do not come back in lock step). Trust and auth failures are final
// at once. The last error says how many attempts were made.
export async function withRetries<T>(attempt: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 500;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= opts.retries || !isRetryable(err)) {
        if (i > 0 && err instanceof SshError) throw new SshError(err.kind, `${err.message} (after ${i + 1} attempts)`, { cause: err });
        throw err;
      }
      const delay = Math.min(8000, base * 2 ** i) * (0.75 + Math.random() * 0.5);
      opts.onRetry?.(i + 1, err, delay);
      await sleep(delay, opts.signal);
    }
  }
}
