/**
 * Values nested in values (arrays and key/value lists), and protobuf groups, deeper than this are
 * refused (`OtlpDecodeError`) rather than recursed into: no agent nests attributes more than a few
 * levels, and a hostile body must not exhaust the stack.
 */
export const MAX_DEPTH = 64;
