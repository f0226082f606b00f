import { randomUUID } from 'node:crypto';
import { Clock } from './clock.ts';
import type { EmulatorConfig } from './config.ts';
import { Faults } from './faults.ts';
import { StateStore } from './store/state.ts';

/** Pool behaviour that tests change at run time through `/_local/settings`. */
export interface PoolSettings {
  idTokenValiditySeconds: number;
  accessTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
  /** Cognito's refresh-token rotation: each refresh returns a new refresh token and retires the old one. */
  refreshTokenRotation: boolean;
  /** With rotation, how long a retired refresh token still works (Cognito allows 0-60 s). */
  retryGracePeriodSeconds: number;
  /** The Identity Pool's AllowUnauthenticatedIdentities. */
  allowGuests: boolean;
  /** ServerSideTokenCheck of the Identity Pool's user-pool provider (identity/providers.ts); on, as deployed. */
  serverSideTokenCheck: boolean;
  /** Life of the managed-login session cookie (Cognito: 1 hour). */
  managedLoginSessionSeconds: number;
  /** The app client's ALLOW_USER_PASSWORD_AUTH (InitiateAuth with a password); off, as deployed. */
  userPasswordAuth: boolean;
  /** The app client's ALLOW_ADMIN_USER_PASSWORD_AUTH (AdminInitiateAuth with a password); off, as deployed. */
  adminUserPasswordAuth: boolean;
  /** Managed login offers to add a passkey (`/passkeys/add`) after a password sign-in of a user without one. */
  offerPasskeyAfterSignIn: boolean;
}

export const DEFAULT_SETTINGS: PoolSettings = {
  idTokenValiditySeconds: 3600,
  accessTokenValiditySeconds: 3600,
  refreshTokenValiditySeconds: 30 * 24 * 3600,
  refreshTokenRotation: false,
  retryGracePeriodSeconds: 0,
  allowGuests: true,
  serverSideTokenCheck: true,
  managedLoginSessionSeconds: 3600,
  userPasswordAuth: false,
  adminUserPasswordAuth: false,
  offerPasskeyAfterSignIn: false,
};

export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  /** The verification or reset code the message carries, if any. */
  code: string | null;
  sentAt: string;
}

/** Everything a request handler of the emulator can reach. */
export interface EmulatorContext {
  config: EmulatorConfig;
  clock: Clock;
  faults: Faults;
  state: StateStore;
  settings: PoolSettings;
  /** Folder for object bodies (a temporary one in memory mode). */
  blobDir: string;
  /** Request counters by name (e.g. `token:refresh_token`), read and zeroed through `/_local/stats`. */
  stats: Record<string, number>;
  countRequest(name: string): void;
  /** Sends a message to the dev mailbox (`GET /_local/mailbox`). */
  sendMail(to: string, subject: string, text: string, code?: string): MailMessage;
  mailbox(to?: string): MailMessage[];
}

export function createContext(config: EmulatorConfig, blobDir: string): EmulatorContext {
  const clock = new Clock();
  const state = new StateStore(config.dataDir, config.reset);
  const mail = () => state.section<{ messages: MailMessage[] }>('mailbox', () => ({ messages: [] }));
  return {
    config,
    clock,
    faults: new Faults(),
    state,
    settings: { ...DEFAULT_SETTINGS },
    blobDir,
    stats: {},
    countRequest(name) {
      this.stats[name] = (this.stats[name] ?? 0) + 1;
    },
    sendMail(to, subject, text, code) {
      const message: MailMessage = {
        id: randomUUID(),
        to: to.toLowerCase(),
        subject,
        text,
        code: code ?? null,
        sentAt: clock.date().toISOString(),
      };
      mail().messages.push(message);
      state.changed();
      return message;
    },
    mailbox(to) {
      const messages = mail().messages;
      return to ? messages.filter((message) => message.to === to.toLowerCase()) : messages;
    },
  };
}
