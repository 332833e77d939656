// What a node's provisioning config (CLC or Ignition) has Ignition write, for a drift check of
// the running node against it. Only an inventory made from configs (`clusterctl import`,
// `verify --from`) carries it; a YAML inventory has none.

export interface ProvisionedFile {
  path: string; // absolute path on the node
  mode: number; // e.g. 0o644 (420)
  // false: the config does not hold the bytes (fetched from a URL, appended to, written by ct
  // from a CLC section, compressed in a way import cannot undo); see `why`.
  contentKnown: boolean;
  sha256?: string; // hex, of the exact bytes Ignition writes; only when contentKnown
  size?: number; // bytes; only when contentKnown
  why?: string; // only when !contentKnown
  from: string; // the config and where in it: "ign/app-etcd-1.ign /storage/files/0"
}

export interface ProvisionedUnit {
  name: string;
  state: 'enabled' | 'disabled' | 'masked'; // what Ignition sets (`systemctl is-enabled` words)
  from: string;
}

export interface Provisioned {
  files: ProvisionedFile[];
  units: ProvisionedUnit[];
}
