import type { NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { Connect } from './connect.js';
import { backoffDelay, formatDuration, realClock } from './poll.js';
import type { Backoff, Clock } from './poll.js';

// What happened to a node's kept connection, for the printers.
export type ConnectionEvent = { node: string; kind: 'lost'; why: string } | { node: string; kind: 'reconnected'; after: number };

interface Slot {
  transport?: Transport;
  failures: number; // connect attempts that failed in a row
  nextAt: number; // clock time before which no attempt is made
  why?: string; // the last failure or loss, for the node's ssh result while it waits
  opened: number; // connections opened to this node so far
  parked?: boolean; // closed after its round to free a file descriptor: opening it again is no news
}

export interface KeptOptions {
  clock?: Clock;
  backoff?: Backoff; // between failed attempts; verify --wait passes none (its attempts back off already)
  onEvent?: (e: ConnectionEvent) => void;
}

// One SSH connection per node, opened on first use and kept for every later round (verify
// --watch, --wait). `connect` hands the engine the kept connection; closing it there keeps it
// open. A connection that is gone is opened again; attempts that fail back off, and until the
// next one is due the node fails at once, with why and when, instead of holding a round up.
export class KeptConnections {
  private readonly slots = new Map<string, Slot>();
  private readonly clock: Clock;
  private closedAll = false;

  constructor(
    private readonly open: Connect,
    private readonly opts: KeptOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
  }

  readonly connect: Connect = async (node) => {
    const s = this.slot(node.name);
    if (s.transport && s.transport.isOpen?.() === false) this.lose(node.name, s, 'the connection closed');
    if (s.transport) return this.lease(node, s.transport);
    const wait = s.nextAt - this.clock.now();
    if (wait > 0) throw new Error(`${s.why ?? 'not connected'}; next attempt in ${formatDuration(wait)}`);
    try {
      const t = await this.open(node);
      if (this.closedAll) {
        t.close();
        throw new Error('interrupted');
      }
      if (s.opened > 0 && !s.parked) this.opts.onEvent?.({ node: node.name, kind: 'reconnected', after: s.failures });
      Object.assign(s, { transport: t, failures: 0, nextAt: 0, opened: s.opened + 1, parked: false });
      return this.lease(node, t);
    } catch (err) {
      s.failures++;
      s.why = (err as Error).message;
      s.nextAt = this.clock.now() + (this.opts.backoff ? backoffDelay(s.failures, this.opts.backoff) : 0);
      throw err;
    }
  };

  // Connections opened to each node so far (1 each while nothing dropped).
  opened(): Map<string, number> {
    return new Map([...this.slots].map(([name, s]) => [name, s.opened]));
  }

  closeAll(): void {
    this.closedAll = true;
    for (const s of this.slots.values()) s.transport?.close();
    this.slots.clear();
  }

  private slot(name: string): Slot {
    let s = this.slots.get(name);
    if (!s) this.slots.set(name, (s = { failures: 0, nextAt: 0, opened: 0 }));
    return s;
  }

  // The next round opens it again at once; only failed attempts back off.
  private lose(name: string, s: Slot, reason: string): void {
    const why = reason.replace(/^connection lost: /, '');
    s.transport?.close();
    delete s.transport;
    s.why = `connection lost: ${why}`;
    s.nextAt = 0;
    this.opts.onEvent?.({ node: name, kind: 'lost', why });
  }

  private lease(node: NodeSpec, t: Transport): Transport {
    return {
      exec: async (command, options) => {
        try {
          return await t.exec(command, options);
        } catch (err) {
          const s = this.slots.get(node.name);
          if (s?.transport === t) this.lose(node.name, s, (err as Error).message);
          throw err;
        }
      },
      // Kept for the next round, unless other nodes wait for its file descriptor
      // (transport/fd-budget.ts): then it is closed now and opened again next round.
      close: () => {
        const s = this.slots.get(node.name);
        if (t.contended?.() && s?.transport === t) {
          delete s.transport;
          s.parked = true;
          t.close();
        }
      },
      isOpen: () => t.isOpen?.() ?? true,
      // The node's remote shell lives as long as the connection: every round reuses it.
      ...(t.shell ? { shell: t.shell.bind(t) } : {}),
    };
  }
}
