// A child process standing for one clusterctl run with accept-new: it reads known_hosts once,
// waits for "go" on stdin (so two of them start together), then offers a fresh key of its own
// for each of `count` hosts at once, and prints which it was allowed and the keys it offered.
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';
import { decideHostKey } from '../../src/transport/host-key.js';
import { readKnownHosts } from '../../src/transport/known-hosts.js';

const [file, count] = process.argv.slice(2);
if (file === undefined || count === undefined) throw new Error('usage: known-hosts-learner FILE COUNT');
const lines = await readKnownHosts([file]);
const keys = Array.from({ length: Number(count) }, () => Buffer.from(ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1] ?? '', 'base64'));
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
const outcomes = await Promise.all(keys.map((k, i) => decideHostKey({ name: `host-${i}`, files: [file], strict: 'accept-new', lines, portForHint: 22, hostForHint: `host-${i}` }, k)));
process.stdout.write(`${JSON.stringify({ ok: outcomes.map((o) => o.ok), keys: keys.map((k) => k.toString('base64')) })}\n`);
process.exit(0);
