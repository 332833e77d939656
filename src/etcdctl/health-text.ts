// etcdctl 3.3.0–3.3.13 ignores `-w json` for `endpoint health` (etcd-io/etcd#9532) and prints
// one line per endpoint (etcdctl/ctlv3/command/ep_command.go of those releases):
//   stdout  "URL is healthy: successfully committed proposal: took = 1.9ms"
//   stderr  "URL is unhealthy: failed to connect: ERR" | "URL is unhealthy: failed to commit proposal: ERR"
//   stderr  "Error: unhealthy cluster" (exit 1) when any is unhealthy
// 3.4's simple output has the same lines. Pure.
import type { EndpointHealth } from './cluster-parse.js';
import type { EtcdctlOutput } from './parse.js';

const LINE = /^(\S+) is (healthy|unhealthy): (.*)$/;

// The endpoints the text names; an empty list when it names none (not this format at all).
export function parseHealthText(r: EtcdctlOutput): EndpointHealth[] {
  const out: EndpointHealth[] = [];
  for (const raw of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const [, endpoint = '', state, rest = ''] = m;
    if (state === 'healthy') out.push({ endpoint, healthy: true });
    else out.push({ endpoint, healthy: false, error: rest });
  }
  return out;
}
