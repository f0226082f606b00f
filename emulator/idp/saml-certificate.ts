import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** A signing key and its self-signed X.509 certificate, both PEM. */
export interface SigningCredentials {
  privateKeyPem: string;
  certificatePem: string;
}

/*
 * A minimal DER writer for one self-signed RSA certificate (X.509 v3, sha256WithRSAEncryption).
 * Node can make keys and sign bytes but has no API to issue a certificate, and the libraries at hand
 * (xml-crypto, node-saml) only read them. The structure is RFC 5280's; the signature is node:crypto's;
 * node:crypto's X509Certificate parses and verifies the result in the unit tests.
 */

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const sequence = (...parts: Buffer[]) => der(0x30, ...parts);

/** A positive INTEGER from big-endian bytes (a leading zero keeps the sign bit clear). */
function integer(bytes: Buffer): Buffer {
  return der(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function objectId(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc % 128];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift(0x80 | (value % 128));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2)}Z`)) : der(0x18, Buffer.from(`${iso}Z`));
}

function commonName(name: string): Buffer {
  return sequence(der(0x31, sequence(objectId('2.5.4.3'), der(0x0c, Buffer.from(name, 'utf8')))));
}

const SHA256_WITH_RSA = sequence(objectId('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

function pem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Makes a 2048-bit RSA key and a self-signed certificate for it, subject and issuer `CN=<name>`,
 * valid from `notBefore` for `years` years.
 */
export function createSigningCredentials(name: string, notBefore: Date, years = 10): SigningCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    commonName(name),
    sequence(time(notBefore), time(notAfter)),
    commonName(name),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, SHA256_WITH_RSA, der(0x03, Buffer.from([0]), signature));
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: pem('CERTIFICATE', certificate),
  };
}

/** The certificate's base64 body, as `<ds:X509Certificate>` in metadata and signatures carries it. */
export function certificateBody(certificatePem: string): string {
  return certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** A PEM certificate from the base64 body found in metadata. */
export function certificateFromBody(body: string): string {
  return pem('CERTIFICATE', Buffer.from(body.replace(/\s+/g, ''), 'base64'));
}

/** True when the private key belongs to the certificate (a stored pair that was edited is made anew). */
export function credentialsMatch(credentials: SigningCredentials): boolean {
  try {
    const fromKey = createPublicKey(createPrivateKey(credentials.privateKeyPem)).export({ type: 'spki', format: 'der' });
    const fromCertificate = createPublicKey(credentials.certificatePem).export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCertificate);
  } catch {
    return false;
  }
}
