import { probeFor } from '../facts/probe.js';
import type { Become } from '../util/become.js';
import type { Io } from '../io.js';

export interface ProbeOptions {
  become: Become;
  session?: boolean;
}

// `clusterctl probe`: print the exact script verify and facts run on a node (for become: sudo,
// with the line that lets it read root-only files through `sudo -n -- cat`), so an operator can
// audit it before allowing it. It is a constant: no inventory is read. --session: the command
// that SSH starts on each node, which runs the same sections on each request it reads on stdin.
export function probeCommand(o: ProbeOptions, io: Io): number {
  io.stdout.write(probeFor(o.become, o.session ? 'session' : 'once'));
  return 0;
}
