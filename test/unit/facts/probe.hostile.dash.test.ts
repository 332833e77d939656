// Issue 22, item 1: every probe section under dash (test/helpers/hostile-probe.ts).
import { probeHostileTests } from '../../helpers/hostile-probe.js';

// Three sources a run: dash's probe runs are slow, and the file has a time limit.
probeHostileTests('dash', 3);
