/** Why one ingested record was refused: the field, what is wrong with it, and what was there. */
export interface FieldError {
  field: string;
  problem: string;
  /** The value found; absent when the field was missing. */
  value?: unknown;
}

/** Thrown by field readers, caught where a record is validated: one bad field refuses the record. */
export class FieldProblem extends Error {
  readonly detail: FieldError;

  constructor(detail: FieldError) {
    super(describeFieldError(detail));
    this.detail = detail;
  }
}

export function fail(detail: FieldError): never {
  throw new FieldProblem(detail);
}

/** `input_tokens must be a whole number ≥ 0, got -3` (values cut to 60 characters). */
export function describeFieldError(error: FieldError): string {
  if (!('value' in error)) return `${error.field} ${error.problem}`;
  let shown: string;
  try {
    shown = JSON.stringify(error.value) ?? String(error.value);
  } catch {
    shown = String(error.value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}…`;
  return `${error.field} ${error.problem}, got ${shown}`;
}
