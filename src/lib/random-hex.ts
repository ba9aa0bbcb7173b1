import { randomFillSync } from 'node:crypto';

// Trace and span ids are made on every request and every source call. Asking the kernel for 8 or 16
// bytes each time costs a system call apiece; filling a pool once and handing out slices (as
// crypto.randomUUID does internally) makes an id nearly free and keeps the same randomness.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` cryptographically random bytes as lowercase hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return out;
}
