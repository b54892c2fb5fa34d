// Errors about weight files: they always name the file and, where there is one, the tensor or config field.
export class WeightsError extends Error {
  constructor(
    readonly file: string,
    readonly what: string | undefined,
    message: string,
  ) {
    super(`${file}${what ? `: ${what}` : ""}: ${message}`);
    this.name = "WeightsError";
  }
}
