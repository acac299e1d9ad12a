/** The slice of a logger the local engine uses; Nest's Logger fits, and tests pass a recorder. */
export interface EngineLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
