/** Where a command writes: its output lines and its error lines (stdout/stderr, or a test's arrays). */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}
