// The part of the Ignition 3.3.0 config spec that render emits, as strict zod objects (a key
// outside the spec is an error), plus the rules Ignition's own validation applies to it:
// absolute paths, modes, unit and drop-in names, no duplicates, data URLs that decode.
import * as z from 'zod';
import { decodeDataUrl } from './data-url.js';

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|device|mount|automount|swap|target|path|timer|snapshot|slice|scope)$/;

const IgnitionFileSchema = z.strictObject({
  path: z.string().regex(/^\//, 'path must be absolute'),
  mode: z.number().int().min(0).max(0o7777),
  overwrite: z.boolean().optional(),
  contents: z.strictObject({
    source: z.string().refine((s) => decodeDataUrl(s) !== undefined, 'source must be a data URL that decodes'),
  }),
});

const IgnitionUnitSchema = z.strictObject({
  name: z.string().regex(UNIT_NAME, 'not a systemd unit name'),
  enabled: z.boolean().optional(),
  contents: z.string().optional(),
  dropins: z
    .array(z.strictObject({ name: z.string().regex(/^[^/]+\.conf$/, 'a drop-in name ends in .conf'), contents: z.string() }))
    .refine((ds) => new Set(ds.map((d) => d.name)).size === ds.length, 'duplicate drop-in name')
    .optional(),
});

export const IgnitionConfigSchema = z.strictObject({
  ignition: z.strictObject({ version: z.literal('3.3.0') }),
  passwd: z
    .strictObject({
      users: z.array(z.strictObject({ name: z.string().min(1), sshAuthorizedKeys: z.array(z.string().min(1)).optional() })),
    })
    .optional(),
  storage: z
    .strictObject({
      files: z.array(IgnitionFileSchema).refine((fs) => new Set(fs.map((f) => f.path)).size === fs.length, 'duplicate file path'),
    })
    .optional(),
  systemd: z
    .strictObject({
      units: z.array(IgnitionUnitSchema).refine((us) => new Set(us.map((u) => u.name)).size === us.length, 'duplicate unit name'),
    })
    .optional(),
});

export type IgnitionConfig = z.output<typeof IgnitionConfigSchema>;
export type IgnitionFile = z.output<typeof IgnitionFileSchema>;
export type IgnitionUnit = z.output<typeof IgnitionUnitSchema>;

// Problems with a rendered config, each with its JSON path; empty when it is valid.
export function ignitionProblems(config: unknown): string[] {
  const r = IgnitionConfigSchema.safeParse(config);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
}
