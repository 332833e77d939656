import { everyNode } from './applies.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

const RESULT_FILE = '/etc/.ignition-result.json';

// Provisioning evidence: Ignition (2.x) records in /etc/.ignition-result.json whether it ran
// with a user config. A node that booted without its config has the file, saying it had none;
// a node Ignition never provisioned has no file, and nothing here to check.
export const ignitionCheck: Check = {
  id: 'ignition',
  scope: 'node',
  appliesTo: everyNode,
  run(_node, facts) {
    const id = 'ignition';
    const want = 'provisioned by Ignition with a config';
    const f = facts.ignitionResult;
    if ('error' in f) return [factError(id, f, want)];
    if ('absent' in f) {
      return [result(id, 'skip', want, null, `no ${RESULT_FILE}: this node was not provisioned by Ignition 2.x (Container Linux's Ignition 0.x writes no such file)`)];
    }
    const r = f.ok;
    const when = r.provisioningDate ? ` on ${r.provisioningDate}` : '';
    if (r.userConfigProvided) return [result(id, 'pass', want, 'user config applied', `Ignition applied a config${when} (${RESULT_FILE})`)];
    return [
      result(id, 'fail', want, 'no user config', `Ignition ran${when} without a config: the node booted without its Ignition config (${RESULT_FILE} says userConfigProvided false); check where its config comes from (ignition.config.url, the config drive, coreos-install -i)`),
    ];
  },
};
