// The yaml library's options for every text clusterctl reads (a node's files, configs, the
// inventory). Left to itself, yaml hands each warning to process.emitWarning, which prints it
// to stderr with the offending source line byte for byte: an escape sequence on a line of a
// node's kubelet config would reach the operator's terminal raw. With logLevel 'error' warnings
// stay in doc.warnings and parse() still throws on an error ('silent' would drop errors too);
// prettyErrors: false keeps the source line out of error messages (they reach a terminal only
// through report/sanitize.ts).
export const QUIET_YAML = { logLevel: 'error', prettyErrors: false } as const;
