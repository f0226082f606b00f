import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CUBBY_PALETTE,
  MANAGED_LOGIN_ASSETS,
  MANAGED_LOGIN_SETTINGS,
  toBrandingColor,
} from '../../lib/branding/managed-login.ts';
import { only, synth } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('managed-login branding', () => {
  const { template } = synth();
  const branding = only(template, 'AWS::Cognito::ManagedLoginBranding').resource.Properties;
  const settings = branding.Settings as typeof MANAGED_LOGIN_SETTINGS;

  it("is the shared definition, unchanged, in place of Cognito's default style", () => {
    expect(branding.UseCognitoProvidedValues).toBe(false);
    expect(settings).toEqual(JSON.parse(JSON.stringify(MANAGED_LOGIN_SETTINGS)));
  });

  it("follows the browser between Cubby's light and dark colours", () => {
    expect(settings.categories.global.colorSchemeMode).toBe('DYNAMIC');
    const { pageBackground, primaryButton, form, pageText } = settings.components;
    expect(pageBackground.lightMode.color).toBe(toBrandingColor(CUBBY_PALETTE.light.background));
    expect(pageBackground.darkMode.color).toBe(toBrandingColor(CUBBY_PALETTE.dark.background));
    expect(primaryButton.lightMode.defaults).toEqual({
      backgroundColor: toBrandingColor(CUBBY_PALETTE.light.accent),
      textColor: toBrandingColor(CUBBY_PALETTE.light.accentContrast),
    });
    expect(primaryButton.darkMode.defaults).toEqual({
      backgroundColor: toBrandingColor(CUBBY_PALETTE.dark.accent),
      textColor: toBrandingColor(CUBBY_PALETTE.dark.accentContrast),
    });
    expect(form.lightMode.backgroundColor).toBe(toBrandingColor(CUBBY_PALETTE.light.surface));
    expect(form.darkMode.backgroundColor).toBe(toBrandingColor(CUBBY_PALETTE.dark.surface));
    expect(pageText.darkMode.headingColor).toBe(toBrandingColor(CUBBY_PALETTE.dark.text));
  });

  it('carries the logo and both favicons, byte for byte the files the app serves', () => {
    const assets = branding.Assets as { Category: string; ColorMode: string; Extension: string; Bytes: string }[];
    expect(assets.map(({ Category, ColorMode, Extension }) => ({ Category, ColorMode, Extension }))).toEqual([
      { Category: 'FORM_LOGO', ColorMode: 'DYNAMIC', Extension: 'SVG' },
      { Category: 'FAVICON_ICO', ColorMode: 'DYNAMIC', Extension: 'ICO' },
      { Category: 'FAVICON_SVG', ColorMode: 'DYNAMIC', Extension: 'SVG' },
    ]);
    for (const [index, asset] of MANAGED_LOGIN_ASSETS.entries()) {
      expect(assets[index]?.Bytes).toBe(fs.readFileSync(path.join(ROOT, asset.file)).toString('base64'));
    }
    expect(settings.components.form.logo.enabled).toBe(true);
    expect(settings.components.favicon.enabledTypes).toEqual(['ICO', 'SVG']);
  });

  it("keeps the template small enough to deploy inline (the CLI's 50 KiB limit)", () => {
    // As cdk.out writes it (one-space indentation), the file the CLI uploads inline.
    expect(JSON.stringify(template.toJSON(), null, 1).length).toBeLessThan(50 * 1024);
  });
});
