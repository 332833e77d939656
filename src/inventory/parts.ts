// The parts of a raw inventory that are valid on their own. When one field of a node is wrong
// the rules still check the rest (its addresses, its duplicates), so one run shows every problem
// instead of revealing them one fix at a time.
import * as z from 'zod';
import { ClusterSchema, DefaultsSchema, NetworkSchema, NodeSchema } from './schema.js';
import type { ParsedParts, PartialNode } from './rules/node.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Each field of a strict object parsed alone; the fields that fail are left out.
function fieldsOf(schema: z.ZodObject, raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(raw)) return out;
  for (const [key, field] of Object.entries(schema.shape)) {
    const res = (field as z.ZodType).safeParse(raw[key]);
    if (res.success && res.data !== undefined) out[key] = res.data;
  }
  return out;
}

function nodePart(raw: unknown): PartialNode | undefined {
  const whole = NodeSchema.safeParse(raw);
  if (whole.success) return whole.data;
  if (!isRecord(raw)) return undefined;
  const node = fieldsOf(NodeSchema, raw) as PartialNode;
  if (node.network === undefined && isRecord(raw.network)) {
    node.network = fieldsOf(NetworkSchema, raw.network) as PartialNode['network'];
  }
  return node;
}

export function parsedParts(raw: unknown): ParsedParts {
  const r = isRecord(raw) ? raw : {};
  const defaults = DefaultsSchema.safeParse(r.defaults ?? {});
  const cluster = ClusterSchema.safeParse(r.cluster ?? {});
  return {
    defaults: defaults.success ? defaults.data : undefined,
    cluster: cluster.success ? cluster.data : undefined,
    nodes: Array.isArray(r.nodes) ? r.nodes.map(nodePart) : [],
  };
}
