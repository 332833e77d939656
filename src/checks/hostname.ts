import { everyNode } from './applies.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

// The hostname the kernel reports now, which kubelet registers the node under.
export const hostnameCheck: Check = {
  id: 'hostname',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'hostname';
    const want = node.hostname;
    if (!('ok' in facts.hostname)) return [factError(id, facts.hostname, want)];
    const got = facts.hostname.ok;
    if (got === want) return [result(id, 'pass', want, got, `hostname is ${got}`)];
    return [result(id, 'fail', want, got, `hostname is ${got || '(empty)'}, expected ${want}`)];
  },
};

// /etc/hostname, which sets the hostname at the next boot: a node can pass `hostname` today
// and come back with another name after a reboot.
export const hostnameFileCheck: Check = {
  id: 'hostname.file',
  scope: 'node',
  appliesTo: everyNode,
  run(node, facts) {
    const id = 'hostname.file';
    const want = node.hostname;
    const f = facts.hostnameFile;
    if ('error' in f) return [factError(id, f, want)];
    if ('absent' in f) return [result(id, 'fail', want, 'missing', `/etc/hostname is missing, expected ${want}`)];
    const got = f.ok;
    if (got === want) return [result(id, 'pass', want, got, `/etc/hostname is ${got}`)];
    return [result(id, 'fail', want, got, `/etc/hostname says ${got || '(empty)'}, expected ${want}`)];
  },
};
