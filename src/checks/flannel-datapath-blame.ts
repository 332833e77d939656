// flannel.datapath's cluster phase: every node's echoes (run/datapath.ts) put together, and the
// blame put where the evidence points. A failed echo from A to B says only that the path between
// them is cut somewhere; what the other pairs say decides where:
//   - a node with no neighbour entry for a peer (vxlan) is at fault for the pair;
//   - a node no peer reaches, while some of those peers reach others, is cut (inbound);
//   - a node that reaches no peer, while others reach those peers, is cut (outbound);
//   - the same two rules on the don't-fragment echoes of the pairs whose small echo passed: MTU;
//   - no echo anywhere while the underlay answers: ICMP may be forbidden on the overlay.
// A healthy node's echoes to a node at fault do not fail it; its message names that peer. A
// failure no rule explains fails the node that saw it, naming both ends. Pure.
import type { DatapathFact, PeerPings } from '../facts/gatherers/datapath.js';
import { BACKEND_PATH } from './flannel-datapath-plan.js';
import type { DatapathPlan, Member } from './flannel-datapath-plan.js';

export interface DatapathRun {
  plan: DatapathPlan;
  results: ReadonlyMap<string, DatapathFact>; // node → its echoes; absent: its request was not sent
}

export interface Verdict {
  status: 'pass' | 'fail' | 'skip' | 'error'; // a CheckStatus (types.ts imports the view, which imports this)
  expected: string | null;
  actual: string | null;
  message: string;
}

interface Edge {
  from: string;
  to: string;
  p: PeerPings;
}

