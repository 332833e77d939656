import { flannelNodes } from './applies.js';
import { readFlanneldUnit } from '../facts/parse/flanneld-unit.js';
import { sectionProblem } from '../facts/parse/probe-output.js';
import { judgeWriter, keyWriters } from '../flannel/dropin.js';
import { isUnserved } from '../flannel/key-verdict.js';
import { keyIn, nodeKeyspace } from '../flannel/readers.js';
import type { EtcdApi } from '../flannel/keyspace.js';
import type { CheckContext } from './types.js';
import type { Check } from './types.js';
import { result } from './result.js';

// Did an etcd node find that etcd does not serve this keyspace (v2 without --enable-v2)?
const unservedIn = (ctx: CheckContext, api: EtcdApi): boolean => [...ctx.facts.values()].some((f) => isUnserved(f?.flannelConfig?.[api]));

// A flanneld drop-in that writes the config key at every start (the setup guide's
// 50-network-config.conf): it must work with the node's etcdctl (fail: flanneld never starts),
// and its value should be the key's and the inventory's (a warning: the next restart puts it back).
// A node without such a drop-in reports a skip.
export const flannelDropinCheck: Check = {
  id: 'flannel.dropin',
  scope: 'cluster',
  appliesTo: flannelNodes,
  needs: ['flannel.config'],
  run(node, facts, ctx) {
    const id = 'flannel.dropin';
    const s = ctx.inventory.cluster.flannel;
    if (!s.enabled) return [];
    const writers = facts.flannelUnit ? keyWriters(readFlanneldUnit(facts.flannelUnit), s.configKey) : [];
    if (!writers.length) return [result(id, 'skip', null, null, `no drop-in of ${node.name}'s flanneld.service writes ${s.configKey}`)];
    const decision = nodeKeyspace(ctx.inventory, facts);
    return writers.map((w) => {
      const now = keyIn(ctx.inventory, ctx.facts, w.subApi);
      const v = judgeWriter(w, {
        node: node.name,
        key: s.configKey,
        etcdctl: facts.etcdctlVersion ?? null,
        ...(facts.etcdctlVersion ? {} : { etcdctlError: sectionProblem(facts.problems, 'etcdctl.version') ?? 'the probe did not ask' }),
        ...(now ? { keyValue: { api: w.subApi, value: now.value } } : {}),
        ...(unservedIn(ctx, w.subApi) ? { unserved: true } : {}),
        ...(s.network ? { network: s.network } : {}),
        flannelApi: { api: decision.api, why: decision.why },
      });
      const want = `${w.file} works with ${node.name}'s etcdctl and writes what the key holds`;
      return result(id, v.ok ? 'pass' : 'fail', want, w.command, v.message);
    });
  },
};
