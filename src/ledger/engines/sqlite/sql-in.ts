/** Adds `column IN (…)` for a list filter (nothing for no filter; no rows for an empty list). */
export function addIn(where: string[], params: (number | string)[], column: string, values: readonly string[] | undefined): void {
  if (values === undefined) return;
  if (values.length === 0) {
    where.push('0');
    return;
  }
  where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}
