import { describe, expect, it } from 'vitest';
import { passwordField } from '../../emulator/cognito/page-layout.ts';
import {
  failedPasswordRules,
  PASSWORD_POLICY,
  PASSWORD_RULES,
  passwordPolicyError,
  passwordPolicyPageError,
} from '../../emulator/cognito/password.ts';

describe('password rules the managed-login pages list', () => {
  it('lists every rule of the policy, in the order Cognito checks them', () => {
    expect(PASSWORD_RULES.map((rule) => [rule.id, rule.label])).toEqual([
      ['length', `At least ${PASSWORD_POLICY.MinimumLength} characters`],
      ['lowercase', 'A lower-case letter'],
      ['uppercase', 'An upper-case letter'],
      ['number', 'A number'],
    ]);
  });

  it.each([
    ['', ['length', 'lowercase', 'uppercase', 'number']],
    ['weak', ['length', 'uppercase', 'number']],
    ['WEAK', ['length', 'lowercase', 'number']],
    ['weakling', ['uppercase', 'number']],
    ['Weakling', ['number']],
    ['Weakl1ng', []],
    ['ünïcödé-Pässw0rd', []],
  ])('%j fails %j', (password, ids) => {
    expect(failedPasswordRules(password).map((rule) => rule.id)).toEqual(ids);
  });

  it('names every failed rule on the pages, and only the first through the API (as Cognito does)', () => {
    expect(passwordPolicyPageError('weak')).toBe(
      'Password did not conform with policy: Password not long enough; Password must have uppercase characters; ' +
        'Password must have numeric characters',
    );
    expect(passwordPolicyError('weak')).toBe('Password did not conform with policy: Password not long enough');
    expect(passwordPolicyPageError('Weakl1ng')).toBeNull();
  });

  it("gives the browser the server's own tests: each rule's pattern source and flags, as the page writes them", () => {
    const html = passwordField('Password', 'new');
    const written = [...html.matchAll(/data-rule="(\w+)" data-pattern="([^"]*)" data-flags="([^"]*)"/g)].map(
      ([, id, source = '', flags = '']) => ({ id, pattern: new RegExp(source, flags) }),
    );
    expect(written.map((rule) => rule.id)).toEqual(PASSWORD_RULES.map((rule) => rule.id));
    for (const password of ['', 'weak', 'Weakling', 'Weakl1ng', '1234567', 'ABCDEFGH', 'ünïcödé-Pässw0rd']) {
      for (const { id, pattern } of written) {
        const rule = PASSWORD_RULES.find((candidate) => candidate.id === id);
        expect(pattern.test(password), `${id} on ${JSON.stringify(password)}`).toBe(rule?.pattern.test(password));
      }
    }
  });

  it('puts a show-password toggle beside every password field and keeps the field names', () => {
    for (const kind of ['current', 'new'] as const) {
      const html = passwordField('Password', kind);
      expect(html).toContain('<input id="password" name="password" type="password"');
      expect(html).toMatch(
        /<button type="button" class="reveal" data-reveal="password" aria-controls="password" aria-pressed="false" hidden>Show password<\/button>/,
      );
    }
    expect(passwordField('Password', 'current')).not.toContain('data-password-rules');
  });
});
