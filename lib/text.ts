/** Small text helpers shared by the command-line tools' messages. */

/** Levenshtein distance, case-insensitive: how many edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The candidates within two edits of `word` (likely typos), in their order. */
export function closeMatches(word: string, candidates: readonly string[]): string[] {
  return candidates.filter((c) => editDistance(word, c) <= 2);
}
