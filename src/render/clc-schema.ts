// The Container Linux Config keys render emits, as ct (container-linux-config-transpiler,
// config/types) declares them: passwd.go, storage/files.go, networkd.go, etcd.go (3.0 options),
// flannel.go (0.6+ options), systemd.go. Strict objects: a key ct does not know is an error,
// where ct itself would only warn and drop it.
import * as z from 'zod';

const text = z.string();

export const ClcSchema = z.strictObject({
  passwd: z
    .strictObject({
      users: z.array(z.strictObject({ name: text.min(1), ssh_authorized_keys: z.array(text.min(1)).optional() })),
    })
    .optional(),
  storage: z
    .strictObject({
      files: z.array(
        z.strictObject({
          filesystem: z.literal('root'),
          path: text.regex(/^\//, 'path must be absolute'),
          mode: z.number().int().min(0).max(0o7777),
          contents: z.strictObject({ inline: text }),
        }),
      ),
    })
    .optional(),
  networkd: z.strictObject({ units: z.array(z.strictObject({ name: text.regex(/\.(network|netdev|link)$/), contents: text })) }).optional(),
  etcd: z
    .strictObject({
      name: text.min(1),
      listen_client_urls: text,
      advertise_client_urls: text,
      listen_peer_urls: text,
      initial_advertise_peer_urls: text,
      initial_cluster: text,
      initial_cluster_token: text,
      initial_cluster_state: z.enum(['new', 'existing']),
    })
    .optional(),
  flannel: z
    .strictObject({
      version: text.regex(/^\d+\.\d+\.\d+$/, 'a flannel version such as 0.18.1').optional(),
      etcd_endpoints: text.min(1),
      etcd_prefix: text.optional(),
      etcd_cafile: text.optional(),
      etcd_certfile: text.optional(),
      etcd_keyfile: text.optional(),
    })
    .optional(),
  systemd: z
    .strictObject({
      units: z.array(
        z.strictObject({
          name: text.min(1),
          enabled: z.boolean().optional(),
          contents: text.optional(),
          dropins: z.array(z.strictObject({ name: text.regex(/\.conf$/), contents: text })).optional(),
        }),
      ),
    })
    .optional(),
});

export type ClcConfig = z.output<typeof ClcSchema>;

export function clcProblems(config: unknown): string[] {
  const r = ClcSchema.safeParse(config);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
}
