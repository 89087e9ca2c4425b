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

/**
 * Adds `column IN (recorders of these users and machines)` for `column` holding a recorder id
 * (nothing when neither is asked).
 */
export function addRecorderIn(where: string[], params: (number | string)[], column: string, filter: { users?: readonly string[] | undefined; machines?: readonly string[] | undefined }): void {
  if (filter.users === undefined && filter.machines === undefined) return;
  const inner: string[] = [];
  addIn(inner, params, 'user_name', filter.users);
  addIn(inner, params, 'machine', filter.machines);
  where.push(`${column} IN (SELECT id FROM recorders WHERE ${inner.join(' AND ')})`);
}
