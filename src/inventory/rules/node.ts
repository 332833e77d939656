// Rules the schema cannot express: address formats and subnets, values that must be unique
// across nodes. Pure: they see parsed values and answer with field paths; they run on every
// part that parsed, so one run reports schema and rule problems together.
import type { ClusterInput, DefaultsInput, NetworkInput, NodeInput } from '../schema.js';
import type { FieldPath, RawProblem } from '../problems.js';
import {
  checkAddress,
  checkEndpoint,
  checkGatewayInSubnet,
  checkHost,
  checkHostCidr,
  checkNetworkCidr,
  checkPath,
} from './field.js';
import { kubernetesRules } from './kubernetes.js';

// A node as far as it passed the schema: the fields that failed are missing (see parts.ts).
export type PartialNode = Partial<Omit<NodeInput, 'network'>> & { network?: Partial<NetworkInput> | undefined };

// The parts of an inventory that passed the schema; undefined where they did not.
export interface ParsedParts {
  defaults?: DefaultsInput | undefined;
  cluster?: ClusterInput | undefined;
  nodes: (PartialNode | undefined)[];
}

type Check = (value: string) => string | undefined;

function collect(out: RawProblem[], path: FieldPath, value: string | undefined, check: Check): void {
  if (value === undefined) return;
  const message = check(value);
  if (message !== undefined) out.push({ path, message });
}

// knownHostsFile is one path or a list of them.
function collectFiles(out: RawProblem[], path: FieldPath, value: string | string[] | undefined): void {
  if (typeof value === 'string') collect(out, path, value, checkPath);
  else value?.forEach((v, i) => collect(out, [...path, i], v, checkPath));
}

// Every rule problem of an inventory, in no particular order (load.ts sorts by line).
export function checkRules(parts: ParsedParts): RawProblem[] {
  const out: RawProblem[] = [];
  if (parts.defaults) {
    collect(out, ['defaults', 'identityFile'], parts.defaults.identityFile, checkPath);
    collectFiles(out, ['defaults', 'knownHostsFile'], parts.defaults.knownHostsFile);
    collect(out, ['defaults', 'bastion', 'identityFile'], parts.defaults.bastion?.identityFile, checkPath);
    collect(out, ['defaults', 'sshAuthorizedKeysFile'], parts.defaults.sshAuthorizedKeysFile, checkPath);
  }
  if (parts.cluster) {
    parts.cluster.etcd.endpoints.forEach((e, i) => collect(out, ['cluster', 'etcd', 'endpoints', i], e, checkEndpoint));
    collect(out, ['cluster', 'flannel', 'network'], parts.cluster.flannel?.network, checkNetworkCidr);
  }
  parts.nodes.forEach((node, i) => {
    if (node) out.push(...nodeRules(node, i));
  });
  out.push(...uniquenessRules(parts));
  out.push(...kubernetesRules(parts));
  return out;
}

// Rules about one node alone: its SSH target, its paths, its addresses and their subnet.
export function nodeRules(node: PartialNode, index: number): RawProblem[] {
  const out: RawProblem[] = [];
  const at = (...rest: (string | number)[]): FieldPath => ['nodes', index, ...rest];
  collect(out, at('host'), node.host, checkHost);
  collect(out, at('identityFile'), node.identityFile, checkPath);
  collectFiles(out, at('knownHostsFile'), node.knownHostsFile);
  collect(out, at('bastion', 'identityFile'), node.bastion?.identityFile, checkPath);
  collect(out, at('sshAuthorizedKeysFile'), node.sshAuthorizedKeysFile, checkPath);
  node.etcd?.endpoints?.forEach((e, j) => collect(out, at('etcd', 'endpoints', j), e, checkEndpoint));
  const net = node.network;
  if (!net) return out;
  collect(out, at('network', 'address'), net.address, checkHostCidr);
  collect(out, at('network', 'gateway'), net.gateway, checkAddress);
  const address = net.address;
  if (address !== undefined) {
    collect(out, at('network', 'gateway'), net.gateway, (gw) => checkGatewayInSubnet(gw, address));
  }
  net.dns?.forEach((d, j) => collect(out, at('network', 'dns', j), d, checkAddress));
  net.routes?.forEach((r, j) => {
    collect(out, at('network', 'routes', j, 'destination'), r.destination, checkNetworkCidr);
    collect(out, at('network', 'routes', j, 'gateway'), r.gateway, checkAddress);
  });
  return out;
}

// Values two nodes must not share. The first node to use a value owns it; every later one is
// reported against it, so the message names both indexes.
function uniquenessRules(parts: ParsedParts): RawProblem[] {
  const out: RawProblem[] = [];
  const owners = new Map<string, number>();
  const hostnames = new Map<string, number>();
  const defaultPort = parts.defaults?.port ?? 22;
  parts.nodes.forEach((node, i) => {
    if (!node) return;
    const claim = (kind: string, key: string | undefined, field: string[], message: (owner: number) => string) => {
      if (key === undefined) return;
      const j = owners.get(`${kind}\0${key}`);
      if (j === undefined) owners.set(`${kind}\0${key}`, i);
      else out.push({ path: ['nodes', i, ...field], message: message(j) });
    };
    // render writes <name>.ign: names that differ only in case are one file on a case-insensitive
    // filesystem (macOS, Windows), so one config would overwrite the other.
    claim('name', node.name?.toLowerCase(), ['name'], (j) => {
      const other = parts.nodes[j]?.name;
      return other === node.name
        ? `'${node.name}' is already used by nodes[${j}]`
        : `'${node.name}' differs from nodes[${j}].name '${other}' only in case: render writes ${node.name}.ign and ${other}.ign, one file on a case-insensitive filesystem (macOS, Windows); rename one of the two nodes`;
    });
    // Two nodes behind one NAT address on different ports are legitimate; same host and port is not.
    const port = node.port ?? defaultPort;
    claim('host', node.host && `${node.host.toLowerCase()}:${port}`, ['host'], (j) =>
      `'${node.host}' (port ${port}) is already used by nodes[${j}]`,
    );
    // Two defaulted hostnames collide exactly when the names do (in any case), which is reported above.
    const hostname = node.hostname ?? node.name;
    const owner = hostname === undefined ? undefined : hostnames.get(hostname.toLowerCase());
    if (hostname !== undefined && owner === undefined) hostnames.set(hostname.toLowerCase(), i);
    if (owner !== undefined && (node.hostname !== undefined || parts.nodes[owner]?.hostname !== undefined)) {
      out.push({ path: ['nodes', i, 'hostname'], message: `'${hostname}' is already expected of nodes[${owner}]` });
    }
    const address = node.network?.address;
    if (address !== undefined && checkHostCidr(address) === undefined) {
      const ip = address.split('/')[0] ?? address;
      claim('address', ip, ['network', 'address'], (j) => `${ip} is already used by nodes[${j}].network.address`);
    }
  });
  return out;
}
