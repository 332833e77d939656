import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';
import { nodeNamed } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { localTransport } from '../transport/local.js';
import { connectSsh, SshRunState } from '../transport/ssh.js';
import { DescriptorBudget, describeBudget, withDescriptorBudget } from '../transport/fd-budget.js';
import type { Io } from '../io.js';
import type { Transport } from '../transport/types.js';

// What connectSsh takes from the command line: --ssh-config / --no-ssh-config, --retries, and
// whether --connect-timeout was given (it then beats ssh config's ConnectTimeout).
export interface SshFlags {
  sshConfig?: string | false; // a file; false: --no-ssh-config; undefined: ~/.ssh/config
  retries: number;
  connectTimeoutExplicit: boolean;
}

// How the engine reaches one node; tests pass a fake.
export type Connect = (node: NodeSpec) => Promise<Transport>;

export interface ConnectOptions {
  connectTimeoutMs: number;
  local?: boolean;
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

// How verify and facts reach a node: ssh2, or with --local this machine's own shell. A caller
// that must outlive Ctrl-C on an open connection (smoke-etcd's cleanup) passes its own signal.
// Notices (a host key learned, an ssh config warning) go to `notice`, which escapes them for
// the terminal (report/notice.ts).
export function makeConnect(opts: ConnectOptions, io: Io, notice: (message: string) => void): (node: NodeSpec, signal?: AbortSignal) => ReturnType<Connect> {
  if (opts.local) return async () => localTransport(io.signal);
  // Every open connection listens for Ctrl-C on the one run signal; past 10 nodes Node would
  // print a MaxListenersExceededWarning on stderr for what is by design.
  setMaxListeners(0, io.signal);
  const runState = new SshRunState();
  let warned = false;
  // Connections wait for a file descriptor rather than fail with EMFILE (a local limit is never a
  // node's failure); said once when nodes start to queue.
  const budget = DescriptorBudget.forThisProcess();
  const ssh = (node: NodeSpec, signal: AbortSignal = io.signal) =>
    connectSsh(node, {
      connectTimeoutMs: opts.connectTimeoutMs,
      signal,
      runState,
      ...opts.ssh,
      onNotice: notice,
      onInsecure: () => {
        if (!warned) io.stderr.write(`warning: strictHostKeyChecking is "no": host keys are not checked, a man-in-the-middle would go unnoticed\n`);
        warned = true;
      },
    });
  return withDescriptorBudget(ssh, budget, (b) => notice(`note: ${describeBudget(b)}`));
}

// --local checks exactly one node: the one named by --node, else the one whose expected
// hostname (or name) is this machine's hostname.
export function pickLocalNode(inventory: Inventory, nodeName: string | undefined, machine: string = hostname()): NodeSpec {
  if (nodeName !== undefined) return nodeNamed(inventory, nodeName);
  const matches = inventory.nodes.filter((n) => n.hostname === machine || n.name === machine);
  if (matches.length === 1) return matches[0] as NodeSpec;
  const why = matches.length === 0 ? 'matches no node' : `matches ${matches.length} nodes (${matches.map((n) => n.name).join(', ')})`;
  throw new UserError(`--local: this machine's hostname '${machine}' ${why} in ${inventory.path}; name the node with --node NAME`);
}
