// A TCP connect from a node to each etcd endpoint its flanneld uses, with only what a Flatcar
// node has: bash's /dev/tcp under coreutils' `timeout` (no nc, no curl needed). Hosts and ports
// are data: they reach the remote shell only shell-quoted, as arguments of a constant bash -c
// script, and come back identified by index, never echoed: part `reach.N` a target, its status
// and bash's words (util/frames.ts); part `reach` with why= when the test cannot run. Pure: builds
// the script, reads its parts.
import { partOf } from '../../util/frames.js';
import type { Parts } from '../../util/frames.js';
import { shellQuote } from '../../util/shell.js';

export interface ReachTarget {
  endpoint: string; // the URL as configured
  host: string;
  port: number;
}

export interface ReachResult extends ReachTarget {
  ok: boolean;
  errno?: string; // ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, … (errno-like, from bash's message)
  reason?: string; // bash's own words, bounded
}

export const CONNECT_TIMEOUT_S = 2;

// Endpoint URLs → targets; what cannot be a TCP target is said why (unix sockets, bad URLs).
export function reachTargets(endpoints: readonly string[]): { targets: ReachTarget[]; invalid: { endpoint: string; why: string }[] } {
  const targets: ReachTarget[] = [];
  const invalid: { endpoint: string; why: string }[] = [];
  for (const endpoint of endpoints) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      invalid.push({ endpoint, why: 'not a URL' });
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      invalid.push({ endpoint, why: `${url.protocol.replace(/:$/, '')}:// is not a TCP endpoint` });
      continue;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (!/^[A-Za-z0-9._:-]+$/.test(host) || host.startsWith('-')) invalid.push({ endpoint, why: `host '${host}' is not an address or DNS name` });
    else targets.push({ endpoint, host, port });
  }
  return { targets, invalid };
}

// bash 5's path: `cs HOST PORT I` starts connect I in a process substitution (one fork, no exec);
// `cw I` reads its words until it ends or the deadline `e` passes (then it is killed: rc 124),
// and prints them as `timeout … bash -c` would have ("bash: connect: …"). bash puts the shell's
// name ($0: clusterctl-probe in the probe's session) or "environment" (a function from eval)
// before its messages.
const fast = (timeoutS: number): string =>
  [
  // `true`, a regular builtin: a failed redirection fails it, where on `exec` (a special builtin)
  // bash in POSIX mode (bash as sh) exits the subshell, and 5.2 can crash doing so.
  'cs(){ exec {f}< <(true 2>&1 3<>"/dev/tcp/$1/$2"; echo "@rc=$?"); fs[$3]=$f ps[$3]=$!; }',
  'cw(){',
  '  local o s r l=$(( e - ${EPOCHREALTIME/./} )) us',
  '  [ $l -gt 0 ] || l=1',
  '  us=00000$((l % 1000000)); us=${us: -6}',
  '  if IFS= read -r -d "" -t "$((l / 1000000)).$us" -u "${fs[$1]}" o; then s=0; else s=$?; fi',
  '  if [ $s -gt 128 ]; then kill "${ps[$1]}" 2>/dev/null; r=124 o=; else r=${o##*@rc=} o=${o%@rc=*}; r=${r%%[!0-9]*}; fi',
  '  eval "exec ${fs[$1]}<&-"',
  `  o=\${o//"$0: "/bash: }; o=\${o//"environment: "/bash: }; o=\${o%$'\\n'}; o=\${o//$'\\n'/ }; part "reach.$1" "$r" "" "\${o:0:300}"`,
  '}',
  `e=$(( \${EPOCHREALTIME/./} + ${timeoutS}000000 ))`,
].join('\n');

