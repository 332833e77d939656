// A flanneld drop-in that writes the config key at every start, as the setup guide's
// 50-network-config.conf does (`ExecStartPre=/usr/bin/etcdctl set /coreos.com/network/config …`).
// Found here from the unit's ExecStartPre lines; judged against the node's etcdctl (which API a
// plain `etcdctl` speaks), the key's value and the inventory. Pure.
import type { EtcdctlVersionFact } from '../facts/parse/etcdctl-version.js';
import { splitWords } from '../facts/parse/systemd-unit.js';
import { shellQuote } from '../util/shell.js';
import { validateFlannelConfig } from './config.js';
import type { EtcdApi } from './keyspace.js';
import { sameConfig } from './key-verdict.js';
import type { FlanneldUnit } from '../facts/parse/flanneld-unit.js';

export interface KeyWriter {
  file: string; // the file with the ExecStartPre line
  command: string; // the etcdctl words as the unit runs them, for messages
  sub: 'set' | 'mk' | 'put';
  subApi: EtcdApi; // set and mk exist only in v2, put only in v3
  envApi?: EtcdApi; // ETCDCTL_API the line or the unit sets
  envApiFrom?: string;
  value: string;
  ignoreFailure: boolean; // "-" prefix: flanneld starts even when it fails
}

// etcdctl's global flags that take a separate value (v2 and v3), so the subcommand can be found.
const VALUE_FLAGS = new Set([
  '--endpoints', '--endpoint', '--peers', '-C', '--cert-file', '--key-file', '--ca-file', '--username', '-u', '--timeout', '--total-timeout',
  '--output', '-o', '--discovery-srv', '-D', '-d', '--cacert', '--cert', '--key', '--user', '--password', '--dial-timeout', '--command-timeout',
  '--write-out', '-w', '--keepalive-time', '--keepalive-timeout', '--ttl', '--swap-with-value', '--swap-with-index', '--lease',
]);
const SUBS: Readonly<Record<string, EtcdApi>> = { set: 'v2', mk: 'v2', put: 'v3' };
const apiOf = (v: string | undefined): EtcdApi | undefined => (v === '2' ? 'v2' : v === '3' ? 'v3' : undefined);
const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

// The words to look at: a `sh -c 'SCRIPT'` line is its script's words; `;`, `&&`, `|` glued to a
// word are cut off so `ETCDCTL_API=2;` still reads as an assignment.
function wordsOf(argv: readonly string[]): string[] {
  const shell = ['sh', 'bash'].includes(base(argv[0] ?? '')) ? argv.indexOf('-c') : -1;
  const words = shell > 0 && argv[shell + 1] !== undefined ? splitWords(argv[shell + 1] as string) : [...argv];
  return words.map((w) => w.replace(/(;|&&|\|\|?)+$/, '')).filter(Boolean);
}

// Every ExecStartPre that writes `key` with etcdctl.
export function keyWriters(u: FlanneldUnit, key: string): KeyWriter[] {
  const out: KeyWriter[] = [];
  for (const line of u.execStartPre) {
    const words = wordsOf(line.argv);
    const at = words.findIndex((w) => base(w) === 'etcdctl');
    if (at < 0) continue;
    let i = at + 1;
    while (i < words.length && (words[i] ?? '').startsWith('-')) i += !(words[i] ?? '').includes('=') && VALUE_FLAGS.has(words[i] ?? '') ? 2 : 1;
    const sub = words[i] ?? '';
    const subApi = SUBS[sub];
    if (!subApi) continue;
    const args: string[] = [];
    for (let j = i + 1; j < words.length; j++) {
      const w = words[j] ?? '';
      if (w === '--') continue;
      if (w.startsWith('-') && args.length === 0) {
        if (!w.includes('=') && VALUE_FLAGS.has(w)) j++;
        continue;
      }
      args.push(w);
    }
    if (args[0]?.replace(/\/+$/, '') !== key.replace(/\/+$/, '') || args[1] === undefined) continue;
    // ETCDCTL_API from the line (`env ETCDCTL_API=2 etcdctl …`, `sh -c 'ETCDCTL_API=2 etcdctl …'`), else the unit.
    const assigned = words.slice(0, at).map((w) => /^ETCDCTL_API=(.*)$/.exec(w)?.[1]).filter((v) => v !== undefined).at(-1);
    const lineApi = apiOf(assigned);
    const unitApi = apiOf(u.env.ETCDCTL_API);
    const w: KeyWriter = { file: line.file, command: words.slice(at).map(shellQuote).join(' '), sub: sub as KeyWriter['sub'], subApi, value: args[1], ignoreFailure: line.ignoreFailure };
    if (lineApi) Object.assign(w, { envApi: lineApi, envApiFrom: `ETCDCTL_API=${assigned} on the line` });
    else if (unitApi) Object.assign(w, { envApi: unitApi, envApiFrom: `ETCDCTL_API=${u.env.ETCDCTL_API} in ${u.envFile.ETCDCTL_API}` });
    out.push(w);
  }
  return out;
}

