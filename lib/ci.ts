/** What CI works on. */

/** The environments a change touches: all, unless every changed file belongs to one environment (docs aside). */
export function touchedEnvironments(all: string[], changed: string[] | undefined): string[] {
  if (!changed) return all;
  const own = (file: string): string | undefined =>
    /^config\/([a-z0-9]+)\.yaml$/.exec(file)?.[1] ??
    /^config\/gateway-keys\/([a-z0-9]+)\//.exec(file)?.[1] ??
    /^secrets\/([a-z0-9]+)(?:-gateway-keys)?\.(?:tfvars\.gpg|recipients\.asc)$/.exec(file)?.[1];
  const docsOnly = (file: string) => /\.md$/.test(file);
  const relevant = changed.filter((f) => f && !docsOnly(f));
  if (relevant.some((f) => own(f) === undefined)) return all;
  return all.filter((env) => relevant.some((f) => own(f) === env));
}

