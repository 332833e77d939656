import { UserError } from '../errors.js';
import { etcdAccessFor, etcdGet } from '../etcdctl/client.js';
import { etcdSwap, swapCommand } from '../etcdctl/swap.js';
import type { KeyState } from '../etcdctl/swap.js';
import { readFlannelConfig } from '../facts/gatherers/flannel-key.js';
import type { NodeFacts } from '../facts/types.js';
import { buildConfig, validateFlannelConfig } from '../flannel/config.js';
import { keyVerdict } from '../flannel/key-verdict.js';
import { describeClash } from '../flannel/overlap.js';
import { keyWriters } from '../flannel/dropin.js';
import { clashesAcross, planWrites } from '../flannel/plan.js';
import { clusterReaders } from '../flannel/readers.js';
import { keyspaceState, writeFailure } from '../flannel/write.js';
import type { Written } from '../flannel/write.js';
import { readFlanneldUnit } from '../facts/parse/flanneld-unit.js';
import { loadInventory } from '../inventory/load.js';
import { etcdNodes, nodeNamed } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Io } from '../io.js';
import { makeConnect } from '../run/connect.js';
import type { Connect, SshFlags } from '../run/connect.js';
import { mapLimit } from '../run/each-node.js';
import { gatherNode } from '../run/gather-node.js';
import { withNode } from '../run/with-node.js';
import type { Transport } from '../transport/types.js';
import { jsonSafe, sanitize } from '../report/sanitize.js';
import { noticeTo } from '../report/notice.js';

export interface FlannelOptions {
  inventory: string;
  node?: string; // the etcd node to read and write through
  json?: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  nodeTimeoutMs?: number; // --node-timeout: each node's probe
  ssh?: SshFlags;
}

export interface FlannelSetOptions extends FlannelOptions {
  network: string;
  subnetLen?: number;
  backend?: string;
  dryRun: boolean;
}

// The node whose etcdctl reads and writes the key: --node, else the first etcd node.
function throughNode(inv: Inventory, name?: string): NodeSpec {
  if (name !== undefined) return nodeNamed(inv, name);
  const node = etcdNodes(inv)[0];
  if (node) return node;
  throw new UserError(`no node in ${inv.path} has role etcd to reach etcd through: give one "roles: [etcd, …]" or name a node with --node NAME`);
}

// One line of flannel get/set's output. Lines quote etcd values, etcdctl's errors and node names:
// escaped as a whole (clusterctl's own words have nothing to escape).
const sayer = (io: Io) => (line: string) => io.stdout.write(`${sanitize(line)}\n`);

// flannel get/set talk to one node the operator chose: not reaching it ends the command.
async function through<T>(connect: Connect, node: NodeSpec, fn: (t: Transport) => Promise<T>): Promise<T> {
  const r = await withNode(connect, node, fn);
  if (r.ok) return r.value;
  throw new UserError(`cannot connect to ${node.name} (${node.host}): ${r.error.message}`, { cause: r.error });
}

// `clusterctl flannel get`: the config, where it was found, and whether it is valid. The value
// that counts is the one in the keyspaces the cluster's flannels read, decided from every node's
// probe exactly as the flannel.config check decides it (flannel/readers.ts, flannel/key-verdict.ts).
export async function flannelGetCommand(opts: FlannelOptions, io: Io, connect: Connect = makeConnect(opts, io, noticeTo(io))): Promise<number> {
  const inv = await loadInventory(opts.inventory);
  const node = throughNode(inv, opts.node);
  const all = await gatherAll(inv, connect, opts.commandTimeoutMs, opts.nodeTimeoutMs);
  const facts = new Map(all.ok.map(({ node: n, facts: f }) => [n.name, f]));
  const cluster = clusterReaders(inv, facts);
  const s = inv.cluster.flannel;
  // No node gathered: what verify assumes without evidence (flannel/keyspace.ts), or etcdApi.
  const readers = cluster.readers.length ? cluster.readers : [{ api: s.etcdApi === 'v3' ? ('v3' as const) : ('v2' as const), readers: `no node's flannel could be probed (${s.etcdApi === 'auto' ? 'v2 assumed' : `cluster.flannel.etcdApi is ${s.etcdApi}`})` }];
  const fact = await through(connect, node, (t) => readFlannelConfig(t, node, inv, opts.commandTimeoutMs));
  const r = keyVerdict(fact, readers);
  const v = r.kind === 'found' ? validateFlannelConfig(r.value, { ...(s.network ? { network: s.network } : {}), ...(s.subnetLen ? { subnetLen: s.subnetLen } : {}) }) : undefined;
  const problems = v && !v.ok ? v.problems : [];
  const unprobed = all.failed.map((f) => `warning: not probed, so its flannel is not counted: ${f}`);
  const warnings = [...(r.kind === 'found' ? r.warnings : []), ...cluster.warnings, ...unprobed, ...(v?.ok ? v.warnings : [])];
  const say = sayer(io);
  if (opts.json) {
    const out = { node: node.name, key: fact.key, found: r.kind === 'found', api: r.kind === 'found' ? r.api : null, value: r.kind === 'found' ? r.value : null, where: r.kind === 'found' ? r.where : r.message, valid: v?.ok ?? false, problems, warnings };
    io.stdout.write(`${jsonSafe(JSON.stringify(out, null, 2))}\n`);
  } else if (r.kind !== 'found') {
    say(`${r.message} (asked through ${node.name})`);
    for (const w of warnings) say(w);
  } else {
    say(`${r.where}, read through ${node.name}:`);
    // The value as etcd holds it, line by line (a config may be pretty-printed JSON).
    io.stdout.write(`${sanitize(r.value, { keepNewlines: true })}\n`);
    for (const p of problems) say(`problem: ${p}`);
    for (const w of warnings) say(w.startsWith('warning:') ? w : `warning: ${w}`);
  }
  return r.kind === 'found' && v?.ok ? 0 : 1;
}

