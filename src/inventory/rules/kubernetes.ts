// Rules for the Kubernetes fields: the kubeconfig path, what a Node name may be, which nodes
// have one, and that no two nodes expect the same Node. Pure; they run on every part that parsed.
import type { FieldPath, RawProblem } from '../problems.js';
import { checkPath } from './field.js';
import type { ClusterInput, NodeInput } from '../schema.js';

// What these rules read of the parts that parsed (node.ts's ParsedParts fits; no import back).
type PartialNode = Partial<Pick<NodeInput, 'name' | 'roles' | 'hostname' | 'kubernetes'>>;
interface ParsedParts {
  cluster?: Pick<ClusterInput, 'kubernetes'> | undefined;
  nodes: readonly (PartialNode | undefined)[];
}

const isKubeNode = (n: PartialNode): boolean => (n.roles ?? []).some((r) => r === 'master' || r === 'worker');

// The API accepts a Node name only as a lowercase DNS subdomain (RFC 1123), at most 253 characters.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkNodeName(value: string): string | undefined {
  if (value.length <= 253 && SUBDOMAIN.test(value)) return undefined;
  const lower = value.toLowerCase();
  const hint = lower !== value && SUBDOMAIN.test(lower) ? `; did you mean '${lower}'? (the kubelet lowercases the hostname)` : '';
  return `'${value}' is not a valid Node name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit${hint}`;
}

export function kubernetesRules(parts: ParsedParts): RawProblem[] {
  const out: RawProblem[] = [];
  const kubeOn = parts.cluster?.kubernetes !== undefined;
  const kubeconfig = parts.cluster?.kubernetes?.kubeconfig;
  if (kubeconfig !== undefined) {
    const bad = checkPath(kubeconfig);
    if (bad !== undefined) out.push({ path: ['cluster', 'kubernetes', 'kubeconfig'], message: bad });
  }
  // Node name → the first node expecting it, and whether that node set it explicitly.
  const owners = new Map<string, { index: number; explicit: boolean; hostnameSet: boolean; name?: string | undefined }>();
  parts.nodes.forEach((node, i) => {
    if (!node) return;
    const at = (...rest: (string | number)[]): FieldPath => ['nodes', i, ...rest];
    const own = node.kubernetes?.nodeName;
    if (own !== undefined) {
      const bad = checkNodeName(own);
      if (bad !== undefined) out.push({ path: at('kubernetes', 'nodeName'), message: bad });
    }
    if (node.kubernetes !== undefined && node.roles !== undefined && !isKubeNode(node)) {
      out.push({ path: at('kubernetes'), message: `only masters and workers register a Node, and ${node.name ?? `nodes[${i}]`} has roles ${node.roles.join(', ')}: add master or worker to its roles, or remove kubernetes:` });
    } else if (node.kubernetes !== undefined && parts.cluster !== undefined && !kubeOn) {
      out.push({ path: at('kubernetes'), message: 'there is no cluster.kubernetes section, so Kubernetes is not checked and this is ignored: add `kubernetes: {}` under cluster:' });
    }
    if (!kubeOn || !isKubeNode(node)) return;
    const hostname = node.hostname ?? node.name;
    const nodeName = own ?? hostname?.toLowerCase();
    if (nodeName === undefined) return;
    const first = owners.get(nodeName);
    if (!first) {
      owners.set(nodeName, { index: i, explicit: own !== undefined, hostnameSet: node.hostname !== undefined, name: node.name });
      return;
    }
    // Two defaulted Node names collide exactly when the hostnames do; that rule (node.ts) or the
    // duplicate-name rule already reports it, once.
    const hostnameReported = first.hostnameSet || node.hostname !== undefined || first.name === node.name;
    if (own === undefined && !first.explicit && hostnameReported) return;
    const how = own === undefined ? ' (its hostname, lowercased)' : '';
    out.push({
      path: own === undefined ? at() : at('kubernetes', 'nodeName'),
      message: `Node name '${nodeName}'${how} is already expected of nodes[${first.index}]: two nodes cannot register one Node; set kubernetes.nodeName to the name this node's kubelet registers`,
    });
  });
  return out;
}
