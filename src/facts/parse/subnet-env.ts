import type { SubnetEnvFact } from '../values.js';

// /run/flannel/subnet.env as flanneld writes it (KEY=value lines, no quoting), e.g.
//   FLANNEL_NETWORK=10.1.0.0/16
//   FLANNEL_SUBNET=10.1.5.1/24
//   FLANNEL_MTU=1450
//   FLANNEL_IPMASQ=false
// Tolerates comments, blank lines, `export` and quotes, since people edit it by hand when
// debugging. Never fails: any text is a file of (possibly no) variables.
export function parseSubnetEnv(body: string): SubnetEnvFact {
  const vars: Record<string, string> = {};
  for (const raw of body.split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const value = (m[2] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    vars[m[1] ?? ''] = value;
  }
  const fact: SubnetEnvFact = { vars };
  if (vars.FLANNEL_NETWORK) fact.network = vars.FLANNEL_NETWORK;
  if (vars.FLANNEL_SUBNET) fact.subnet = vars.FLANNEL_SUBNET;
  const mtu = Number(vars.FLANNEL_MTU);
  if (vars.FLANNEL_MTU && Number.isInteger(mtu)) fact.mtu = mtu;
  if (vars.FLANNEL_IPMASQ === 'true' || vars.FLANNEL_IPMASQ === 'false') fact.ipmasq = vars.FLANNEL_IPMASQ === 'true';
  return fact;
}
