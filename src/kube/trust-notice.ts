// What a kubeconfig's cluster turns off, said on stderr the way strictHostKeyChecking: no is:
// the API's answers decide kube.* results, so reading them unauthenticated is worth a word.
// Pure: the cluster as @kubernetes/client-node read it (skipTLSVerify is its reading of
// `insecure-skip-tls-verify: true`).

export interface KubeClusterTrust {
  name: string;
  server: string;
  skipTLSVerify: boolean;
}

export function kubeTrustWarnings(kubeconfig: string, c: KubeClusterTrust): string[] {
  const out: string[] = [];
  const where = `kubeconfig ${kubeconfig}, cluster '${c.name}'`;
  if (/^http:\/\//i.test(c.server)) {
    out.push(`warning: ${where}: server ${c.server} is plain http: the API server is not authenticated and its answers and any token travel unencrypted; use https`);
  } else if (c.skipTLSVerify) {
    out.push(`warning: ${where}: insecure-skip-tls-verify is set: the API server's certificate is not checked, a man-in-the-middle would go unnoticed; set certificate-authority(-data) instead`);
  }
  return out;
}
