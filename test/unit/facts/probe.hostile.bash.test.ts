// Issue 22, item 1: every probe section under bash (test/helpers/hostile-probe.ts).
import { probeHostileTests } from '../../helpers/hostile-probe.js';

probeHostileTests('bash');
