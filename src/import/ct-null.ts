// Which null etcd:/flannel: sections ct v0.9.0 (the last release) writes a unit for. Its YAML
// library (the fork github.com/ajeddeloh/yaml vendored at 6b94386, decode.go prepare) treats only
// a value written `null`, an empty value, or a `!!null` tag as null: the Config's *Etcd/*Flannel
// stays nil and ct writes nothing for the section. `~` (also `Null`, `NULL`) is not null to it:
// it calls the section's UnmarshalYAML, and ct writes the unit, enabled, with its drop-in and
// default settings (config/types/flannel.go, etcd.go). The setup guide writes `flannel: ~`. Pure.
import { isScalar } from 'yaml';
import type { Document } from 'yaml';

export const CT_SECTIONS = ['etcd', 'flannel'] as const;

// True when ct reads this top-level key's null value as no section at all.
export function ctReadsAsAbsent(doc: Document | undefined, key: string): boolean {
  if (doc === undefined) return true; // JSON: null is written `null`
  const node = doc.get(key, true);
  if (!isScalar(node) || node.value !== null) return false;
  return node.tag === 'tag:yaml.org,2002:null' || node.source === 'null' || node.source === '';
}