// Every connect runs at once, each bounded by the one deadline (bash 5) or by `timeout`: the whole
// script takes one timeout. It never exits, so it can sit anywhere in a larger script (the node's
// batch). Each process costs a node ~6 ms of CPU, so a target gets only what it needs: one fork
// that execs `timeout` (`$(exec …)`), whose child execs the bash that connects (the only thing on
// a node that can). bash flattens the text itself; sh (dash) needs tr and head for it. A single
// target runs in the foreground and prints its part; several run in the background inside one
// command substitution, each printing one short line (one write: lines cannot interleave), and
// the parts are printed from those lines once all are done: no background job writes to the reply.
export function reachScript(targets: readonly ReachTarget[], timeoutS = CONNECT_TIMEOUT_S): string {
  const connect = `o=$(exec timeout ${timeoutS} bash -c ${shellQuote('exec 3<>"/dev/tcp/$1/$2"')} bash "$1" "$2" 2>&1); r=$?`;
  const one = targets.length === 1;
  const print = one ? `part "reach.$3" "$r" ""` : `printf '%s %s %s\\n' "$3" "$r"`;
  const call = (t: ReachTarget, i: number) => `c ${shellQuote(t.host)} ${shellQuote(String(t.port))} ${i}`;
  const calls = one
    ? targets.map(call)
    : [`l=$(${targets.map((t, i) => `${call(t, i)} &`).join(' ')} wait)`, 'while read -r i r o; do part "reach.$i" "$r" "" "$o"; done <<EOF', '$l', 'EOF'];
  return [
    // bash 5 (Flatcar; the probe's session runs the batch in bash): each connect in a process
    // substitution, one fork and no exec a target, bounded by `read -t` against one deadline;
    // its words as bash -c would say them.
    'if [ -n "${EPOCHREALTIME-}" ]; then',
    // dash parses the whole `if` before running it, and `<(` is no syntax of its: bash reads
    // these two functions from a string.
    `  eval ${shellQuote(fast(timeoutS))}`,
    ...targets.map((t, i) => `  cs ${shellQuote(t.host)} ${shellQuote(String(t.port))} ${i}`),
    ...targets.map((_t, i) => `  cw ${i}`),
    `elif ! command -v bash >/dev/null 2>&1; then part reach 1 " why=no-bash" ""`,
    `elif ! command -v timeout >/dev/null 2>&1; then part reach 1 " why=no-timeout" ""`,
    'else',
    '  if [ -n "${BASH_VERSION-}" ]; then',
    `    c(){ ${connect}; o=\${o//$'\\n'/ }; ${print} "\${o:0:300}"; }`,
    '  else',
    `    c(){ ${connect}; ${print} "$(printf '%s' "$o" | tr '\\n' ' ' | head -c 300)"; }`,
    '  fi',
    ...calls.map((l) => (l === '$l' || l === 'EOF' ? l : `  ${l}`)),
    'fi',
  ].join('\n');
}

// bash's connect messages → errno names a reader knows.
const ERRNO: readonly [RegExp, string][] = [
  [/Connection refused/i, 'ECONNREFUSED'],
  [/No route to host/i, 'EHOSTUNREACH'],
  [/Network is unreachable/i, 'ENETUNREACH'],
  [/Connection timed out/i, 'ETIMEDOUT'],
  [/Temporary failure in name resolution/i, 'EAI_AGAIN'],
  [/Name or service not known|No address associated|nodename nor servname/i, 'EAI_NONAME'],
  [/Permission denied/i, 'EACCES'],
  [/Invalid argument/i, 'EINVAL'],
];

export type ReachOutput = { ok: true; results: ReachResult[] } | { ok: false; error: string };

export function parseReach(parts: Parts, targets: readonly ReachTarget[], timeoutS = CONNECT_TIMEOUT_S): ReachOutput {
  const why = partOf(parts, 'reach')?.attrs.why;
  if (why === 'no-bash') return { ok: false, error: 'bash not found on the node: the TCP check needs bash (/dev/tcp)' };
  if (why === 'no-timeout') return { ok: false, error: 'timeout (coreutils) not found on the node: the TCP check needs it to bound each connect' };
  const results = targets.map((t, i): ReachResult => {
    const p = partOf(parts, `reach.${i}`);
    const l = p && { rc: p.rc, text: p.body.replace(/\n/g, ' ').trim() };
    if (!l) return { ...t, ok: false, errno: 'EUNKNOWN', reason: 'the connect did not report (cut short?)' };
    if (l.rc === 0) return { ...t, ok: true };
    if (l.rc === 124 || l.rc === 137) return { ...t, ok: false, errno: 'ETIMEDOUT', reason: `no answer within ${timeoutS}s` };
    const errno = ERRNO.find(([re]) => re.test(l.text))?.[1] ?? 'EUNKNOWN';
    // bash says it twice ("bash: connect: …" and "bash: line 1: /dev/tcp/…: …"): keep the first.
    const reason = (l.text.split(/bash: /).map((s) => s.trim()).filter(Boolean)[0] ?? `exit ${l.rc}`).replace(/^line \d+: /, '').slice(0, 160);
    return { ...t, ok: false, errno, reason };
  });
  return { ok: true, results };
}
