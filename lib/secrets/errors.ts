/** A failure the user can act on; `problems` holds one line each. (Its own module: synth must not load OpenPGP.) */
export class SecretsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "SecretsError";
  }
}