// Facts of every node, or the names of the nodes that could not be gathered. verify's phase 1
// with the probe alone (what the overlap rule reads): no etcd round trips per node.
async function gatherAll(inv: Inventory, connect: Connect, timeoutMs: number, nodeTimeoutMs: number | undefined) {
  const deps = { connect, commandTimeoutMs: timeoutMs, nodeTimeoutMs, collectors: [] };
  const gathered = await mapLimit(inv.nodes, 32, (node) => gatherNode(node, inv, deps));
  const ok: { node: NodeSpec; facts: NodeFacts }[] = [];
  const failed: string[] = [];
  for (const { node, ssh, gathered: g } of gathered) {
    if (g?.ok) ok.push({ node, facts: g.facts });
    else failed.push(`${node.name}: ${g ? g.reason : `cannot connect to ${node.name} (${node.host}): ${ssh.actual}`}`);
  }
  return { ok, failed };
}

// `clusterctl flannel set`: the setup guide's `etcdctl set …/config` done safely. Exit 0 written (or
// would be, with --dry-run), 1 refused or failed; nothing is written unless every check passed.
export async function flannelSetCommand(opts: FlannelSetOptions, io: Io, connect: Connect = makeConnect(opts, io, noticeTo(io))): Promise<number> {
  const inv = await loadInventory(opts.inventory);
  const s = inv.cluster.flannel;
  const value = buildConfig(opts.network, opts.subnetLen, opts.backend);
  const v = validateFlannelConfig(value);
  if (!v.ok) throw new UserError(`flannel set: ${v.problems.join('; ')}`);
  const say = sayer(io);
  const node = throughNode(inv, opts.node);

  const all = await gatherAll(inv, connect, opts.commandTimeoutMs, opts.nodeTimeoutMs);
  if (all.failed.length) {
    say(`refused: could not gather facts from every node, so an overlap cannot be ruled out; nothing was written:`);
    for (const f of all.failed) say(`  ${f}`);
    return 1;
  }
  const found = clashesAcross(v.config.network, all.ok, v.config.subnetLen, v.config.backendType);
  if (found.length) {
    say(`refused: Network ${v.config.network} overlaps ${found.length} host range${found.length > 1 ? 's' : ''}; nothing was written:`);
    for (const c of found) say(`  ${c.node}: ${describeClash(c.clash)}`);
    return 1;
  }
  say(`Network ${v.config.network} overlaps no host range of the ${all.ok.length} nodes`);
  // Which keyspaces the cluster's flannels read, from each node's probe (flannel/keyspace.ts).
  const { readers, warnings } = clusterReaders(inv, new Map(all.ok.map(({ node: n, facts }) => [n.name, facts])));
  // A drop-in that writes the key at every start of flanneld undoes this write at the next restart.
  const dropins = all.ok.flatMap(({ node: n, facts }) =>
    'ok' in facts.flannelUnit ? keyWriters(readFlanneldUnit(facts.flannelUnit.ok), s.configKey).map((w) => ({ node: n.name, w })) : [],
  );

  return through(connect, node, async (t) => {
    const old = await readFlannelConfig(t, node, inv, opts.commandTimeoutMs);
    const plan = planWrites(readers, old);
    if (!plan.ok) {
      say(`refused: ${plan.refused}; nothing was written`);
      return 1;
    }
    for (const why of plan.why) say(`keyspace ${why}`);
    for (const w of warnings) say(w);
    for (const api of plan.apis) {
      const was = old[api];
      say(`${old.key} (${api}) through ${node.name}: ${was?.ok && was.found ? was.value : '(not set)'} → ${value}`);
    }
    if (s.network !== undefined && s.network !== v.config.network) say(`warning: the inventory says cluster.flannel.network ${s.network}; update it, or verify fails flannel.config`);
    for (const { node: n, w } of dropins) {
      say(`warning: ${n}'s drop-in ${w.file} writes ${w.value} to ${s.configKey} at every start of flanneld: the next restart of flanneld on ${n} overwrites this value; change the drop-in to the new value or remove it`);
    }
    const apis = plan.apis;
    if (opts.dryRun) {
      say('dry run: nothing was written');
      return 0;
    }
    const access = etcdAccessFor(node, inv);
    // Each keyspace is written only if it still holds what was read and shown above (a swap), so
    // a concurrent change is never overwritten; v2 first, then v3.
    const written: Written[] = [];
    for (const api of apis) {
      const was = old[api];
      const from: KeyState = was?.ok && was.found ? { found: true, value: was.value } : { found: false };
      const w = await etcdSwap(t, access, api, old.key, from, value, opts.commandTimeoutMs);
      if (!w.ok) {
        for (const line of writeFailure(old.key, value, api, from, w, written)) say(line);
        return 1;
      }
      written.push({ api, undo: swapCommand(access, api, old.key, { found: true, value }, from, opts.commandTimeoutMs) });
      const back = await etcdGet(t, access, api, old.key, opts.commandTimeoutMs);
      if (!back.ok || !back.found || back.value !== value) {
        const now = back.ok ? (back.found ? back.value : '(not set)') : back.error;
        say(`read back (${api}) does not match: ${now}`);
        // Written, then changed by someone else: the keyspaces written before it are this run's.
        if (written.length > 1) for (const line of keyspaceState(value, written.slice(0, -1), `${api} holds ${now}`)) say(line);
        return 1;
      }
      say(`written and read back (${api})`);
    }
    return 0;
  });
}
