import type { IgnitionResultFact } from '../values.js';
import { bad, isObject, ok } from './common.js';
import type { Parsed } from './common.js';

// /etc/.ignition-result.json, which Ignition (2.x: Flatcar, Fedora CoreOS, Debian's 2.14)
// writes in its files stage:
//   {"provisioningBootID": "…", "provisioningDate": "2024-05-01T10:00:00Z", "userConfigProvided": true}
// userConfigProvided is false when Ignition ran with no config given (booted without one).
export function parseIgnitionResult(body: string): Parsed<IgnitionResultFact> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(value)) return bad('JSON is not an object');
  const provided = value.userConfigProvided;
  if (typeof provided !== 'boolean') return bad('userConfigProvided is missing or not true/false');
  const fact: IgnitionResultFact = { userConfigProvided: provided };
  if (typeof value.provisioningDate === 'string') fact.provisioningDate = value.provisioningDate;
  if (typeof value.provisioningBootID === 'string') fact.provisioningBootId = value.provisioningBootID;
  return ok(fact);
}
