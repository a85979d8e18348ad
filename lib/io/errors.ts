/** The one error type of the safetensors reader and writer: it names the file and what was wrong. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';

  constructor(
    /** The file read or written. */
    readonly path: string,
    /** What was wrong, without the file's name. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${detail}`, options);
  }
}
