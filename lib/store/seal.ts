import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption for what the shared store must not hold in the clear (refreshed tokens, AWS
 * credentials): AES-256-GCM with a key derived from SESSION_SECRET (HKDF-SHA256, per purpose).
 * Every SESSION_SECRET in the rotation list can open a value; the first seals. Pure over its
 * inputs; server only.
 */

function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'cubby-store', `cubby:${purpose}`, 32));
}

/** `value` sealed for `purpose` with the first of `secrets`: base64url(iv | tag | ciphertext). */
export function sealValue(value: string, secrets: readonly string[], purpose: string): string {
  const [secret] = secrets;
  if (!secret) throw new TypeError('no secret to seal with');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The value {@link sealValue} sealed, or null when no secret opens it (tampered, wrong purpose, rotated out). */
export function unsealValue(sealed: string, secrets: readonly string[], purpose: string): string | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) return null;
  for (const secret of secrets) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      // Not this secret: try the next.
    }
  }
  return null;
}
