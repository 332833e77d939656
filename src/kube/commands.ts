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
