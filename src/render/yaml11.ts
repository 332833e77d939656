// YAML 1.1 text of a config whose storage.files carry modes, as the Go YAML readers take it (ct's
// go-yaml v2 for a CLC, Butane's go-yaml v3): modes as 0644 (both read a leading 0 as octal),
// and words YAML 1.1 reads as booleans (yes, on, off …) quoted. Same input, same bytes.
import { Document, isMap, isScalar, isSeq } from 'yaml';

export function yaml11Text(config: unknown): string {
  const doc = new Document(config, { version: '1.1' });
  const files = doc.getIn(['storage', 'files'], true);
  for (const item of isSeq(files) ? files.items : []) {
    const mode = isMap(item) ? item.get('mode', true) : undefined;
    if (isScalar(mode)) mode.format = 'OCT';
  }
  return doc.toString({ lineWidth: 0 });
}
