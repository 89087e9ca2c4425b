/**
 * A 64-bit FNV-1a style checksum in two 32-bit halves, as 16 hex digits: cheap, stable, for
 * telling contents apart (file heads, override sets). Not a security hash.
 */
export function digest(data: Buffer | string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  const text = typeof data === 'string';
  for (let i = 0; i < data.length; i++) {
    const unit = text ? (data as string).charCodeAt(i) : ((data as Buffer)[i] as number);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
