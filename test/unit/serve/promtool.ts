// Debian's promtool (package prometheus), which .ci/run installs; without it the tests that need
// it say so instead of passing.
import { execFileSync } from 'node:child_process';

export const PROMTOOL = '/usr/bin/promtool';

export const promtoolSkip: string | false = (() => {
  try {
    execFileSync(PROMTOOL, ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return "promtool is not installed (Debian's prometheus package: apt-get install prometheus; .ci/run installs it)";
  }
})();
