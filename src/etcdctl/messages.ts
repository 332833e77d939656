// The words for what goes wrong with etcdctl itself, in one place: every layer that meets it
// (gatherer, check, smoke test, flannel get|set) says it the same way.

// etcdctl is not in the PATH of the SSH user on the node. `node` names it when the caller knows it.
export function etcdctlNotFound(node?: string, user = 'the SSH user'): string {
  return `etcdctl not found${node ? ` on ${node}` : ''} (not in PATH of ${user}); install etcd-client or check the node image`;
}
