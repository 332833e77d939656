// What the rest of clusterctl needs from a connection to a node: run one command, close.

export interface ExecOptions {
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null; // null when the command was killed or timed out
  signal?: string;
  timedOut: boolean;
}

export interface Transport {
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): void;
  // false once the connection is gone (keepalive failed, peer closed, closed here): a kept
  // connection (verify --watch, --wait) is then opened again. Absent: assumed open.
  isOpen?(): boolean;
}
