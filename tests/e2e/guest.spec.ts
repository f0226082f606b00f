import { expect, test } from '@playwright/test';
import { Browser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator } from './support.ts';

test('a signed-out visitor gets one stable, sealed guest identity when the pool allows guests', async () => {
  const emulator = await e2eEmulator();
  await emulator.hook('POST', '/_local/settings', { allowGuests: true });
  await emulator.hook('DELETE', '/_local/stats');
  const visitor = new Browser();
  const first = await visitor.fetch(`${E2E_APP_URL}/`);
  expect(first.status).toBe(200);
  const guestCookie = first.headers.getSetCookie().find((line) => line.startsWith('cubby-guest='));
  expect(guestCookie).toMatch(/HttpOnly/i);
  expect(guestCookie).toMatch(/SameSite=Lax/i);
  expect(guestCookie).toMatch(/^cubby-guest=Fe26\.2\*/);
  const again = await visitor.fetch(`${E2E_APP_URL}/`);
  expect(again.headers.getSetCookie().some((line) => line.startsWith('cubby-guest='))).toBe(false);
  expect(((await emulator.hook('GET', '/_local/stats')) as Record<string, number>)['identity:GetId']).toBe(1);

  // With guest access switched off, a new visitor gets no identity and the page still works.
  await emulator.hook('POST', '/_local/settings', { allowGuests: false });
  const another = await new Browser().fetch(`${E2E_APP_URL}/`);
  expect(another.status).toBe(200);
  expect(another.headers.getSetCookie().some((line) => line.startsWith('cubby-guest='))).toBe(false);
  await emulator.hook('POST', '/_local/settings', { allowGuests: true });
});
