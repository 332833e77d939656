// Values several configs must give alike (a cluster-wide setting), and where a node's cluster
// setting was written, for problems that name both files. Pure.
import type { ImportedNode } from './node.js';
import type { ImportProblem, Where } from './problem.js';

// The etcd or flannel section of a node, where its cluster-wide settings are.
export const at = (n: ImportedNode, w = n.etcd?.where ?? n.flannel?.where): Where => w ?? { file: n.file };

// One value every node that says it agrees on; a problem naming both files at the first that differs.
export function agreed<T>(nodes: readonly ImportedNode[], value: (n: ImportedNode) => T | undefined, what: string, problems: ImportProblem[], show: (v: T) => string = String): T | undefined {
  let first: { v: T; n: ImportedNode } | undefined;
  for (const n of nodes) {
    const v = value(n);
    if (v === undefined) continue;
    if (!first) first = { v, n };
    else if (show(v) !== show(first.v)) problems.push({ ...at(n), message: `${what} is ${show(v)} here, but ${show(first.v)} in ${first.n.file}: the configs must agree` });
  }
  return first?.v;
}

