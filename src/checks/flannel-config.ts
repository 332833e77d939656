import { validateFlannelConfig } from '../flannel/config.js';
import { resolveConfig } from '../flannel/key.js';
import { etcdNodes } from '../inventory/select.js';
import type { Check } from './types.js';
import { result } from './result.js';

// The config key flanneld reads: there, in the keyspace it reads, and valid. Read on the etcd
// nodes (the gatherer runs there); other nodes say where to look.
export const flannelConfigCheck: Check = {
  id: 'flannel.config',
  needs: ['flannel.config'],
  run(node, facts, ctx) {
    const id = 'flannel.config';
    const s = ctx.inventory.cluster.flannel;
    if (!s.enabled) return [];
    const want = [`${s.configKey} (${s.etcdApi === 'auto' ? 'v2 or v3' : s.etcdApi})`, s.network && `Network ${s.network}`].filter(Boolean).join(', ');
    const fact = facts.flannelConfig;
    if (!fact) {
      // The key is cluster-wide: it is reported on the etcd nodes, which read it.
      if (etcdNodes(ctx.inventory).length > 0) return [];
      return [result(id, 'skip', want, null, 'no etcd node in the inventory to read the config key through (give a node the etcd role)')];
    }
    const r = resolveConfig(fact);
    if (r.kind === 'unreadable') return [result(id, 'error', want, null, `Could not check: ${r.message}`)];
    if (r.kind === 'missing') return [result(id, 'fail', want, 'missing', r.message)];
    const v = validateFlannelConfig(r.value, { ...(s.network ? { network: s.network } : {}), ...(s.subnetLen ? { subnetLen: s.subnetLen } : {}) });
    if (!v.ok) return [result(id, 'fail', want, r.value, `${r.where}: ${v.problems.join('; ')}`)];
    const c = v.config;
    const notes = [r.warning, ...v.warnings.map((w) => `warning: ${w}`)].filter(Boolean).join('; ');
    const summary = `Network ${c.network}, SubnetLen ${c.subnetLen}, Backend ${c.backendType}`;
    return [result(id, 'pass', want, r.value, `${summary} — ${r.where}${notes ? `; ${notes}` : ''}`)];
  },
};
