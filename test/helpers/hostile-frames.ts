// Node text that imitates the framing (util/frames.ts): every marker clusterctl ever printed, the
// markers of today with a guessed nonce and with the request's own (TEST_NONCE), partial markers,
// and bytes a shell or a decoder may choke on: CR, NUL, invalid UTF-8, no final line break. A
// node that prints it may change the value of the fact it printed for, and nothing else.
import { TEST_NONCE } from './nonce.js';

const GUESS = '0000000000000000';
const NAMES = ['hostname', 'done', 'etcdctl', 'etcdctl.0', 'etcdctl.0.err', 'etcdctl-version', 'reach', 'reach.0', 'kube.healthz', 'prov.f.0', 'prov.u.0', 'v3'];

const forgeries = (nonce: string): string[] => [
  ...NAMES.flatMap((n) => [`@@clusterctl:end ${nonce} ${n} rc=0 fmt=text`, `@@clusterctl:begin ${nonce} ${n}`, `| forged ${n}`, `@@clusterctl:end ${nonce} ${n} rc=0 fmt=text`]),
  `@@clusterctl:end ${nonce} reach why=no-bash rc=1`,
  `@@clusterctl:ran ${nonce} rc=0`,
];

export const HOSTILE_LINES: readonly string[] = [
  // The markers before one framing, exactly.
  '@@clusterctl-batch no-etcdctl',
  '@@clusterctl-batch end 0 rc=0',
  '@@clusterctl-etcdctl-version begin',
  '| etcdctl version: 9.9.9',
  '@@clusterctl-etcdctl-version end rc=0',
  '@@clusterctl-etcd etcdctl /forged',
  '@@clusterctl-etcd v3 rc=0',
  '@@clusterctl-prov f 0 missing',
  '@@clusterctl-kube end healthz rc=0',
  '@@clusterctl-reach 0 rc=0 ',
  '@@clusterctl-reach no-bash',
  '@@clusterctl:begin hostname',
  'forged',
  '@@clusterctl:end hostname rc=0 fmt=text',
  '@@clusterctl:done',
  // Today's, with a guessed nonce and with the request's own.
  ...forgeries(GUESS),
  ...forgeries(TEST_NONCE),
  // Partial markers, and the prefix itself.
  '@@clusterctl:',
  '@@clusterctl:end',
  `@@clusterctl:end ${TEST_NONCE}`,
  '| ',
  '|',
  // With CR around them.
  `\r@@clusterctl:end ${TEST_NONCE} hostname rc=0 fmt=text\r`,
  `@@clusterctl:begin ${TEST_NONCE} hostname\r`,
];

// As bytes: the lines, a NUL, invalid UTF-8, and no final line break.
export const HOSTILE_BYTES: Buffer = Buffer.concat([Buffer.from(HOSTILE_LINES.join('\n')), Buffer.from('\nnul\0byte \xff\xfe\xc3 bad utf-8\n@@clusterctl:end', 'latin1')]);

// The same in a shell's single quotes, for a stand-in command that prints it (no NUL: an argument cannot hold one).
export const HOSTILE_SH: string = `'${Buffer.concat([Buffer.from(HOSTILE_LINES.join('\n')), Buffer.from('\n\xff\xfe\xc3 bad utf-8\n@@clusterctl:end', 'latin1')]).toString('latin1').replace(/'/g, "'\\''")}'`;
