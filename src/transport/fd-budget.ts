// How many SSH connections this process can hold open at once under its file-descriptor limit
// (`ulimit -n`): a connection is one socket. Past the limit, connect() fails with EMFILE — a
// local limit that must never read as the node's failure. Connections wait their turn for a
// slot instead; a --watch keeps only those that fit (run/kept.ts asks `waiting`).
import { readFileSync, readdirSync } from 'node:fs';
import type { Transport } from './types.js';

export interface FdLimits {
  soft: number; // the soft RLIMIT_NOFILE (Node raises it to the hard limit at start)
  open: number; // descriptors open now
}

// /proc/self/limits and /proc/self/fd (Linux); undefined where they cannot be read.
export function readFdLimits(): FdLimits | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line ? /^Max open files\s+(\S+)/.exec(line)?.[1] : undefined;
    if (soft === undefined) return undefined;
    return { soft: soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft), open: readdirSync('/proc/self/fd').length };
  } catch {
    return undefined;
  }
}

// Descriptors kept back for what a run opens besides its connections: known_hosts and its lock,
// key files, ssh config, a bastion's socket, the local transport's pipes, Node's own.
export const RESERVE = 12;

export const isLocalLimit = (err: unknown): boolean => {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === 'EMFILE' || e.code === 'ENFILE') return true;
    if (typeof e.message === 'string' && /\bE[MN]FILE\b/.test(e.message)) return true;
  }
  return false;
};

interface Waiter {
  grant: () => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

// A counting semaphore of connection slots. Waiters are served in order.
export class DescriptorBudget {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private cap: number,
    readonly limit: number | undefined = undefined, // the soft limit it was derived from, for messages
  ) {
    this.cap = Math.max(1, Math.floor(cap));
  }

  // From this process's limit and what it holds open now; no limit known: `fallback` slots.
  static forThisProcess(limits: FdLimits | undefined = readFdLimits(), fallback = 4096): DescriptorBudget {
    if (!limits || !Number.isFinite(limits.soft)) return new DescriptorBudget(fallback);
    return new DescriptorBudget(limits.soft - limits.open - RESERVE, limits.soft);
  }

  get slots(): number {
    return this.cap;
  }
  get inUse(): number {
    return this.used;
  }
  get waiting(): number {
    return this.queue.length;
  }

  // A slot, and the function that gives it back (once). Rejects when the signal aborts first.
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new Error('interrupted'));
    if (this.used < this.cap && this.queue.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        signal,
        grant: () => resolve(this.take()),
        onAbort: () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new Error('interrupted'));
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.queue.push(w);
    });
  }

  // EMFILE although the budget said there was room (something else holds descriptors): one slot
  // fewer from now on, never fewer than one.
  shrink(): void {
    this.cap = Math.max(1, this.cap - 1);
  }

  private take(): () => void {
    this.used++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used--;
      this.next();
    };
  }

  private next(): void {
    while (this.used < this.cap && this.queue.length) {
      const w = this.queue.shift() as Waiter;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.grant();
    }
  }
}

// `connect` under the budget: each connection holds a slot until it is closed. A connect that
// still hits EMFILE/ENFILE (something else holds descriptors) gives a slot up for good and waits
// for the next free one while other connections are open; with none open it is the machine's
// limit, said as such, never the node's. `onWait` hears once that nodes are queuing.
export function withDescriptorBudget<N>(
  connect: (node: N, signal?: AbortSignal) => Promise<Transport>,
  budget: DescriptorBudget,
  onWait?: (budget: DescriptorBudget) => void,
): (node: N, signal?: AbortSignal) => Promise<Transport> {
  let told = false;
  return async (node, signal) => {
    for (;;) {
      if (!told && budget.inUse >= budget.slots) {
        told = true;
        onWait?.(budget);
      }
      const release = await budget.acquire(signal);
      let t: Transport;
      try {
        t = await connect(node, signal);
      } catch (err) {
        release();
        if (!isLocalLimit(err)) throw err;
        if (budget.inUse === 0) throw new Error(`this machine ran out of file descriptors (${limitText(budget)}), not the node: raise \`ulimit -n\``, { cause: err });
        budget.shrink();
        continue;
      }
      return holding(t, release, budget);
    }
  };
}

const limitText = (b: DescriptorBudget): string => (b.limit === undefined ? 'EMFILE' : `ulimit -n ${b.limit}`);

// The transport, giving its slot back when it is closed.
function holding(t: Transport, release: () => void, budget: DescriptorBudget): Transport {
  return {
    exec: (command, options) => t.exec(command, options),
    close: () => {
      t.close();
      release();
    },
    contended: () => budget.waiting > 0,
    ...(t.isOpen ? { isOpen: () => t.isOpen?.() ?? true } : {}),
    ...(t.shell ? { shell: (command: string) => (t.shell as NonNullable<Transport['shell']>)(command) } : {}),
  };
}

export const describeBudget = (b: DescriptorBudget): string =>
  `the file-descriptor limit (${limitText(b)}) lets this run hold ${b.slots} SSH connection${b.slots === 1 ? '' : 's'} at once: the other nodes wait their turn`;
