// Issue 22, item 1: the batch's parts under dash (test/helpers/hostile-batch.ts).
import { batchHostileTests } from '../../helpers/hostile-batch.js';

batchHostileTests('dash');
