// The few error classes clusterctl throws. main.ts maps them to exit codes; everything else
// (a dead node, a failed check) is data in a report, not an exception.

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3, interrupted: 130 } as const;

// A problem the user can fix (bad inventory, bad flag): exit 2, no stack trace.
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface InventoryProblem {
  path: string; // field path, e.g. nodes[2].network.address ('' for the whole document)
  line?: number; // 1-based line in the YAML file, when known
  message: string;
}

// Every problem found in an inventory, reported together so one run shows them all.
export class InventoryError extends UserError {
  override name = 'InventoryError';
  constructor(
    readonly file: string,
    readonly problems: InventoryProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the inventory:\n` +
        problems
          .map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`)
          .join('\n'),
    );
  }
}
