// The commands a node's batch runs for the kube.* checks, in exactly the form this folder's
// parsers read. Every value from the node or the inventory goes through shellQuote.
import { shellQuote } from '../util/shell.js';

// A health endpoint (parseCurlAnswer): body, newline, status; -k because the check asks about
// health, not trust (the API read from the operator's machine judges TLS); bounded in time.
export function healthCommand(url: string, timeoutSeconds = 5): string {
  return `curl -sk --max-time ${timeoutSeconds} -o - -w '\\n%{http_code}' ${shellQuote(url)}`;
}

// A certificate's expiry and subject (parseX509Text).
export function certCommand(path: string): string {
  return `openssl x509 -noout -enddate -subject -in ${shellQuote(path)}`;
}

// Does this command line belong to COMPONENT? The binary itself (kubelet, kube-apiserver), or
// hyperkube's subcommand as the setup guide's static pods and kubelet-wrapper run them
// (`/hyperkube kubelet …`, `/hyperkube apiserver …`).
export function isComponent(argv: readonly string[], component: 'kubelet' | 'kube-apiserver'): boolean {
  const base = (argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1);
  if (base === component) return true;
  if (base !== 'hyperkube') return false;
  const sub = argv[1] ?? '';
  return component === 'kubelet' ? sub === 'kubelet' : sub === 'kube-apiserver' || sub === 'apiserver';
}

// What the probe says of a process named kubelet, kube-apiserver or hyperkube (facts KubeProcess).
export interface ProcessSeen {
  pid: number;
  name: string; // comm
  uids: readonly number[] | null;
  argv: readonly string[];
}

// Any user may start a process called kubelet (`cp /bin/bash /tmp/kubelet`) with the flags they
// like. Only a process whose every uid is 0 (a setuid program keeps its caller's real uid), named
// as the component's binary, is the cluster's: its paths are read, nobody else's ever are.
export function isRootComponent(p: ProcessSeen, component: 'kubelet' | 'kube-apiserver'): boolean {
  const root = p.uids !== null && p.uids.length === 4 && p.uids.every((u) => u === 0);
  return root && (p.name === component || p.name === 'hyperkube') && isComponent(p.argv, component);
}

// The binaries a component's process may run (/proc/PID/exe): its own, or hyperkube (whose
// subcommands are also installed as links named after them).
export const componentBinaries = (component: 'kubelet' | 'kube-apiserver'): readonly string[] => [component, 'hyperkube'];

// Shell that exits 0 only while PID is still the root process NAME the probe saw: read just before
// the batch reads any path from its command line, so a PID that changed hands since the probe (or a
// probe answer that lied) reads nothing. Under sudo also /proc/PID/exe, which only root may read of
// a root process. Every value is a number or one of three fixed names; still quoted.
export function processGuard(p: { pid: number; name: string }, component: 'kubelet' | 'kube-apiserver', root: string, proc = '/proc'): string {
  const d = shellQuote(`${proc}/${p.pid}`);
  const what = `PID ${p.pid} is not the root ${p.name}`;
  const lines = [
    `c=; read -r c < ${d}/comm || exit 3; [ "$c" = ${shellQuote(p.name)} ] || { echo ${shellQuote(`${what} the probe saw: it is now`)} "$c"; exit 3; }`,
    `u=; while read -r k a b e f; do [ "$k" = Uid: ] && { u="$a $b $e $f"; break; }; done < ${d}/status; [ "$u" = '0 0 0 0' ] || { echo ${shellQuote(`${what} the probe saw: its uids are`)} "$u"; exit 3; }`,
  ];
  if (root) {
    const names = componentBinaries(component).join('|');
    lines.push(`x=$(${root}readlink ${d}/exe) || exit 3; x=\${x% (deleted)}; case \${x##*/} in ${names}) ;; *) echo ${shellQuote(`${what}: it runs`)} "$x"; exit 3;; esac`);
  }
  return lines.join('; ');
}