export interface WriterContext {
  node: string;
  key: string;
  etcdctl: EtcdctlVersionFact | null; // the node's etcdctl; null: unknown (etcdctlError says why)
  etcdctlError?: string;
  keyValue?: { api: EtcdApi; value: string | null }; // the key now, in the keyspace the writer writes; null: not set
  unserved?: boolean; // etcd does not serve the keyspace the writer writes (v2 without --enable-v2)
  network?: string; // cluster.flannel.network
  flannelApi?: { api: EtcdApi; why: string }; // the keyspace this node's flannel reads
}

export interface WriterVerdict {
  ok: boolean; // false: the line fails at every start and stops flanneld
  message: string; // on ok, warnings start with "warning: "
}

const FIX = 'or remove the drop-in and write the key once with `clusterctl flannel set`';

// Does the line work, and does its value agree with the key, the inventory and the flannel?
export function judgeWriter(w: KeyWriter, c: WriterContext): WriterVerdict {
  const where = `${base(w.file)} (${w.file})`;
  const e = c.etcdctl;
  const speaks = w.envApi ?? e?.defaultApi;
  const how = w.envApi ? w.envApiFrom : e ? `etcdctl ${e.version} speaks ${e.defaultApi} by default` : undefined;
  let broken: string | undefined;
  if (e && w.subApi === 'v2' && (e.major > 3 || (e.major === 3 && e.minor >= 6))) {
    broken = `${where} runs \`${w.command}\`, but etcdctl ${e.version} on ${c.node} has no v2 API at all (gone in 3.6), so \`${w.sub}\` does not exist; ${FIX}`;
  } else if (c.unserved && w.subApi === 'v2' && (!speaks || speaks === 'v2')) {
    broken = `${where} runs \`${w.command}\`, a v2 write, but etcd does not serve the v2 API, so it fails at every start of flanneld; start etcd with --enable-v2 (etcd 3.4 and 3.5), ${FIX}`;
  } else if (speaks && speaks !== w.subApi) {
    const fix = w.subApi === 'v2' ? `add Environment=ETCDCTL_API=2 to the drop-in (etcd must serve v2: --enable-v2), ${FIX}` : `add Environment=ETCDCTL_API=3 to the drop-in, ${FIX}`;
    broken = `${where} runs \`${w.command}\`, a ${w.subApi} command, but ${how}${w.envApi ? '' : ` and nothing sets ETCDCTL_API=${w.subApi === 'v2' ? 2 : 3}`}: ${w.subApi} \`${w.sub}\` does not exist in ${speaks}, so it fails at every start of flanneld; ${fix}`;
  }
  if (broken && !w.ignoreFailure) return { ok: false, message: `${broken.replace(/, so it fails at every start of flanneld;/, ', so it fails at every start and flanneld never starts;')}` };
  const notes: string[] = [];
  if (broken) notes.push(`warning: ${broken} (its "-" prefix lets flanneld start anyway: the drop-in never writes the key)`);
  if (!speaks) notes.push(`warning: could not tell which API etcdctl on ${c.node} speaks by default (${c.etcdctlError ?? 'no etcdctl version'}), so not whether \`${w.sub}\` works there`);
  const v = validateFlannelConfig(w.value, {});
  if (!v.ok) notes.push(`warning: ${where} writes a value flannel cannot use: ${v.problems.join('; ')}`);
  else if (c.network && v.config.network !== c.network) notes.push(`warning: ${where} writes Network ${v.config.network}, the inventory says cluster.flannel.network ${c.network}`);
  if (c.keyValue?.api === w.subApi && c.keyValue.value !== null && !sameConfig(c.keyValue.value, w.value)) {
    notes.push(`warning: ${where} writes ${w.value}, the key holds ${c.keyValue.value} (${w.subApi}): the next restart of flanneld on ${c.node} puts the drop-in's value back`);
  }
  if (c.flannelApi && c.flannelApi.api !== w.subApi) notes.push(`warning: ${where} writes the ${w.subApi} keyspace, but flannel on ${c.node} reads ${c.flannelApi.api} (${c.flannelApi.why}): the write does not reach it`);
  const head = `${where} writes ${c.key} = ${w.value} at every start of flanneld (\`${w.sub}\`, ${w.subApi}${how ? `: ${how}` : ''})`;
  return { ok: true, message: notes.length ? `${notes.join('; ')} — ${head}` : `${head}; same as the key${c.network ? ' and the inventory' : ''}` };
}
