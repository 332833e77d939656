// One sentence for each way reading the Kubernetes API can fail: what happened, with the
// kubeconfig and the server named, and what to do. Never a stack trace. Pure: reads the error
// object client-node or Node's TLS and socket layers made.

export interface ApiErrorContext {
  kubeconfig: string;
  server?: string | undefined; // the current context's cluster server, once known
  what: string; // "list nodes", "read /version"
  timeoutMs: number;
  plugin?: string | undefined; // the current user's exec credential plugin, when it has one
}

const TLS_TRUST = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

// A server- or library-supplied text, one line and bounded.
export function clip(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

// node-fetch says "request to URL failed, reason: WHY"; the URL is named already.
function reasonOf(r: Record<string, unknown>): string {
  const m = String(r.message ?? r.code ?? 'unknown error');
  return clip(m.replace(/^request to \S+ failed, reason: /, ''));
}

// The code of the innermost error that has one (node-fetch's FetchError carries the socket's).
function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const r = record(e);
    if (typeof r.code === 'string') return r.code;
    e = r.cause;
  }
  return undefined;
}

// The API's own words from a Status body ({"kind":"Status","message":…}), when it sent one.
function statusMessage(body: unknown): string | undefined {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body.trim() ? clip(body) : undefined;
    }
  }
  const m = record(b).message;
  return typeof m === 'string' && m.trim() ? clip(m) : undefined;
}

// An error of the request (the kubeconfig was read; the server is known).
export function describeRequestError(err: unknown, c: ApiErrorContext): string {
  const kc = c.kubeconfig;
  const at = c.server ?? 'the server';
  const r = record(err);
  if (typeof r.code === 'number' && r.code >= 100) {
    const said = statusMessage(r.body);
    // A bare "Unauthorized"/"Forbidden" repeats the status; quote only what adds to it.
    const quote = said && !/^(unauthorized|forbidden)$/i.test(said) ? `: "${said}"` : '';
    if (r.code === 401) {
      return `the API at ${at} answered 401 Unauthorized to ${kc}'s credentials${quote}: its user's client certificate or token is not accepted (expired, or signed by another CA); use a kubeconfig whose user the apiserver trusts`;
    }
    if (r.code === 403) {
      return `the user of ${kc} may not ${c.what} at ${at} (403 Forbidden${quote}): grant it get and list on nodes (a ClusterRole and ClusterRoleBinding), or use the cluster's admin kubeconfig`;
    }
    return `the API at ${at} answered ${r.code} when asked to ${c.what} with ${kc}${quote}`;
  }
  const code = codeOf(err);
  const name = typeof r.name === 'string' ? r.name : '';
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return `${at} (the server of ${kc}) did not answer within ${c.timeoutMs / 1000} s: is kube-apiserver running, and is that address reachable from this machine?`;
  }
  if (code === 'ECONNREFUSED') {
    return `nothing answers at ${at} (connection refused), the server ${kc} names: is kube-apiserver running there, on that port?`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of ${at}, the server ${kc} names, does not resolve (${code}): fix the cluster's server: in ${kc}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${at}, the server ${kc} names, is unreachable from this machine (${code}): check the route to it`;
  if (code !== undefined && TLS_TRUST.has(code)) {
    const why = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'its certificate does not name that address' : reasonOf(r);
    return `the certificate of ${at} is not trusted with ${kc} (${code}: ${why}): set that cluster's certificate-authority to the CA that signed the apiserver's certificate, and use the address the certificate names`;
  }
  if (code === 'ECONNRESET' || code === 'EPROTO' || /ssl|tls|handshake/i.test(String(r.message ?? ''))) {
    return `the TLS connection to ${at} failed (${code ?? 'handshake'}: ${reasonOf(r)}): is ${at} an apiserver's https address, and does it accept ${kc}'s client certificate?`;
  }
  // What is left is no answer from the wire: with an exec plugin, that is the plugin failing.
  if (c.plugin !== undefined) return `the exec credential plugin ${c.plugin} of ${kc} failed: ${reasonOf(r)}; run it by hand to see why`;
  return `could not ${c.what} at ${at} with ${kc}: ${reasonOf(r)}`;
}

// An error of reading the kubeconfig or its credentials (files it names, an exec plugin).
export function describeConfigError(err: unknown, kubeconfig: string): string {
  const r = record(err);
  const code = codeOf(err);
  const file = typeof r.path === 'string' ? r.path : undefined;
  if (code === 'ENOENT' && (file === undefined || file === kubeconfig)) return `kubeconfig ${kubeconfig} does not exist: set cluster.kubernetes.kubeconfig (or $KUBECONFIG) to the cluster's admin kubeconfig`;
  if ((code === 'ENOENT' || code === 'EACCES') && file !== undefined) {
    return `${file}, which kubeconfig ${kubeconfig} names, cannot be read (${code}): fix the path in ${kubeconfig} or the file's permissions`;
  }
  if (code === 'EACCES' || code === 'EISDIR') return `kubeconfig ${kubeconfig} cannot be read (${code}): point cluster.kubernetes.kubeconfig at a readable file`;
  if (r.name === 'YAMLException') return `kubeconfig ${kubeconfig} is not valid YAML (${clip(String(r.reason ?? r.message ?? ''), 120)}): fix it, or point at another with cluster.kubernetes.kubeconfig`;
  return `kubeconfig ${kubeconfig} cannot be used: ${clip(String(r.message ?? err))}; \`kubectl --kubeconfig ${kubeconfig} get nodes\` shows the same problem`;
}
