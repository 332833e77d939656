// Rules the schema cannot express: address formats and subnets, values that must be unique
// across nodes. Pure: they see parsed values and answer with field paths; they run on every
// part that parsed, so one run reports schema and rule problems together.
import type { ClusterInput, DefaultsInput, NodeInput } from './schema.js';
import type { FieldPath, RawProblem } from './problems.js';
import {
  checkAddress,
  checkEndpoint,
  checkGatewayInSubnet,
  checkHost,
  checkHostCidr,
  checkNetworkCidr,
  checkPath,
} from './field-rules.js';

// The parts of an inventory that passed the schema; undefined where they did not.
export interface ParsedParts {
  defaults?: DefaultsInput | undefined;
  cluster?: ClusterInput | undefined;
  nodes: (NodeInput | undefined)[];
}

type Check = (value: string) => string | undefined;

function collect(out: RawProblem[], path: FieldPath, value: string | undefined, check: Check): void {
  if (value === undefined) return;
  const message = check(value);
  if (message !== undefined) out.push({ path, message });
}

export function checkRules(parts: ParsedParts): RawProblem[] {
  const out: RawProblem[] = [];
  if (parts.defaults) {
    collect(out, ['defaults', 'identityFile'], parts.defaults.identityFile, checkPath);
    collect(out, ['defaults', 'knownHostsFile'], parts.defaults.knownHostsFile, checkPath);
  }
  if (parts.cluster) {
    parts.cluster.etcd.endpoints.forEach((e, i) => collect(out, ['cluster', 'etcd', 'endpoints', i], e, checkEndpoint));
    collect(out, ['cluster', 'flannel', 'network'], parts.cluster.flannel.network, checkNetworkCidr);
  }
  parts.nodes.forEach((node, i) => {
    if (node) out.push(...nodeRules(node, i));
  });
  out.push(...uniquenessRules(parts));
  return out;
}

export function nodeRules(node: NodeInput, index: number): RawProblem[] {
  const out: RawProblem[] = [];
  const at = (...rest: (string | number)[]): FieldPath => ['nodes', index, ...rest];
  collect(out, at('host'), node.host, checkHost);
  collect(out, at('identityFile'), node.identityFile, checkPath);
  collect(out, at('knownHostsFile'), node.knownHostsFile, checkPath);
  const net = node.network;
  if (!net) return out;
  collect(out, at('network', 'address'), net.address, checkHostCidr);
  collect(out, at('network', 'gateway'), net.gateway, checkAddress);
  if (net.gateway !== undefined) {
    collect(out, at('network', 'gateway'), net.gateway, (gw) => checkGatewayInSubnet(gw, net.address));
  }
  net.dns.forEach((d, j) => collect(out, at('network', 'dns', j), d, checkAddress));
  net.routes.forEach((r, j) => {
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
    const claim = (kind: string, key: string, field: string[], message: (owner: number) => string) => {
      const j = owners.get(`${kind}\0${key}`);
      if (j === undefined) owners.set(`${kind}\0${key}`, i);
      else out.push({ path: ['nodes', i, ...field], message: message(j) });
    };
    claim('name', node.name, ['name'], (j) => `'${node.name}' is already used by nodes[${j}]`);
    // Two nodes behind one NAT address on different ports are legitimate; same host and port is not.
    const port = node.port ?? defaultPort;
    claim('host', `${node.host.toLowerCase()}:${port}`, ['host'], (j) =>
      `'${node.host}' (port ${port}) is already used by nodes[${j}]`,
    );
    // Two defaulted hostnames collide exactly when the names do, which is reported above.
    const hostname = node.hostname ?? node.name;
    const j = hostnames.get(hostname.toLowerCase());
    if (j === undefined) hostnames.set(hostname.toLowerCase(), i);
    else if (node.hostname !== undefined || parts.nodes[j]?.hostname !== undefined) {
      out.push({ path: ['nodes', i, 'hostname'], message: `'${hostname}' is already expected of nodes[${j}]` });
    }
    const address = node.network?.address;
    if (address !== undefined && checkHostCidr(address) === undefined) {
      const ip = address.split('/')[0] ?? address;
      claim('address', ip, ['network', 'address'], (j) => `${ip} is already used by nodes[${j}].network.address`);
    }
  });
  return out;
}
