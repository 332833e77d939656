// The cluster as the Kubernetes API sees it, from one read: every Node's name, Ready condition,
// addresses, kubelet version, podCIDR and flannel annotations, and the apiserver's version.
// Pure and defensive: the input is a NodeList (kubectl -o json, or client-node's V1NodeList,
// whose property names are the same) and a /version answer, both read as unknown.

export interface KubeCondition {
  status: string; // True | False | Unknown
  reason?: string;
  message?: string;
}

export interface KubeNodeView {
  name: string;
  ready: KubeCondition | null; // null: the Node reports no Ready condition (yet)
  internalIPs: string[]; // status.addresses of type InternalIP, in order
  hostnameAddress?: string; // status.addresses of type Hostname
  kubeletVersion?: string; // status.nodeInfo.kubeletVersion, e.g. v1.20.2
  podCIDR?: string; // spec.podCIDR
  annotations: Record<string, string>; // flannel.alpha.coreos.com/* only
}

export interface KubeVersion {
  gitVersion: string; // v1.20.2
}

export interface KubeClusterView {
  kubeconfig: string; // the file it was read with
  server: string; // the API it was read from
  version: KubeVersion | null; // null: /version said nothing usable
  nodes: ReadonlyMap<string, KubeNodeView>; // by Node name
}

// One API read, or the one sentence saying why there is none.
export type KubeApiRead = { ok: true; view: KubeClusterView } | { ok: false; kubeconfig: string | null; error: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const FLANNEL = 'flannel.alpha.coreos.com/';

// A kubelet writes its conditions: bounded here, escaped by the report like all node text.
const bounded = (v: unknown, max: number): string | undefined => {
  const t = text(v);
  return t !== undefined && t.length > max ? `${t.slice(0, max)}…` : t;
};

function readyOf(status: Obj): KubeCondition | null {
  const c = arr(status.conditions).map(obj).find((x) => x.type === 'Ready');
  if (!c) return null;
  const reason = bounded(c.reason, 100);
  const message = bounded(c.message, 400);
  return { status: text(c.status) ?? 'Unknown', ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) };
}

export function nodeView(item: unknown): KubeNodeView | undefined {
  const o = obj(item);
  const meta = obj(o.metadata);
  const name = text(meta.name);
  if (name === undefined) return undefined;
  const status = obj(o.status);
  const addresses = arr(status.addresses).map(obj);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta.annotations))) if (k.startsWith(FLANNEL) && typeof v === 'string') annotations[k] = v;
  const hostnameAddress = text(addresses.find((a) => a.type === 'Hostname')?.address);
  const kubeletVersion = text(obj(status.nodeInfo).kubeletVersion);
  const podCIDR = text(obj(o.spec).podCIDR);
  return {
    name,
    ready: readyOf(status),
    internalIPs: addresses.filter((a) => a.type === 'InternalIP').map((a) => text(a.address)).filter((a): a is string => a !== undefined),
    ...(hostnameAddress === undefined ? {} : { hostnameAddress }),
    ...(kubeletVersion === undefined ? {} : { kubeletVersion }),
    ...(podCIDR === undefined ? {} : { podCIDR }),
    annotations,
  };
}

export function clusterView(read: { kubeconfig: string; server: string; nodeList: unknown; version: unknown }): KubeClusterView {
  const nodes = new Map<string, KubeNodeView>();
  for (const item of arr(obj(read.nodeList).items)) {
    const n = nodeView(item);
    if (n) nodes.set(n.name, n);
  }
  const gitVersion = text(obj(read.version).gitVersion);
  return { kubeconfig: read.kubeconfig, server: read.server, version: gitVersion === undefined ? null : { gitVersion }, nodes };
}
