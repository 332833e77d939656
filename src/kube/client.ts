// The one read of the Kubernetes API a run makes, from the operator's machine: the Nodes and
// /version, with the kubeconfig read by @kubernetes/client-node (client certificates, tokens,
// exec plugins, as kubectl). Never throws: a failure is one sentence (api-error.ts).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { chooseKubeconfig } from './kubeconfig.js';
import { describeConfigError, describeRequestError } from './api-error.js';
import { kubeTrustWarnings } from './trust-notice.js';
import { clusterView } from './view.js';
import type { KubeApiRead } from './view.js';

export interface KubeApiOptions {
  kubeconfig?: string | undefined; // cluster.kubernetes.kubeconfig (absolute); else as kubectl
  timeoutMs: number; // for the whole read
  env?: { KUBECONFIG?: string | undefined }; // default process.env
  home?: string; // default homedir()
  onNotice?: (message: string) => void; // a kubeconfig that turns TLS off (report/notice.ts says it once a run)
}

export async function readKubeApi(o: KubeApiOptions): Promise<KubeApiRead> {
  const choice = chooseKubeconfig({ configured: o.kubeconfig, env: o.env ?? process.env, home: o.home ?? homedir(), exists: existsSync });
  if (!choice.ok) return { ok: false, kubeconfig: null, error: choice.error };
  const kubeconfig = choice.path;
  const fail = (error: string): KubeApiRead => ({ ok: false, kubeconfig, error });
  // Loaded only by runs that ask the API: it is the largest import of the program.
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(kubeconfig);
  } catch (err) {
    return fail(describeConfigError(err, kubeconfig));
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    const ctx = kc.getCurrentContext();
    return fail(
      ctx
        ? `kubeconfig ${kubeconfig}: its current context '${ctx}' names no cluster it defines; fix current-context or the context's cluster`
        : `kubeconfig ${kubeconfig} has no current context: set one (\`kubectl --kubeconfig ${kubeconfig} config use-context NAME\`)`,
    );
  }
  const server = cluster.server;
  for (const w of kubeTrustWarnings(kubeconfig, cluster)) o.onNotice?.(w);
  const signal = AbortSignal.timeout(o.timeoutMs);
  // client-node's generated API takes an abort signal only through a middleware; its object
  // API takes the Observable kind (as its own setHeaderOptions builds), not the Promise kind.
  const { Observable } = k8s;
  const options: import('@kubernetes/client-node').ConfigurationOptions<import('@kubernetes/client-node').ObservableMiddleware> = {
    middleware: [
      {
        pre: (ctx) => {
          ctx.setSignal(signal);
          return new Observable(Promise.resolve(ctx));
        },
        post: (r) => new Observable(Promise.resolve(r)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
  const plugin = kc.getCurrentUser()?.exec?.command;
  const context = (what: string) => ({ kubeconfig, server, what, timeoutMs: o.timeoutMs, plugin });
  let core;
  let versions;
  try {
    core = kc.makeApiClient(k8s.CoreV1Api);
    versions = kc.makeApiClient(k8s.VersionApi);
  } catch (err) {
    return fail(describeConfigError(err, kubeconfig));
  }
  // The signal covers the requests; an exec plugin runs before them, so the whole read races a
  // timer too, a little later, so that a silent server is still named as such.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), o.timeoutMs + 500)));
  const both = Promise.allSettled([versions.getCode({}, options), core.listNode({}, options)]);
  const settled = await Promise.race([both, deadline]).finally(() => clearTimeout(timer));
  if (settled === 'timeout') {
    return fail(`reading the API at ${server} with ${kubeconfig} did not finish within ${(o.timeoutMs + 500) / 1000} s: does its exec credential plugin hang (run it by hand), or does the server not answer?`);
  }
  const [version, nodes] = settled;
  // /version first: where both failed, it has the reason closest to the wire (TLS, refused).
  if (version.status === 'rejected') return fail(describeCredentialsOr(version.reason, context('read /version'), kubeconfig));
  if (nodes.status === 'rejected') return fail(describeCredentialsOr(nodes.reason, context('list nodes'), kubeconfig));
  return { ok: true, view: clusterView({ kubeconfig, server, nodeList: nodes.value, version: version.value }) };
}

// Reading a file the kubeconfig names, or running its exec plugin, fails inside the request:
// such an error has a path, and is the kubeconfig's problem, not the server's.
function describeCredentialsOr(err: unknown, c: Parameters<typeof describeRequestError>[1], kubeconfig: string): string {
  const r = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  if (typeof r.syscall === 'string' && r.syscall === 'open') return describeConfigError(err, kubeconfig);
  return describeRequestError(err, c);
}
