import { readFileSync } from 'node:fs';

// Credentials are never written into a definition: a definition names where the secret lives, the hub
// reads it when it connects, and nothing that lists definitions can return it.

export type SecretRef = { env: string } | { file: string };

export const secretRefSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['env'], properties: { env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' } } },
    { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
  ],
} as const;

export function readSecret(ref: SecretRef): string {
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (v === undefined) throw new Error(`environment variable ${ref.env} is not set`);
    return v;
  }
  return readFileSync(ref.file, 'utf8').trim();
}
