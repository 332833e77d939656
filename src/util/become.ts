// `become`: how clusterctl runs the few commands that need root on a node (etcdctl with a
// root-only client key, a root-only file the probe reads). `sudo` means `sudo -n --`: -n makes
// sudo fail instead of prompting, so no password is ever asked for, typed or stored.
export type Become = 'none' | 'sudo';

export const SUDO = 'sudo -n --';

// sudo warns on every call when the node cannot resolve its own hostname; the command still
// runs, and the warning is not the command's output.
const WARNING = /^sudo: unable to resolve host /;

// sudo's own line when it would not run the command (no rule, password required, not in
// sudoers, no sudo on the node); null when sudo ran it, whatever the command then said.
export function sudoRefusal(stderr: string): string | null {
  for (const raw of stderr.split('\n')) {
    const l = raw.trim();
    if (WARNING.test(l)) continue;
    if (/^sudo: /.test(l) || /^Sorry, user \S+ is not allowed to /.test(l) || /is not in the sudoers file/.test(l) || /\bsudo: (command )?not found$/.test(l)) return l;
  }
  return null;
}

export function withoutSudoWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !WARNING.test(l.trim()))
    .join('\n');
}

// What to do when sudo refuses: the one sentence every layer uses.
export function sudoFix(user: string): string {
  return `add a NOPASSWD rule for ${user} (sudoers, see docs/trust.md), or set become: none`;
}

// etcdctl or a read failed with "permission denied" as the SSH user: what to do.
export function becomeHint(user: string): string {
  return `${user} may not read it: set become: sudo for this node (with a NOPASSWD sudo rule, see docs/trust.md)`;
}
