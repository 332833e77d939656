// The user-facing inventory format: shapes, defaults and descriptions. Every object is strict so
// a misspelt key is an error, not a silently ignored setting. Address formats and cross-field
// rules live in rules.ts, so they can name the corrected value and other nodes.
import * as z from 'zod';

const word = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .regex(/^\S+$/, `${what} must not contain whitespace`);

export const DEFAULT_KNOWN_HOSTS = '~/.ssh/known_hosts';

// Connection settings a node inherits from `defaults:` and may override one by one.
const connection = {
  user: word('user').describe('SSH login user'),
  port: z
    .number()
    .int('port must be a whole number')
    .min(1, 'port must be 1..65535')
    .max(65535, 'port must be 1..65535')
    .describe('SSH port'),
  identityFile: z.string().min(1).describe('private key file; ~ and paths relative to the inventory are resolved'),
  knownHostsFile: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1, 'knownHostsFile needs at least one file')])
    .describe('known_hosts file, or a list read in order (accept-new writes to the first)'),
  strictHostKeyChecking: z
    .enum(['yes', 'accept-new', 'no'])
    .describe('yes: host must be known; accept-new: record unknown hosts; no: never verify'),
};

export const BastionSchema = z
  .strictObject({
    host: word('bastion.host').describe('jump host every connection to the node goes through'),
    port: connection.port.optional(),
    user: connection.user.optional(),
    identityFile: connection.identityFile.optional(),
  })
  .describe('jump host (like ProxyJump); unset fields come from ~/.ssh/config, then the node');

// SSH public keys `clusterctl render` gives the login user; verify does not read them.
function authorizedKeys() {
  return {
    sshAuthorizedKeys: z
      .array(
        z
          .string()
          .min(1, 'an SSH key line must not be empty')
          .regex(/^[^\r\n\0]*$/, 'an SSH key line must be one line (no newline or NUL)'),
      )
      .optional()
      .describe('public key lines (authorized_keys format) that `clusterctl render` gives the user'),
    sshAuthorizedKeysFile: z
      .string()
      .min(1)
      .optional()
      .describe('file of public keys (authorized_keys format), read by `clusterctl render`; ~ and relative paths resolved'),
  };
}

// No schema defaults for connection settings: normalize fills the built-in ones (user core,
// port 22, ~/.ssh/known_hosts, yes) and remembers which it filled, so ~/.ssh/config can
// override a built-in default but never a value the inventory states.
// The fields `defaults:` sets and a node may override, in one place so the two cannot drift.
const inheritable = {
  user: connection.user.optional(),
  port: connection.port.optional(),
  identityFile: connection.identityFile.optional(),
  knownHostsFile: connection.knownHostsFile.optional(),
  strictHostKeyChecking: connection.strictHostKeyChecking.optional(),
  bastion: BastionSchema.optional(),
  ...authorizedKeys(),
  become: z
    .enum(['none', 'sudo'])
    .optional()
    .describe('run what needs root (etcdctl with a root-only client key, a root-only file the checks read) through `sudo -n`, which never prompts; default none'),
};

export const DefaultsSchema = z.strictObject(inheritable).describe('settings every node inherits');

export const RouteSchema = z
  .strictObject({
    destination: z.string().describe('network reached through the route, e.g. 10.45.0.0/16'),
    gateway: z.string().describe('next hop IPv4 address'),
  })
  .describe('a static route');

export const NetworkSchema = z
  .strictObject({
    interface: word('interface').describe('interface name, e.g. eth0'),
    address: z.string().describe('the address with its prefix, e.g. 192.168.1.10/24'),
    gateway: z.string().optional().describe('default gateway; must lie inside the address subnet'),
    dns: z.array(z.string()).default([]).describe('DNS servers, in order'),
    routes: z.array(RouteSchema).default([]).describe('static routes'),
    ipv6AcceptRA: z
      .boolean()
      .optional()
      .describe('render: accept IPv6 router advertisements on the interface (default false: IPv6AcceptRA=no, so network-online.target does not wait ~12 s for a router that is not there); verify does not check it'),
  })
  .describe('expected static network configuration; without it network checks are skipped');

