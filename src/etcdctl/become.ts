// etcdctl under `become`: the command line, and what sudo or a root-only TLS file did to a run.
import type { Become } from '../util/become.js';
import { SUDO, becomeHint, sudoFix, sudoRefusal, withoutSudoWarnings } from '../util/become.js';
import type { EtcdctlOutput } from './parse.js';

// Who runs etcdctl on which node: for the words of a sudo or permission error, and whether the
// command goes through `sudo -n --`.
export interface RunAs {
  node: string;
  user: string;
  become: Become;
}

// `ETCDCTL_API=3 etcdctl …`, or under sudo `sudo -n -- env ETCDCTL_API=3 etcdctl …`: sudo resets
// the environment, so the API travels as an argument of env (and a sudoers rule can name it).
export function withApi(api: 2 | 3, words: string, as?: RunAs): string {
  return as?.become === 'sudo' ? `${SUDO} env ETCDCTL_API=${api} ${words}` : `ETCDCTL_API=${api} ${words}`;
}

// One run's output as the rest of clusterctl should read it: sudo's hostname warning dropped;
// a sudo refusal made the whole error (naming node, command and fix); a permission-denied TLS
// file without become gets the hint to use it. `what` is the command in short
// ("etcdctl member list").
export function settle(r: EtcdctlOutput, as: RunAs | undefined, api: 2 | 3, what: string): EtcdctlOutput {
  if (!as || r.code === 0) return as?.become === 'sudo' ? { ...r, stderr: withoutSudoWarnings(r.stderr) } : r;
  if (as.become === 'sudo') {
    const stderr = withoutSudoWarnings(r.stderr);
    const refusal = sudoRefusal(r.stderr);
    if (!refusal) return { ...r, stderr };
    return { ...r, stderr, refused: `sudo refused \`${SUDO} env ETCDCTL_API=${api} ${what}\` on ${as.node}: ${refusal}; ${sudoFix(as.user)}` };
  }
  if (/permission denied/i.test(r.stderr)) return { ...r, hint: becomeHint(as.user) };
  return r;
}
