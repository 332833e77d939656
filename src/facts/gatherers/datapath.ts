// flannel.datapath's one request a node (run/datapath.ts sends it once every node's lease is
// known): echoes to k peers across the overlay, a don't-fragment echo of FLANNEL_MTU − 28 bytes,
// and the node's own neighbour entries for its peers. The functions are facts/sh/datapath.sh;
// every address reaches the shell only as an argument quoted by util/shell.ts. Pure: builds the
// script, reads its parts (util/frames.ts).
import { DATAPATH_SH } from '../../generated/shell.js';
import { partOf } from '../../util/frames.js';
import type { Parts } from '../../util/frames.js';
import { PART_PREAMBLE } from '../../util/frame-shell.js';
import { shellQuote } from '../../util/shell.js';
import { parsePing } from '../parse/ping.js';
import type { PingOutcome } from '../parse/ping.js';

export type { PingOutcome } from '../parse/ping.js';

export interface PingTarget {
  peer: string; // node name
  addr: string; // its flannel address (the .0 of its lease)
  underlay?: string; // its underlay address, asked when the overlay does not answer
}

// What one node is asked to do.
export interface DatapathAsk {
  targets: PingTarget[];
  size?: number; // FLANNEL_MTU − 28; absent: no DF echo (the node's MTU is unknown)
  waitS: number; // how long each echo waits for its reply
  neigh?: { dev: string; peers: { peer: string; addr: string }[] }; // vxlan: the entries to read (peers pinged and pinging)
}

export interface PeerPings {
  peer: string;
  addr: string;
  small: PingOutcome;
  df?: PingOutcome & { size: number }; // absent: not tried (small failed, or no size)
  largest?: number; // the DF failed: the largest size that passed (bisection; 56 when none above)
  underlay?: PingOutcome; // small failed: the peer's underlay address
}

export interface NeighEntry {
  peer: string;
  addr: string;
  entry: string | null; // `ip neigh` line; null: none
}

export type DatapathFact = { ok: true; peers: PeerPings[]; neigh: NeighEntry[] } | { ok: false; error: string };

export const ECHO_WAIT_S = 1;

// The request: part dp (why=no-ping) when ping is missing, dp.n.J each neighbour entry,
// dp.I.s|d|b|u each echo to target I.
export function datapathScript(ask: DatapathAsk): string {
  const q = shellQuote;
  const neigh = (ask.neigh?.peers ?? []).map((p, j) => `  dp_neigh ${j} ${q(p.addr)} ${q(ask.neigh?.dev ?? '')}`);
  const size = ask.size === undefined ? "''" : q(String(ask.size));
  const peers = ask.targets.map((t, i) => `dp_peer ${i} ${q(t.addr)} ${q(t.underlay ?? '')} ${q(String(ask.waitS))} ${size} &`);
  return [PART_PREAMBLE, DATAPATH_SH, 'if dp_ready; then', ...neigh, `  l=$(${peers.join(' ')} wait)`, '  dp_print "$l"', 'fi'].join('\n');
}

const outcome = (parts: Parts, name: string): PingOutcome | undefined => {
  const p = partOf(parts, name);
  // \037 is how the node kept ping's line breaks on one line (facts/sh/datapath.sh).
  return p && parsePing(p.body.replace(/\x1f/g, '\n'), p.rc);
};

// The request's parts (or why it could not run) as the fact.
export function readDatapath(ask: DatapathAsk, parts: Parts | { error: string }): DatapathFact {
  if ('error' in parts) return { ok: false, error: parts.error };
  if (partOf(parts, 'dp')?.attrs.why === 'no-ping') return { ok: false, error: 'ping is not on the node (iputils-ping: Container Linux and Flatcar have it in /usr/bin)' };
  const peers = ask.targets.map((t, i): PeerPings => {
    const small = outcome(parts, `dp.${i}.s`) ?? { ok: false, why: 'the echo did not report (cut short?)' };
    const r: PeerPings = { peer: t.peer, addr: t.addr, small };
    const df = outcome(parts, `dp.${i}.d`);
    if (df && ask.size !== undefined) r.df = { ...df, size: ask.size };
    const b = partOf(parts, `dp.${i}.b`);
    const largest = Number(b?.attrs.size);
    if (df && !df.ok && b && Number.isInteger(largest)) r.largest = largest;
    const u = outcome(parts, `dp.${i}.u`);
    if (u) r.underlay = u;
    return r;
  });
  // ping that cannot open its socket (no CAP_NET_RAW, the SSH user outside ping_group_range) sent
  // nothing: that is no answer about the overlay.
  const refused = peers.map((p) => p.small.why ?? '').find((w) => /^ping: socket: /.test(w));
  if (refused) return { ok: false, error: `ping could not send (${refused}): it needs CAP_NET_RAW or the SSH user's group in net.ipv4.ping_group_range` };
  // An entry that could not be read (ip failed, the part is missing) is not known to be missing.
  const neigh = (ask.neigh?.peers ?? []).flatMap((p, j): NeighEntry[] => {
    const part = partOf(parts, `dp.n.${j}`);
    if (!part || part.rc !== 0) return [];
    const line = part.body.split('\n').find((l) => l.trim() !== '' && !/FAILED|INCOMPLETE/.test(l));
    return [{ ...p, entry: line ? line.trim().slice(0, 200) : null }];
  });
  return { ok: true, peers, neigh };
}
