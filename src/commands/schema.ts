import { formatSchema } from '../inventory/json-schema.js';
import type { Io } from '../io.js';

// `clusterctl schema`: print it (schema/inventory.schema.json is this output, kept in sync by a test).
export function schemaCommand(io: Io): number {
  io.stdout.write(formatSchema());
  return 0;
}
