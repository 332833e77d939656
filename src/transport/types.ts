// What the rest of clusterctl needs from a connection to a node: run one command, close.

// A node cannot exhaust our memory: each command keeps at most this much of stdout+stderr.
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface ExecOptions {
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null; // null when the command was killed or timed out
  signal?: string;
  timedOut: boolean;
  stalled?: Stall; // timed out: the step the node never finished
}

// The steps of one request, each of which a node can leave unanswered: the session channel is
// never confirmed, the exec request never answered, or the reply never ends.
export type Stall = 'channel' | 'exec' | 'reply';

export const STALL_WHAT: Record<Stall, string> = {
  channel: 'the node never confirmed the session channel',
  exec: 'the node never answered the exec request',
  reply: 'no end of reply',
};

export const stallText = (step: Stall, timeoutMs: number): string => `timed out after ${timeoutMs / 1000}s at ${step}: ${STALL_WHAT[step]}`;

// What a timed-out request says of itself, in its stderr.
export const stallNote = (step: Stall, timeoutMs: number): string => `[clusterctl: ${stallText(step, timeoutMs)}]`;

export interface Transport {
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): void;
  // false once the connection is gone (keepalive failed, peer closed, closed here): a kept
  // connection (verify --watch, --wait) is then opened again. Absent: assumed open.
  isOpen?(): boolean;
  // `command` kept running, taking requests on stdin (transport/remote-shell.ts): asked again with the
  // same command while it runs, the same shell. Absent: the caller runs each script with exec.
  shell?(command: string): RemoteShell;
  // true while other connections wait for this one's file descriptor (transport/fd-budget.ts): a
  // kept connection (verify --watch) is then closed after its round and opened again next time.
  contended?(): boolean;
}

// A command kept running on the node that takes requests on stdin (transport/remote-shell.ts).
export interface RemoteShell {
  // Send `request(nonce)` and read its reply; never rejects: a reply that did not come is code
  // null, with why in stderr (timedOut for the timeout).
  request(request: (nonce: string) => string, options?: ExecOptions): Promise<ExecResult>;
  isOpen(): boolean;
  close(): void;
}
