/**
 * Cubby's managed-login branding: the ONE definition of how the sign-in pages look. The deployment
 * stack (infra/) sends it to Cognito as an `AWS::Cognito::ManagedLoginBranding` (the settings
 * document plus the image assets), and the emulator renders its own managed-login pages from the
 * very same settings, so both show Cubby's logo and colours, light and dark.
 *
 * The settings follow Cognito's managed-login branding document (`categories`, `componentClasses`,
 * `components`; colours as `rrggbbaa` hex without `#`), using only members that appear in AWS's
 * documented CreateManagedLoginBranding example. Cognito keeps its defaults for every member left out.
 *
 * Pure data and pure helpers, no imports: loadable by Node's type stripping (emulator, CDK app) and
 * by the app bundle.
 */

/** A colour as Cognito's branding document writes it: `rrggbbaa`, lower-case hex, no `#`. */
export type BrandingColor = string;

/** Colours of one colour mode. */
export interface BrandingPalette {
  /** Page behind the form. */
  background: string;
  /** The form's card. */
  surface: string;
  text: string;
  muted: string;
  border: string;
  /** Primary button, links. */
  accent: string;
  /** Hover and pressed accent. */
  accentStrong: string;
  /** Text on the accent. */
  accentContrast: string;
  focus: string;
  error: string;
  errorBackground: string;
  success: string;
}

/**
 * Cubby's palette as CSS hex, the same values as the app's own light and dark themes
 * (`app/globals.css`), so signing in looks like the rest of Cubby.
 */
export const CUBBY_PALETTE: { readonly light: BrandingPalette; readonly dark: BrandingPalette } = {
  light: {
    background: '#f7f6f3',
    surface: '#ffffff',
    text: '#1c1d22',
    muted: '#5b5e68',
    border: '#dedbd3',
    accent: '#b4461f',
    accentStrong: '#943815',
    accentContrast: '#ffffff',
    focus: '#2a6df4',
    error: '#b42318',
    errorBackground: '#fdf0ee',
    success: '#1f7a35',
  },
  dark: {
    background: '#14151a',
    surface: '#1c1e25',
    text: '#ececf1',
    muted: '#a5a8b4',
    border: '#30333d',
    accent: '#f08a5d',
    accentStrong: '#f6a783',
    accentContrast: '#1b0e08',
    focus: '#8ab4ff',
    error: '#ff8a80',
    errorBackground: '#2a1513',
    success: '#5cc97a',
  },
};

/** Corner radii in pixels: form card, buttons and inputs. */
export const CUBBY_RADII = { form: 14, button: 10, input: 10 } as const;

/** `#b4461f` → `b4461fff` (opaque). Throws on anything but `#rgb`/`#rrggbb`/`#rrggbbaa`. */
export function toBrandingColor(css: string): BrandingColor {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(css);
  if (!match?.[1]) throw new Error(`not a hex colour: ${css}`);
  const hex = match[1].toLowerCase();
  if (hex.length === 3) return `${[...hex].map((digit) => digit + digit).join('')}ff`;
  return hex.length === 6 ? `${hex}ff` : hex;
}

/** `b4461fff` → `#b4461fff`, for CSS. */
export function toCssColor(color: BrandingColor): string {
  if (!/^[0-9a-f]{8}$/i.test(color)) throw new Error(`not a branding colour: ${color}`);
  return `#${color.toLowerCase()}`;
}

/** One colour mode of a component, keyed `lightMode`/`darkMode` as in the branding document. */
type ByMode<T> = { lightMode: T; darkMode: T };

interface ButtonColors {
  backgroundColor: BrandingColor;
  textColor: BrandingColor;
}

/** The members of the branding document Cubby sets (and the emulator renders). */
export interface ManagedLoginSettings {
  categories: {
    global: {
      /** `DYNAMIC`: follow the browser's light/dark preference. */
      colorSchemeMode: 'LIGHT' | 'DARK' | 'DYNAMIC';
      pageHeader: { enabled: boolean };
      pageFooter: { enabled: boolean };
      spacingDensity: 'REGULAR';
    };
    form: {
      displayGraphics: boolean;
      location: { horizontal: 'CENTER'; vertical: 'CENTER' };
      languageSelector: { enabled: boolean };
      instructions: { enabled: boolean };
      sessionTimerDisplay: 'NONE';
    };
  };
  componentClasses: {
    buttons: { borderRadius: number };
    focusState: ByMode<{ borderColor: BrandingColor }>;
    divider: ByMode<{ borderColor: BrandingColor }>;
    input: { borderRadius: number } & ByMode<{
      defaults: { backgroundColor: BrandingColor; borderColor: BrandingColor };
      placeholderColor: BrandingColor;
    }>;
    inputLabel: ByMode<{ textColor: BrandingColor }>;
    inputDescription: ByMode<{ textColor: BrandingColor }>;
    link: ByMode<{ defaults: { textColor: BrandingColor }; hover: { textColor: BrandingColor } }>;
    statusIndicator: ByMode<{
      error: { backgroundColor: BrandingColor; borderColor: BrandingColor; indicatorColor: BrandingColor };
      success: { backgroundColor: BrandingColor; borderColor: BrandingColor; indicatorColor: BrandingColor };
    }>;
  };
  components: {
    pageBackground: { image: { enabled: boolean } } & ByMode<{ color: BrandingColor }>;
    form: {
      borderRadius: number;
      backgroundImage: { enabled: boolean };
      logo: { enabled: boolean; formInclusion: 'IN'; location: 'CENTER'; position: 'TOP' };
    } & ByMode<{ backgroundColor: BrandingColor; borderColor: BrandingColor }>;
    pageText: ByMode<{ headingColor: BrandingColor; bodyColor: BrandingColor; descriptionColor: BrandingColor }>;
    primaryButton: ByMode<{ defaults: ButtonColors; hover: ButtonColors; active: ButtonColors }>;
    alert: { borderRadius: number } & ByMode<{ error: { backgroundColor: BrandingColor; borderColor: BrandingColor } }>;
    favicon: { enabledTypes: ('ICO' | 'SVG')[] };
  };
}

