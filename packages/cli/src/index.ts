// Programmatic access to the CLI's commands: each returns data and throws CliError with an exit code.
export { buildProgram } from './program.js';
export { CliError, EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED } from './errors.js';
export type { CommandIo } from './io.js';
export { keygenCommand, type KeygenOptions, type KeygenResult } from './commands/keygen.js';
export { verifyCommand, type VerifyOptions, type VerifyResult } from './commands/verify.js';
export { proveCommand, type ProveOptions, type ProveResult } from './commands/prove.js';
export { verifyProofCommand, type VerifyProofOptions, type VerifyProofResult } from './commands/verify-proof.js';
export { checkpointCommand, type CheckpointOptions, type CheckpointResult } from './commands/checkpoint.js';
export { logCommand, type LogOptions, type LogResult } from './commands/log.js';
export { serveCommand, type ServeOptions, type ServeResult } from './commands/serve.js';
export { formatLine, formatTrace, TraceGrouper, type IndexedRecord } from './timeline.js';
export { compileFilter, parseTimeBound, type RecordFilter } from './filters.js';
