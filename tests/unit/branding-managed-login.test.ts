import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageStylesheet } from '../../emulator/cognito/page-assets.ts';
import {
  brandingAsset,
  CUBBY_PALETTE,
  MANAGED_LOGIN_ASSETS,
  MANAGED_LOGIN_SETTINGS,
  toBrandingColor,
  toCssColor,
} from '../../lib/branding/managed-login.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Every `lightMode`/`darkMode` pair in the settings document, with its path. */
function modePairs(value: unknown, at = ''): { at: string; light: unknown; dark: unknown }[] {
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = 'lightMode' in record || 'darkMode' in record ? [{ at, light: record.lightMode, dark: record.darkMode }] : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => modePairs(child, `${at}.${key}`))];
}

/** Every string leaf whose key ends in `Color` or is `color`. */
function colors(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    typeof child === 'string' && /color$/i.test(key) ? [child] : colors(child),
  );
}

describe("Cubby's managed-login branding", () => {
  it("converts CSS hex to the branding document's rrggbbaa and back", () => {
    expect(toBrandingColor('#B4461F')).toBe('b4461fff');
    expect(toBrandingColor('#fff')).toBe('ffffffff');
    expect(toBrandingColor('#11223344')).toBe('11223344');
    expect(toCssColor('b4461fff')).toBe('#b4461fff');
    for (const bad of ['b4461f', '#b4461', 'red', '#gggggg']) expect(() => toBrandingColor(bad)).toThrow();
    expect(() => toCssColor('#b4461fff')).toThrow();
  });

  it('follows the browser between a light and a dark style, each complete', () => {
    expect(MANAGED_LOGIN_SETTINGS.categories.global.colorSchemeMode).toBe('DYNAMIC');
    const pairs = modePairs(MANAGED_LOGIN_SETTINGS);
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    for (const { at, light, dark } of pairs) {
      expect(light, `${at}.lightMode`).toBeDefined();
      expect(dark, `${at}.darkMode`).toBeDefined();
      expect(Object.keys(dark as object).sort(), at).toEqual(Object.keys(light as object).sort());
    }
  });

  it("writes every colour as rrggbbaa, in Cubby's palette for the page, form and button", () => {
    for (const color of colors(MANAGED_LOGIN_SETTINGS)) expect(color).toMatch(/^[0-9a-f]{8}$/);
    const { pageBackground, primaryButton, form } = MANAGED_LOGIN_SETTINGS.components;
    expect(pageBackground.lightMode.color).toBe(toBrandingColor(CUBBY_PALETTE.light.background));
    expect(pageBackground.darkMode.color).toBe(toBrandingColor(CUBBY_PALETTE.dark.background));
    expect(primaryButton.lightMode.defaults.backgroundColor).toBe(toBrandingColor(CUBBY_PALETTE.light.accent));
    expect(primaryButton.darkMode.defaults.backgroundColor).toBe(toBrandingColor(CUBBY_PALETTE.dark.accent));
    expect(form.logo.enabled).toBe(true);
    expect(pageBackground.image.enabled).toBe(false);
  });

  it("matches the app's own theme (app/globals.css), light and dark", () => {
    const css = fs.readFileSync(path.join(ROOT, 'app', 'globals.css'), 'utf8');
    const [light = '', dark = ''] = css.split('@media (prefers-color-scheme: dark)');
    const variable = (block: string, name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]+)`, 'i').exec(block)?.[1];
    for (const [palette, block] of [
      [CUBBY_PALETTE.light, light],
      [CUBBY_PALETTE.dark, dark],
    ] as const) {
      expect(palette.background).toBe(variable(block, 'bg'));
      expect(palette.surface).toBe(variable(block, 'surface'));
      expect(palette.text).toBe(variable(block, 'text'));
      expect(palette.accent).toBe(variable(block, 'accent'));
      expect(palette.accentContrast).toBe(variable(block, 'accent-contrast'));
    }
  });

  it('ships the logo and both favicons, for every colour mode, as files of their type', () => {
    expect(MANAGED_LOGIN_ASSETS.map((asset) => asset.category).sort()).toEqual(['FAVICON_ICO', 'FAVICON_SVG', 'FORM_LOGO']);
    expect(MANAGED_LOGIN_SETTINGS.components.favicon.enabledTypes).toEqual(['ICO', 'SVG']);
    for (const asset of MANAGED_LOGIN_ASSETS) {
      expect(asset.colorMode).toBe('DYNAMIC');
      const bytes = fs.readFileSync(path.join(ROOT, asset.file));
      if (asset.extension === 'ICO') expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
      else expect(bytes.toString('utf8')).toMatch(/^<svg[\s>]/);
      // Cognito takes at most 1,000,000 base64 characters per asset.
      expect(bytes.toString('base64').length).toBeLessThan(1_000_000);
    }
    expect(brandingAsset('FORM_LOGO').file).toBe('public/icon.svg');
  });

  it("renders the emulator's stylesheet from the settings: light by default, dark under prefers-color-scheme", () => {
    const css = pageStylesheet();
    const [light = '', dark = ''] = css.split('@media (prefers-color-scheme: dark)');
    const { pageBackground, primaryButton } = MANAGED_LOGIN_SETTINGS.components;
    expect(light).toContain(`--page-bg:${toCssColor(pageBackground.lightMode.color)}`);
    expect(light).toContain(`--button-bg:${toCssColor(primaryButton.lightMode.defaults.backgroundColor)}`);
    expect(dark).toContain(`--page-bg:${toCssColor(pageBackground.darkMode.color)}`);
    expect(dark).toContain(`--button-bg:${toCssColor(primaryButton.darkMode.defaults.backgroundColor)}`);
    expect(css).toContain(`border-radius:${MANAGED_LOGIN_SETTINGS.components.form.borderRadius}px`);
  });
});