const joinAnd = (xs: readonly string[]): string => (xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

export function blameDatapath(run: DatapathRun): Map<string, Verdict> {
  const { plan, results } = run;
  const out = new Map<string, Verdict>();
  for (const [node, why] of plan.left) out.set(node, { status: 'skip', expected: null, actual: null, message: `not tested: ${why}` });
  const backend = plan.backend ?? 'vxlan';
  const port = BACKEND_PATH[backend]?.port ?? 8472;
  const via = `over flannel (${backend}, UDP ${port})`;
  const members = new Map(plan.members.map((m) => [m.node, m]));
  const order = new Map(plan.members.map((m, i) => [m.node, i]));
  // Names once each, in inventory order.
  const uniq = (xs: readonly string[]): string[] => [...new Set(xs)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const under = (n: string) => members.get(n)?.underlay ?? 'its underlay address';
  const named = (n: string) => `${n} (${under(n)})`;
  const overlay = (n: string) => `${n} (${members.get(n)?.addr ?? '?'})`;

  const edges: Edge[] = [];
  const missing = new Map<string, Set<string>>(); // node → peers it has no neighbour entry for
  for (const [node, fact] of results) {
    if (!fact.ok) continue;
    for (const p of fact.peers) edges.push({ from: node, to: p.peer, p });
    missing.set(node, new Set(fact.neigh.filter((e) => e.entry === null).map((e) => e.peer)));
  }
  const neighFault = (e: Edge): string | undefined => (missing.get(e.from)?.has(e.to) ? e.from : missing.get(e.to)?.has(e.from) ? e.to : undefined);

  // The two cut rules over one kind of echo (`ok` of an edge, for the edges it applies to).
  const cutNodes = (pool: readonly Edge[], ok: (e: Edge) => boolean) => {
    const inb = new Map<string, Edge[]>();
    const outb = new Map<string, Edge[]>();
    for (const e of pool) {
      inb.set(e.to, [...(inb.get(e.to) ?? []), e]);
      outb.set(e.from, [...(outb.get(e.from) ?? []), e]);
    }
    const reachesOther = (p: string, x: string) => (outb.get(p) ?? []).some((e) => e.to !== x && ok(e));
    const reachedByOther = (q: string, x: string) => (inb.get(q) ?? []).some((e) => e.from !== x && ok(e));
    const cutIn = new Map<string, Edge[]>();
    const cutOut = new Map<string, Edge[]>();
    for (const [x, es] of inb) if (es.every((e) => !ok(e)) && es.some((e) => reachesOther(e.from, x))) cutIn.set(x, es);
    for (const [x, es] of outb) if (es.every((e) => !ok(e)) && es.some((e) => reachedByOther(e.to, x))) cutOut.set(x, es);
    return { cutIn, cutOut };
  };

  const smallPool = edges.filter((e) => !(neighFault(e) && !e.p.small.ok));
  const small = cutNodes(smallPool, (e) => e.p.small.ok);
  const dfPool = edges.filter((e) => e.p.small.ok && e.p.df);
  const df = cutNodes(dfPool, (e) => e.p.df?.ok === true);
  const cut = (n: string) => small.cutIn.has(n) || small.cutOut.has(n);
  const mtuCut = (n: string) => df.cutIn.has(n) || df.cutOut.has(n);
  const noneCrossed = edges.length > 0 && edges.every((e) => !e.p.small.ok);
  const underlayAnswers = edges.some((e) => e.p.underlay?.ok);

  const largestAround = (n: string): number | undefined => {
    const sizes = dfPool.filter((e) => (e.from === n || e.to === n) && e.p.largest !== undefined).map((e) => e.p.largest as number);
    return sizes.length ? Math.max(...sizes) : undefined;
  };
  const mtuFix = (n: string, size: number) => {
    const overhead = backend === 'udp' ? 28 : 50;
    const mtu = size + 28;
    return `check the underlay MTU on ${named(n)} and on the path to its peers: ${backend} adds ${overhead} bytes (UDP ${port}), so FLANNEL_MTU ${mtu} needs an underlay MTU of ${mtu + overhead}`;
  };

  for (const m of plan.members) {
    const n = m.node;
    const fact = results.get(n);
    const ask = plan.asks.get(n);
    const size = ask?.size;
    const expected = `echoes ${via} to ${ask ? joinAnd(ask.targets.map((t) => t.peer)) : 'its peers'}${size ? `, and ${size} bytes with don't-fragment (FLANNEL_MTU − 28)` : ''}`;
    if (!fact) {
      if (!out.has(n)) out.set(n, { status: 'skip', expected, actual: null, message: `not tested: ${n}'s request was not sent` });
      continue;
    }
    if (!fact.ok) {
      out.set(n, { status: 'error', expected, actual: null, message: `Could not check: ${fact.error}` });
      continue;
    }
    const mine = edges.filter((e) => e.from === n);
    const actual = `${mine.filter((e) => e.p.small.ok).length}/${mine.length} peers answer${size ? `, ${mine.filter((e) => e.p.df?.ok).length}/${mine.length} at ${size} bytes DF` : ''}`;
    const fails: string[] = [];
    const notes: string[] = [];

    if (noneCrossed) {
      const pairs = uniq(mine.map((e) => e.to)).map((to) => `${named(n)} ↔ ${named(to)}`);
      const why = underlayAnswers
        ? `no echo crossed the overlay between any two nodes ${via}, while the peers' underlay addresses answer ping: either every node drops UDP ${port}, or the firewall forbids ICMP on the overlay. Check UDP ${port} between the underlay addresses (${joinAnd(pairs)}); if ICMP is forbidden there, run with --skip flannel.datapath`
        : `no echo crossed the overlay between any two nodes ${via}, and the underlay addresses do not answer ping either (${joinAnd(pairs)}): check that the nodes reach each other's underlay addresses and pass UDP ${port}; if ICMP is forbidden, run with --skip flannel.datapath`;
      out.set(n, { status: 'fail', expected, actual, message: why });
      continue;
    }

    // Own faults first.
    const lacks = [...(missing.get(n) ?? [])].filter((peer) => edges.some((e) => !e.p.small.ok && ((e.from === n && e.to === peer) || (e.from === peer && e.to === n))));
    for (const peer of lacks) {
      fails.push(
        `${n} has no neighbour entry for ${peer}'s flannel address ${members.get(peer)?.addr ?? '?'} on flannel.1, so echoes between ${overlay(n)} and ${overlay(peer)} ${via} get no answer: flanneld writes a permanent entry for each peer (its VTEP MAC); restart flanneld on ${n} to write them again`,
      );
    }
    const ins = small.cutIn.get(n);
    if (ins) {
      const from = uniq(ins.map((e) => e.from));
      fails.push(`no peer reaches ${overlay(n)} ${via}: echoes from ${joinAnd(from.map(overlay))} get no answer, while they reach other peers; check that ${named(n)} accepts UDP ${port} from ${joinAnd(from.map(named))} (a firewall rule or security group dropping it cuts ${n} off the overlay)`);
    }
    const outs = small.cutOut.get(n);
    if (outs) {
      const to = uniq(outs.map((e) => e.to));
      fails.push(`${n} reaches none of its peers ${via}: echoes from ${overlay(n)} to ${joinAnd(to.map(overlay))} get no answer, while other nodes reach them; check the firewall on ${named(n)} for UDP ${port} to and from ${joinAnd(to.map(named))}, and ${n}'s flannel routes to their leases`);
    }
    if (!cut(n)) {
      for (const e of mine.filter((e) => !e.p.small.ok)) {
        const at = neighFault(e);
        if (at === n) continue;
        if (at) notes.push(`no answer from ${e.to}: ${at} lacks its neighbour entry (${at}'s flannel.datapath fails)`);
        else if (cut(e.to)) notes.push(`no answer from ${e.to}, which is cut off the overlay (${e.to}'s flannel.datapath fails)`);
        else fails.push(`${n} gets no answer from ${e.to} ${via} (${members.get(n)?.addr ?? '?'} → ${members.get(e.to)?.addr ?? '?'}), while both reach other peers: check the firewall between ${named(n)} and ${named(e.to)} for UDP ${port} both ways, and the flannel routes and neighbour entries each holds for the other`);
      }
    }

    // MTU: the don't-fragment echoes of the pairs whose small echo passed.
    if (size !== undefined && mtuCut(n)) {
      const es = [...(df.cutIn.get(n) ?? []), ...(df.cutOut.get(n) ?? [])];
      const peers = uniq(es.map((e) => (e.from === n ? e.to : e.from)));
      const largest = largestAround(n);
      fails.push(
        `MTU: echoes of ${size} bytes with don't-fragment (FLANNEL_MTU − 28) between ${overlay(n)} and its peers ${joinAnd(peers.map(overlay))} get no answer ${via}, while 56-byte echoes pass${largest === undefined ? '' : `; the largest that passed is ${largest} bytes`}: ${mtuFix(n, size)}`,
      );
    } else if (size !== undefined) {
      for (const e of mine.filter((e) => e.p.df && !e.p.df.ok)) {
        if (mtuCut(e.to)) notes.push(`${size}-byte DF echoes to ${e.to} get no answer: ${e.to}'s underlay MTU (${e.to}'s flannel.datapath fails)`);
        else {
          const why = e.p.df?.why ? ` (${e.p.df.why})` : '';
          fails.push(`MTU: echoes of ${size} bytes with don't-fragment from ${overlay(n)} to ${overlay(e.to)} get no answer ${via}${why}, while 56-byte echoes pass${e.p.largest === undefined ? '' : `; the largest that passed is ${e.p.largest} bytes`}: check the underlay MTU on ${named(n)}, ${named(e.to)} and the path between them: ${backend} adds ${backend === 'udp' ? 28 : 50} bytes, so FLANNEL_MTU ${size + 28} needs an underlay MTU of ${size + 28 + (backend === 'udp' ? 28 : 50)}`);
        }
      }
    }

    if (fails.length) {
      out.set(n, { status: 'fail', expected, actual, message: [...fails, ...notes].join('; ') });
      continue;
    }
    const ok = mine.filter((e) => e.p.small.ok).map((e) => overlay(e.to));
    const dfOk = mine.filter((e) => e.p.df?.ok).map((e) => e.to);
    const dfWhat = dfOk.length === ok.length ? `${size} bytes with don't-fragment too` : dfOk.length ? `${size} bytes with don't-fragment to ${joinAnd(dfOk)}` : 'no DF echo passed';
    const what = `${n} reaches ${joinAnd(ok) || 'no peer'} ${via}${size ? `, ${dfWhat}` : ' (FLANNEL_MTU unknown: no DF echo)'}`;
    out.set(n, { status: 'pass', expected, actual, message: [what, ...notes].join('; ') });
  }
  return out;
}
