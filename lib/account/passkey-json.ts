/**
 * The browser half of adding a passkey, as pure functions: WebAuthn's JSON forms (W3C
 * `PublicKeyCredentialCreationOptionsJSON` / `RegistrationResponseJSON`, what Cognito's
 * StartWebAuthnRegistration returns and CompleteWebAuthnRegistration takes) to and from the
 * binary forms `navigator.credentials.create()` speaks, and the words for what can go wrong in
 * the browser. Client-safe: no imports, no auth or AWS library.
 */

/** Bytes as base64url without padding (WebAuthn's JSON encoding of binary fields). */
export function bytesToBase64Url(bytes: ArrayBuffer | ArrayBufferView): string {
  const view =
    bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The bytes of a base64url string (padding optional).
 * @throws {TypeError} when `text` is not base64url (e.g. `+`, `/`, spaces, a length of 4n+1).
 */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new TypeError('not base64url');
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) throw new TypeError('not base64url');
  const binary = atob(
    bare
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(bare.length / 4) * 4, '='),
  );
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * The options `navigator.credentials.create({ publicKey })` takes, from their JSON form: the
 * challenge, the user handle and the ids of credentials to exclude become bytes; everything else
 * is passed through as it came.
 * @throws {TypeError} when a binary field is not base64url.
 */
export function creationOptionsFromJson(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions {
  const { challenge, user, excludeCredentials, ...rest } = json;
  return {
    ...(rest as Omit<PublicKeyCredentialCreationOptions, 'challenge' | 'user' | 'excludeCredentials'>),
    challenge: base64UrlToBytes(challenge),
    user: { ...user, id: base64UrlToBytes(user.id) },
    ...(excludeCredentials
      ? {
          excludeCredentials: excludeCredentials.map(
            (credential): PublicKeyCredentialDescriptor => ({
              type: credential.type as PublicKeyCredentialType,
              id: base64UrlToBytes(credential.id),
              ...(credential.transports ? { transports: credential.transports as AuthenticatorTransport[] } : {}),
            }),
          ),
        }
      : {}),
  };
}

/**
 * What `navigator.credentials.create()` resolves with, as far as registration needs it (a
 * `PublicKeyCredential` whose response is an `AuthenticatorAttestationResponse`).
 */
export interface CreatedCredential {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject: ArrayBuffer;
    getTransports?: () => string[];
    getAuthenticatorData?: () => ArrayBuffer;
    getPublicKey?: () => ArrayBuffer | null;
    getPublicKeyAlgorithm?: () => number;
  };
  getClientExtensionResults: () => AuthenticationExtensionsClientOutputs;
}

/**
 * The new credential in `RegistrationResponseJSON` form, for CompleteWebAuthnRegistration: id,
 * rawId, the attestation response's clientDataJSON and attestationObject (base64url), its
 * transports, and, when the browser offers them, authenticatorData, publicKey and its algorithm;
 * the type, client extension results and authenticator attachment.
 */
export function registrationToJson(credential: CreatedCredential): RegistrationResponseJSON {
  const { response } = credential;
  const publicKey = response.getPublicKey?.() ?? null;
  const algorithm = response.getPublicKeyAlgorithm?.();
  const authenticatorData = response.getAuthenticatorData?.();
  // Browsers without the newer getters leave those fields out: the server reads the same facts from the attestation object.
  const attestation = {
    clientDataJSON: bytesToBase64Url(response.clientDataJSON),
    attestationObject: bytesToBase64Url(response.attestationObject),
    transports: response.getTransports?.() ?? [],
    ...(authenticatorData ? { authenticatorData: bytesToBase64Url(authenticatorData) } : {}),
    ...(publicKey ? { publicKey: bytesToBase64Url(publicKey) } : {}),
    ...(algorithm === undefined ? {} : { publicKeyAlgorithm: algorithm }),
  } as AuthenticatorAttestationResponseJSON;
  return {
    id: credential.id,
    rawId: bytesToBase64Url(credential.rawId),
    type: credential.type,
    response: attestation,
    clientExtensionResults: credential.getClientExtensionResults() as AuthenticationExtensionsClientOutputsJSON,
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
  };
}

/** What a person reads when this browser cannot make passkeys at all. */
export const NO_WEBAUTHN_MESSAGE =
  'This browser cannot create passkeys. Try a current version of Chrome, Edge, Firefox or Safari, or another device.';

/**
 * Friendly words for a failed `navigator.credentials.create()` (a DOMException by its name):
 * cancelled or timed out, a passkey for this account already on the authenticator, an address
 * passkeys may not be used on, an authenticator that supports none of the algorithms; anything
 * else asks to try again.
 */
export function passkeyErrorMessage(error: unknown): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'No passkey was added: the request was cancelled or timed out. Try again when you are ready.';
    case 'InvalidStateError':
      return 'This device already holds a passkey for your account. Use another device or security key.';
    case 'SecurityError':
      return 'Passkeys cannot be created on this address. Open Cubby at its usual address and try again.';
    case 'NotSupportedError':
      return 'Your device or security key does not support the kind of passkey Cubby asks for. Try another one.';
    default:
      return 'The passkey could not be created. Please try again.';
  }
}
