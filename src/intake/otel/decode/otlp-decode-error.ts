/**
 * A body that can never be accepted (not JSON, truncated protobuf, a field of the wrong type): the
 * receiver answers 400 with `message`, which says what is wrong and where (a byte offset or a JSON path).
 */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}