// A master's or worker's Node in the Kubernetes API.
export const NodeKubernetesSchema = z
  .strictObject({
    nodeName: word('nodeName')
      .optional()
      .describe("the name this node's kubelet registers its Node under (--hostname-override); default: the hostname, lowercased, as the kubelet does"),
  })
  .describe('this node as the Kubernetes API knows it (masters and workers)');

export const NodeSchema = z
  .strictObject({
    name: word('name').describe('unique name of the node'),
    host: word('host').describe('address or DNS name to SSH to'),
    roles: z
      .array(z.enum(['etcd', 'master', 'worker']))
      .min(1, 'roles needs at least one of etcd, master, worker')
      .describe('what the node runs'),
    hostname: word('hostname').optional().describe('expected hostname; defaults to name'),
    ...inheritable,
    network: NetworkSchema.optional(),
    etcd: z
      .strictObject({
        endpoints: z.array(z.string()).min(1, 'endpoints needs at least one URL').optional().describe('etcd client URLs as seen from this node'),
        name: word('etcd.name')
          .optional()
          .describe("this node's etcd member name (ETCD_NAME, e.g. the setup guide's app-etcd-1): render writes it (default: the node name), verify checks it when given. Members are found by where they peer, so it only pins the name"),
      })
      .optional()
      .describe('overrides cluster.etcd for this node, and names its etcd member'),
    kubernetes: NodeKubernetesSchema.optional(),
  })
  .describe('one machine of the cluster');

export const DEFAULT_FLANNEL_KEY = '/coreos.com/network/config';

export const FlannelSchema = z
  .strictObject({
    network: z.string().optional().describe('flannel overlay network, e.g. 10.1.0.0/16; the config key must say the same'),
    etcdApi: z
      .enum(['auto', 'v2', 'v3'])
      .default('auto')
      .describe('keyspace flannel reads: v2 for flannel <= 0.17 (Container Linux ships 0.11), v3 for >= 0.18; auto looks in both'),
    configKey: z.string().regex(/^\/\S*$/, 'configKey must be an etcd key starting with /').default(DEFAULT_FLANNEL_KEY).describe('etcd key of the flannel config'),
    subnetLen: z.number().int('subnetLen must be a whole number').min(1).max(30, 'subnetLen must be <= 30').optional().describe('expected SubnetLen of the config (flannel defaults to 24)'),
    enabled: z.boolean().optional().describe('check flannel (default: true when this section is present); false for a cluster without flannel'),
    datapathPeers: z.number().int('datapathPeers must be a whole number').min(1).max(16, 'datapathPeers must be <= 16').optional().describe('flannel.datapath: how many peers each node pings across the overlay (default 2); each node is pinged by as many'),
    configDropin: z
      .boolean()
      .optional()
      .describe('render: also write the setup guide\'s flanneld drop-in that writes the config key at every start (default false: write it once with `clusterctl flannel set`)'),
  })
  .describe('the flannel overlay');

// systemd units that must be active, per role; a role left out keeps its default.
export const ServicesSchema = z
  .strictObject({
    all: z.array(word('unit')).optional().describe('units on every node; default [flanneld.service]'),
    etcd: z.array(word('unit')).optional().describe('units on etcd nodes; default [etcd-member.service]'),
    master: z.array(word('unit')).optional().describe('units on master nodes, e.g. kubelet.service'),
    worker: z.array(word('unit')).optional().describe('units on worker nodes, e.g. kubelet.service'),
  })
  .describe('systemd units that must be active, per role');

export const DEFAULT_PKI_DIR = '/etc/kubernetes/pki';
export const DEFAULT_SERVICE_RANGE = '10.3.0.0/24'; // the CoreOS guide's SERVICE_IP_RANGE

