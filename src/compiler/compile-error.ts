/**
 * A construct the tasklet compiler cannot compile, with the file position and advice.
 * Thrown by compile(); the load hook and the CLI print it and stop.
 */
export class CompileError extends SyntaxError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column + 1}: ${message}`);
    this.name = 'CompileError';
  }
}
