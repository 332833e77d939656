// Issue 22, item 1: the batch's parts under bash (test/helpers/hostile-batch.ts); bash 4's path
// differs only in the reach test, so only its text is tried there.
import { batchHostileTests } from '../../helpers/hostile-batch.js';

batchHostileTests('bash');
batchHostileTests('bash 4 path', ['timeout.out']);
