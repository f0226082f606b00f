import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  certificateBody,
  certificateFromBody,
  createSigningCredentials,
  credentialsMatch,
} from '../../emulator/idp/saml-certificate.ts';

describe('the emulated SAML IdP signing certificate', () => {
  const notBefore = new Date('2026-03-01T12:00:00.000Z');
  const credentials = createSigningCredentials('Globex emulated SAML IdP', notBefore);
  const certificate = new X509Certificate(credentials.certificatePem);

  it('is a self-signed X.509 certificate node:crypto parses and verifies', () => {
    expect(certificate.subject).toBe('CN=Globex emulated SAML IdP');
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('belongs to the private key made with it', () => {
    expect(certificate.checkPrivateKey(createPrivateKey(credentials.privateKeyPem))).toBe(true);
    expect(credentialsMatch(credentials)).toBe(true);
    const other = createSigningCredentials('Other', notBefore);
    expect(credentialsMatch({ privateKeyPem: other.privateKeyPem, certificatePem: credentials.certificatePem })).toBe(false);
    expect(credentialsMatch({ privateKeyPem: 'not a key', certificatePem: credentials.certificatePem })).toBe(false);
  });

  it('is valid from notBefore for ten years (UTCTime before 2050, GeneralizedTime after)', () => {
    expect(new Date(certificate.validFrom).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2036-03-01T12:00:00.000Z');
    const late = new X509Certificate(createSigningCredentials('Late', new Date('2045-06-01T00:00:00Z')).certificatePem);
    expect(new Date(late.validTo).toISOString()).toBe('2055-06-01T00:00:00.000Z');
    expect(late.verify(late.publicKey)).toBe(true);
  });

  it('gets a new serial number each time', () => {
    expect(createSigningCredentials('A', notBefore).certificatePem).not.toBe(
      createSigningCredentials('A', notBefore).certificatePem,
    );
    expect(certificate.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it('round-trips through the base64 body metadata carries', () => {
    const body = certificateBody(credentials.certificatePem);
    expect(body).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(certificateFromBody(body)).toBe(credentials.certificatePem);
    expect(certificateFromBody(`\n  ${body.slice(0, 40)}\n  ${body.slice(40)}\n`)).toBe(credentials.certificatePem);
  });
});