function byMode<T>(build: (palette: BrandingPalette) => T): ByMode<T> {
  return { lightMode: build(CUBBY_PALETTE.light), darkMode: build(CUBBY_PALETTE.dark) };
}

const c = toBrandingColor;

/** Cubby's branding document, built from {@link CUBBY_PALETTE} and {@link CUBBY_RADII}. */
export const MANAGED_LOGIN_SETTINGS: ManagedLoginSettings = {
  categories: {
    global: {
      colorSchemeMode: 'DYNAMIC',
      pageHeader: { enabled: false },
      pageFooter: { enabled: false },
      spacingDensity: 'REGULAR',
    },
    form: {
      displayGraphics: true,
      location: { horizontal: 'CENTER', vertical: 'CENTER' },
      languageSelector: { enabled: false },
      instructions: { enabled: false },
      sessionTimerDisplay: 'NONE',
    },
  },
  componentClasses: {
    buttons: { borderRadius: CUBBY_RADII.button },
    focusState: byMode((p) => ({ borderColor: c(p.focus) })),
    divider: byMode((p) => ({ borderColor: c(p.border) })),
    input: {
      borderRadius: CUBBY_RADII.input,
      ...byMode((p) => ({
        defaults: { backgroundColor: c(p.surface), borderColor: c(p.muted) },
        placeholderColor: c(p.muted),
      })),
    },
    inputLabel: byMode((p) => ({ textColor: c(p.text) })),
    inputDescription: byMode((p) => ({ textColor: c(p.muted) })),
    link: byMode((p) => ({ defaults: { textColor: c(p.accentStrong) }, hover: { textColor: c(p.accent) } })),
    statusIndicator: byMode((p) => ({
      error: { backgroundColor: c(p.errorBackground), borderColor: c(p.error), indicatorColor: c(p.error) },
      success: { backgroundColor: c(p.surface), borderColor: c(p.success), indicatorColor: c(p.success) },
    })),
  },
  components: {
    pageBackground: { image: { enabled: false }, ...byMode((p) => ({ color: c(p.background) })) },
    form: {
      borderRadius: CUBBY_RADII.form,
      backgroundImage: { enabled: false },
      logo: { enabled: true, formInclusion: 'IN', location: 'CENTER', position: 'TOP' },
      ...byMode((p) => ({ backgroundColor: c(p.surface), borderColor: c(p.border) })),
    },
    pageText: byMode((p) => ({ headingColor: c(p.text), bodyColor: c(p.text), descriptionColor: c(p.muted) })),
    primaryButton: byMode((p) => ({
      defaults: { backgroundColor: c(p.accent), textColor: c(p.accentContrast) },
      hover: { backgroundColor: c(p.accentStrong), textColor: c(p.accentContrast) },
      active: { backgroundColor: c(p.accentStrong), textColor: c(p.accentContrast) },
    })),
    alert: {
      borderRadius: CUBBY_RADII.button,
      ...byMode((p) => ({ error: { backgroundColor: c(p.errorBackground), borderColor: c(p.error) } })),
    },
    favicon: { enabledTypes: ['ICO', 'SVG'] },
  },
};

/** An image of the branding style, as Cognito's AssetType describes it. */
export interface BrandingAsset {
  category: 'FORM_LOGO' | 'FAVICON_ICO' | 'FAVICON_SVG';
  /** `DYNAMIC`: the same file in light and dark mode. */
  colorMode: 'LIGHT' | 'DARK' | 'DYNAMIC';
  extension: 'ICO' | 'SVG';
  /** The file, relative to the repository root (the app serves the same files). */
  file: string;
  /** Its media type, for serving it. */
  contentType: string;
}

/** Cubby's logo and favicons: the app's own `public/icon.svg` and `public/favicon.ico`. */
export const MANAGED_LOGIN_ASSETS: readonly BrandingAsset[] = [
  { category: 'FORM_LOGO', colorMode: 'DYNAMIC', extension: 'SVG', file: 'public/icon.svg', contentType: 'image/svg+xml' },
  { category: 'FAVICON_ICO', colorMode: 'DYNAMIC', extension: 'ICO', file: 'public/favicon.ico', contentType: 'image/x-icon' },
  { category: 'FAVICON_SVG', colorMode: 'DYNAMIC', extension: 'SVG', file: 'public/icon.svg', contentType: 'image/svg+xml' },
];

/** The asset of `category`; throws when the definition has none (a programming error). */
export function brandingAsset(category: BrandingAsset['category']): BrandingAsset {
  const asset = MANAGED_LOGIN_ASSETS.find((candidate) => candidate.category === category);
  if (!asset) throw new Error(`no ${category} asset in the managed-login branding`);
  return asset;
}
