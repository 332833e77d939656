import type { Io } from '../io.js';
import { sanitize } from './sanitize.js';

// A notice on stderr (a host key learned by accept-new, an ssh config warning, a kubeconfig
// without TLS): it quotes inventory, ssh config and kubeconfig text, so it is escaped like any
// report line. Each message is said once a run (one noticeTo a run), however often --wait or
// --watch comes across it again.
export function noticeTo(io: Io): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    io.stderr.write(`${sanitize(message)}\n`);
  };
}

// What main.ts prints for a user error (exit 2). The message may quote the inventory or a node
// (an etcdctl error, an ssh error): escaped, keeping the line breaks of a multi-line message
// (InventoryError lists one problem a line).
export const userErrorText = (err: Error): string => `clusterctl: ${sanitize(err.message, { keepNewlines: true })}\n`;
