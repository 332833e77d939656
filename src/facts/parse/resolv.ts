import type { ResolvFact } from '../values.js';

// resolv.conf as glibc reads it: `#` or `;` starts a comment, `domain` and `search` replace
// each other (the last one wins), nameservers keep their order. Never fails: any text is a
// resolv.conf, possibly an empty one.
export function parseResolv(body: string): ResolvFact {
  const fact: ResolvFact = { nameservers: [], search: [] };
  for (const raw of body.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...values] = line.split(/\s+/);
    if (key === 'nameserver' && values[0]) fact.nameservers.push(values[0]);
    else if (key === 'search') fact.search = values;
    else if (key === 'domain') fact.search = values.slice(0, 1);
  }
  return fact;
}