// Kubernetes itself: its presence turns the kube.* checks on, and render's Kubernetes units.
export const KubernetesSchema = z
  .strictObject({
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe('kubeconfig the API is read with, from this machine; ~ and paths relative to the inventory are resolved. Default: as kubectl, $KUBECONFIG, then ~/.kube/config'),
    pkiDir: z
      .string()
      .regex(/^\/[^\s]*$/, 'pkiDir must be an absolute path on the nodes, without whitespace')
      .default(DEFAULT_PKI_DIR)
      .describe('render: directory on the nodes holding the certificates and keys you provide (ca.crt; kubelet.crt/.key on every node; apiserver.crt/.key and sa.key on masters)'),
    serviceClusterIpRange: z.string().default(DEFAULT_SERVICE_RANGE).describe("render: kube-apiserver's --service-cluster-ip-range"),
  })
  .describe('Kubernetes masters and workers; with this section the kube.* checks run, and render writes the kubelet, kube-apiserver and the CNI config');

export const ClusterSchema = z
  .strictObject({
    etcd: z
      .strictObject({
        endpoints: z
          .array(z.string())
          .min(1, 'endpoints needs at least one URL')
          .default(['http://127.0.0.1:2379'])
          .describe('etcd client URLs, as seen from the nodes'),
        caFile: z.string().min(1).optional().describe('CA bundle on the nodes for etcdctl (v2 --ca-file, v3 --cacert)'),
        certFile: z.string().min(1).optional().describe('client certificate on the nodes (v2 --cert-file, v3 --cert)'),
        keyFile: z.string().min(1).optional().describe('client key on the nodes (v2 --key-file, v3 --key)'),
        initialClusterToken: word('initialClusterToken').optional().describe('render: ETCD_INITIAL_CLUSTER_TOKEN (default: derived from the initial cluster)'),
      })
      .default({ endpoints: ['http://127.0.0.1:2379'] }),
    flannel: FlannelSchema.optional().describe('without it, flannel is not checked'),
    services: ServicesSchema.optional(),
    kubernetes: KubernetesSchema.optional().describe('without it, Kubernetes is not checked and render writes no Kubernetes units'),
  })
  .describe('cluster-wide expectations');

export const InventorySchema = z
  .strictObject({
    defaults: DefaultsSchema.default({}),
    cluster: ClusterSchema.default({ etcd: { endpoints: ['http://127.0.0.1:2379'] } }),
    nodes: z.array(NodeSchema).min(1, 'there are no nodes; list at least one under nodes:'),
  })
  .describe('a clusterctl inventory');

export type InventoryInput = z.output<typeof InventorySchema>;
export type NodeInput = z.output<typeof NodeSchema>;
export type DefaultsInput = z.output<typeof DefaultsSchema>;
export type NetworkInput = z.output<typeof NetworkSchema>;
export type ClusterInput = z.output<typeof ClusterSchema>;

// Known keys of each kind of object, keyed by the field path with indexes removed
// ('nodes.network.routes'), to suggest the intended key for a misspelt one.
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(InventorySchema.shape),
  defaults: Object.keys(DefaultsSchema.shape),
  cluster: Object.keys(ClusterSchema.shape),
  'cluster.etcd': ['endpoints', 'caFile', 'certFile', 'keyFile', 'initialClusterToken'],
  'nodes.etcd': ['endpoints', 'name'],
  'cluster.flannel': Object.keys(FlannelSchema.shape),
  'cluster.services': Object.keys(ServicesSchema.shape),
  'cluster.kubernetes': Object.keys(KubernetesSchema.shape),
  'nodes.kubernetes': Object.keys(NodeKubernetesSchema.shape),
  nodes: Object.keys(NodeSchema.shape),
  'defaults.bastion': Object.keys(BastionSchema.shape),
  'nodes.bastion': Object.keys(BastionSchema.shape),
  'nodes.network': Object.keys(NetworkSchema.shape),
  'nodes.network.routes': Object.keys(RouteSchema.shape),
};
