import type { Io } from '../io.js';
import { sanitize } from './sanitize.js';

// A notice from the transport on stderr (a host key learned by accept-new, an ssh config
// warning): it quotes inventory and ssh config text, so it is escaped like any report line.
export const noticeTo =
  (io: Io) =>
  (message: string): void =>
    void io.stderr.write(`${sanitize(message)}\n`);

// What main.ts prints for a user error (exit 2). The message may quote the inventory or a node
// (an etcdctl error, an ssh error): escaped, keeping the line breaks of a multi-line message
// (InventoryError lists one problem a line).
export const userErrorText = (err: Error): string => `clusterctl: ${sanitize(err.message, { keepNewlines: true })}\n`;
