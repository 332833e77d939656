// The inline sshAuthorizedKeys render would give the nodes: each must be a public key line sshd
// takes (util/authorized-keys.ts), never a private key pasted by mistake. Read from the
// inventory's raw parts, so a problem points where the key is written: defaults: or the node.
// Only render asks: verify never reads these keys. Pure.
import type { FieldPath, RawProblem } from '../inventory/problems.js';
import type { ParsedParts } from '../inventory/rules/node.js';
import { keyLineProblem } from '../util/authorized-keys.js';

function keyProblems(path: FieldPath, keys: readonly string[] | undefined): RawProblem[] {
  return (keys ?? []).flatMap((k, i) => {
    const message = keyLineProblem(k.replace(/^[ \t]+|[ \t]+$/g, ''));
    return message === undefined ? [] : [{ path: [...path, i], message }];
  });
}

export function inlineKeyProblems(parts: ParsedParts): RawProblem[] {
  return [
    ...keyProblems(['defaults', 'sshAuthorizedKeys'], parts.defaults?.sshAuthorizedKeys),
    ...parts.nodes.flatMap((n, i) => keyProblems(['nodes', i, 'sshAuthorizedKeys'], n?.sshAuthorizedKeys)),
  ];
}
