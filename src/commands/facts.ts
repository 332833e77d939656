import type { NodeFacts } from '../facts/types.js';
import { loadSource } from './source.js';
import type { SourceOptions } from './source.js';
import { selectNodes } from '../inventory/select.js';
import type { Io } from '../io.js';
import { makeConnect, pickLocalNode } from '../run/connect.js';
import type { SshFlags } from '../run/connect.js';
import { mapLimit } from '../run/each-node.js';
import { gatherNode } from '../run/gather-node.js';
import { jsonSafe } from '../report/sanitize.js';
import { noticeTo } from '../report/notice.js';
import { shortHash } from '../util/redact.js';

export interface FactsOptions extends SourceOptions {
  select?: string[]; // --node: names or roles; all nodes when absent (with --local: the first names this machine)
  local: boolean;
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number; // --node-timeout
  ssh?: SshFlags; // --ssh-config, --no-ssh-config, --retries
}

// One node's entry: the facts, or why there are none (the same words verify would use).
export interface NodeFactsOutput {
  name: string;
  host: string;
  reachable: boolean;
  error: string | null;
  facts: NodeFacts | null;
}

// `clusterctl facts`: what the probe (and every gatherer) found, as JSON on stdout — for
// debugging a check and for writing an inventory's expectations. Exit 1 when a node had none.
export async function factsCommand(opts: FactsOptions, io: Io): Promise<number> {
  const inventory = await loadSource(opts, io);
  const nodes = opts.local ? [pickLocalNode(inventory, opts.select?.[0])] : selectNodes(inventory, opts.select);
  const deps = { connect: makeConnect(opts, io, noticeTo(io)), commandTimeoutMs: opts.commandTimeoutMs, nodeTimeoutMs: opts.nodeTimeoutMs, local: opts.local };
  const gathered = await mapLimit(nodes, opts.concurrency, (node) => gatherNode(node, inventory, deps));
  const out: NodeFactsOutput[] = gathered.map((g) => ({
    name: g.node.name,
    host: g.node.host,
    reachable: g.gathered !== null,
    error: g.gathered === null ? g.ssh.message : g.gathered.ok ? null : g.gathered.reason,
    facts: g.gathered?.ok ? shortenSecretHashes(g.gathered.facts) : null,
  }));
  io.stdout.write(`${jsonSafe(JSON.stringify({ nodes: out }, null, 2))}\n`);
  return out.every((n) => n.facts !== null) ? 0 : 1;
}

// The sha256 of a file others may not read would let anyone who sees the output test guesses at
// a short secret (a password file): shortened as verify prints hashes. The rest of the facts come
// redacted from gatherNode.
export function shortenSecretHashes(facts: NodeFacts): NodeFacts {
  if (!('ok' in facts.provisioned)) return facts;
  const files = facts.provisioned.ok.files.map((f) => (f.state === 'present' && f.sha256 !== undefined && (f.mode & 0o004) === 0 ? { ...f, sha256: shortHash(f.sha256) } : f));
  return { ...facts, provisioned: { ok: { ...facts.provisioned.ok, files } } };
}
