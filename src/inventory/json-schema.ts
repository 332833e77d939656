import * as z from 'zod';
import { InventorySchema } from './schema.js';

// The inventory's JSON Schema, generated from the zod schema so editors (yaml-language-server)
// complete and validate inventory.yaml. `input` mode: fields with defaults are optional, as a
// user writes them. Address formats and cross-node rules are not expressible here; `clusterctl
// verify` still reports those.
export function inventoryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(InventorySchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'clusterctl inventory' };
}

export function formatSchema(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
