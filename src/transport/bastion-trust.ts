import type { Client } from 'ssh2';
import type { StrictHostKeyChecking } from '../inventory/types.js';
import { SshError } from './errors.js';
import { hostKeyOf } from './handshake.js';
import { decideHostKey, knownHostsFilesOf, trustOf } from './host-key.js';
import { readKnownHosts } from './known-hosts.js';
import type { Endpoint } from './target.js';

// One bastion connection serves every node behind it, and each node brings its own
// strictHostKeyChecking for it. The connection is checked under the policy of the node that
// opened it; a node with a stricter one (yes > accept-new > no) has the key the bastion offered
// then checked again under its own before it may use it. So a bastion is always held to the
// strictest policy of the nodes that have used it, whichever came first.

const RANK: Record<StrictHostKeyChecking, number> = { no: 0, 'accept-new': 1, yes: 2 };

export const stricter = (a: StrictHostKeyChecking, b: StrictHostKeyChecking): boolean => RANK[a] > RANK[b];

// What one shared connection has been checked under so far, and the checks under way.
export class BastionTrust {
  private checks = new Map<string, Promise<void>>();
  constructor(private checkedAs: StrictHostKeyChecking) {}

  // Resolves when `ep`'s policy is met; rejects (host-key) when the bastion's key fails it.
  require(client: Client, ep: Endpoint, notice?: (message: string) => void): Promise<void> {
    if (!stricter(ep.strict, this.checkedAs)) return Promise.resolve();
    const files = knownHostsFilesOf(ep);
    const key = [ep.strict, ...files].join('\0');
    let check = this.checks.get(key);
    if (!check) {
      check = this.check(client, ep, files, notice);
      this.checks.set(key, check);
    }
    return check;
  }

  private async check(client: Client, ep: Endpoint, files: string[], notice?: (message: string) => void): Promise<void> {
    const key = hostKeyOf(client);
    if (key === undefined) throw new SshError('host-key', 'host key verification failed: the key it offered was not kept');
    // Read now, not from the run's cache: this happens once a bastion and policy.
    const outcome = await decideHostKey(trustOf(ep, await readKnownHosts(files)), key);
    if (!outcome.ok) throw new SshError('host-key', `host key verification failed: ${outcome.reason}`);
    if (outcome.added) notice?.(outcome.added);
    if (stricter(ep.strict, this.checkedAs)) this.checkedAs = ep.strict;
  }
}
