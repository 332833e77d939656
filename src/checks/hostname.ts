import { everyNode } from './applies.js';
import { sectionProblem } from '../facts/parse/probe-output.js';
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
    const got = facts.hostname;
    if (got === null) return [factError(id, facts, 'hostname', want)];
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
    const got = facts.hostnameFile;
    if (got === null) {
      // null with no problem recorded means the probe saw the file missing.
      if (sectionProblem(facts.problems, id)) return [factError(id, facts, id, want)];
      return [result(id, 'fail', want, 'missing', `/etc/hostname is missing, expected ${want}`)];
    }
    if (got === want) return [result(id, 'pass', want, got, `/etc/hostname is ${got}`)];
    return [result(id, 'fail', want, got, `/etc/hostname says ${got || '(empty)'}, expected ${want}`)];
  },
};
