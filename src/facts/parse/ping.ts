// What one `ping -n -c 1` said (iputils-ping, as on Container Linux, Flatcar and Debian; captured
// in test/fixtures/ping/), read from its own words: a reply line or the statistics' received
// count means an answer; otherwise the first error line says why ("ping: local error: message too
// long, mtu=1450", "From … Frag needed and DF set (mtu = 1350)", "100% packet loss"). Pure.

export interface PingOutcome {
  ok: boolean; // an echo reply came back
  why?: string; // when not: ping's own words, bounded
  mtu?: number; // a path MTU ping was told (local error or Frag needed)
}

const REPLY = /^\d+ bytes from \S+: icmp_seq=\d+/m;
const STATS = /^(\d+) packets transmitted, (\d+) (?:packets )?received/m;
const ERROR = /^(?:ping: .*|From \S+ icmp_seq=\d+ .*)$/m;
const MTU = /mtu ?=? ?(\d{2,5})/;

// rc is ping's exit status: 0 a reply, 1 none, 2 an error (iputils).
export function parsePing(text: string, rc: number): PingOutcome {
  const stats = STATS.exec(text);
  const received = stats ? Number(stats[2]) : REPLY.test(text) ? 1 : 0;
  if (rc === 0 && received > 0) return { ok: true };
  const error = ERROR.exec(text)?.[0];
  const mtu = error ? MTU.exec(error)?.[1] : undefined;
  const why = error ?? (stats ? `${stats[1]} sent, ${stats[2]} received` : rc === 127 ? 'ping: not found' : `ping exited ${rc}${text.trim() ? `: ${text.trim().split('\n')[0]}` : ''}`);
  return { ok: false, why: why.slice(0, 200), ...(mtu ? { mtu: Number(mtu) } : {}) };
}
