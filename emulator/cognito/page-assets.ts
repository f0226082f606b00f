import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { type BrandingAsset, brandingAsset, MANAGED_LOGIN_SETTINGS, toCssColor } from '../../lib/branding/managed-login.ts';

/**
 * The managed-login pages' static files, served from the emulator's origin as Cognito serves its
 * own: a stylesheet rendered from Cubby's branding settings (lib/branding/managed-login.ts), the
 * pages' one script, the form logo and the favicons from the branding's assets. External files only,
 * so the pages' Content-Security-Policy needs no inline script or style.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Where the pages find their files. */
export const PAGE_ASSETS = {
  style: '/managed-login/style.css',
  script: '/managed-login/script.js',
  logo: '/managed-login/logo.svg',
  faviconSvg: '/managed-login/favicon.svg',
  faviconIco: '/favicon.ico',
} as const;

type Mode = 'lightMode' | 'darkMode';

/** The CSS custom properties of one colour mode, each read from the branding settings. */
function modeVariables(mode: Mode): string {
  const { components: k, componentClasses: cc } = MANAGED_LOGIN_SETTINGS;
  const colors: Record<string, string> = {
    'page-bg': k.pageBackground[mode].color,
    'form-bg': k.form[mode].backgroundColor,
    'form-border': k.form[mode].borderColor,
    heading: k.pageText[mode].headingColor,
    body: k.pageText[mode].bodyColor,
    description: k.pageText[mode].descriptionColor,
    'input-bg': cc.input[mode].defaults.backgroundColor,
    'input-border': cc.input[mode].defaults.borderColor,
    placeholder: cc.input[mode].placeholderColor,
    label: cc.inputLabel[mode].textColor,
    'input-description': cc.inputDescription[mode].textColor,
    link: cc.link[mode].defaults.textColor,
    'link-hover': cc.link[mode].hover.textColor,
    focus: cc.focusState[mode].borderColor,
    divider: cc.divider[mode].borderColor,
    'button-bg': k.primaryButton[mode].defaults.backgroundColor,
    'button-text': k.primaryButton[mode].defaults.textColor,
    'button-hover-bg': k.primaryButton[mode].hover.backgroundColor,
    'button-hover-text': k.primaryButton[mode].hover.textColor,
    'button-active-bg': k.primaryButton[mode].active.backgroundColor,
    'button-active-text': k.primaryButton[mode].active.textColor,
    'alert-bg': k.alert[mode].error.backgroundColor,
    'alert-border': k.alert[mode].error.borderColor,
    error: cc.statusIndicator[mode].error.indicatorColor,
    success: cc.statusIndicator[mode].success.indicatorColor,
  };
  return Object.entries(colors)
    .map(([name, color]) => `--${name}:${toCssColor(color)}`)
    .join(';');
}

/** `:root` variables for the settings' colour scheme: light, dark, or both by `prefers-color-scheme`. */
function colorSchemeCss(): string {
  const scheme = MANAGED_LOGIN_SETTINGS.categories.global.colorSchemeMode;
  if (scheme === 'LIGHT') return `:root{color-scheme:light;${modeVariables('lightMode')}}`;
  if (scheme === 'DARK') return `:root{color-scheme:dark;${modeVariables('darkMode')}}`;
  return `:root{color-scheme:light dark;${modeVariables('lightMode')}}@media (prefers-color-scheme: dark){:root{${modeVariables('darkMode')}}}`;
}

/** The pages' stylesheet: the branding's colours and radii over a fixed layout. */
export function pageStylesheet(): string {
  const { components, componentClasses } = MANAGED_LOGIN_SETTINGS;
  return `${colorSchemeCss()}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1rem;background:var(--page-bg);color:var(--body);font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5}
main{width:100%;max-width:25rem;background:var(--form-bg);border:1px solid var(--form-border);border-radius:${components.form.borderRadius}px;padding:2rem}
.logo{display:block;margin:0 auto 1rem}
h1{font-size:1.4rem;margin:0 0 1rem;text-align:center;color:var(--heading)}
p{margin:.75rem 0}
label{display:block;font-weight:600;margin:1rem 0 .25rem;color:var(--label)}
input{width:100%;padding:.6rem .7rem;border:1px solid var(--input-border);border-radius:${componentClasses.input.borderRadius}px;font-size:1rem;background:var(--input-bg);color:var(--body)}
input::placeholder{color:var(--placeholder)}
.password-field{display:flex;gap:.5rem;align-items:stretch}
.password-field input{flex:1;min-width:0}
button{font:inherit;cursor:pointer}
button[type=submit]{margin-top:1.25rem;width:100%;padding:.7rem;border:0;border-radius:${componentClasses.buttons.borderRadius}px;background:var(--button-bg);color:var(--button-text);font-weight:600}
button[type=submit]:hover{background:var(--button-hover-bg);color:var(--button-hover-text)}
button[type=submit]:active{background:var(--button-active-bg);color:var(--button-active-text)}
button.reveal{flex:none;padding:0 .75rem;border:1px solid var(--input-border);border-radius:${componentClasses.input.borderRadius}px;background:var(--input-bg);color:var(--link);font-size:.9rem;white-space:nowrap}
button.reveal[aria-pressed=true]{background:var(--link);color:var(--input-bg)}
button.link{background:none;border:0;padding:0;color:var(--link);text-decoration:underline}
a{color:var(--link)}a:hover,button.link:hover{color:var(--link-hover)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.error{color:var(--body);background:var(--alert-bg);border:1px solid var(--alert-border);border-left-width:4px;padding:.6rem .75rem;border-radius:${components.alert.borderRadius}px}
.notice{border:1px solid var(--divider);padding:.6rem .75rem;border-radius:${components.alert.borderRadius}px}
.hint{font-size:.9rem;color:var(--input-description)}
.rules{margin:.5rem 0 0}.rules p{margin:0 0 .25rem}
.rules ul{list-style:none;margin:0;padding:0;font-size:.9rem;color:var(--input-description)}
.rules li{display:flex;gap:.45rem;align-items:baseline}
.rules li::before{content:"○";width:1em;text-align:center}
.rules li[data-met=true]{color:var(--success)}.rules li[data-met=true]::before{content:"✓";font-weight:700}
.mailbox{border:1px dashed var(--divider);padding:.6rem .75rem;border-radius:${components.alert.borderRadius}px;font-size:.95rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
nav{margin-top:1.5rem;display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;border-top:1px solid var(--divider);padding-top:1rem}
`;
}

/**
 * The pages' script: show-password toggles and the live password-rule list. Each rule's test is
 * the `data-pattern` the server wrote from password.ts, so the browser and the server agree.
 */
export const PAGE_SCRIPT = `'use strict';
for (const button of document.querySelectorAll('button[data-reveal]')) {
  const input = document.getElementById(button.dataset.reveal);
  if (!input) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.setAttribute('aria-pressed', String(show));
    input.focus();
  });
}
for (const list of document.querySelectorAll('[data-password-rules]')) {
  const input = document.getElementById(list.dataset.passwordRules);
  if (!input) continue;
  const rules = [...list.querySelectorAll('li[data-pattern]')].map((item) => ({
    item,
    pattern: new RegExp(item.dataset.pattern, item.dataset.flags || ''),
    state: item.querySelector('.rule-state'),
  }));
  const update = () => {
    for (const { item, pattern, state } of rules) {
      const met = pattern.test(input.value);
      item.dataset.met = String(met);
      if (state) state.textContent = met ? ' (done)' : ' (not yet)';
    }
  };
  input.addEventListener('input', update);
  update();
}
`;

let stylesheet: string | undefined;
const files = new Map<string, Buffer>();

function assetFile(asset: BrandingAsset): Buffer {
  let bytes = files.get(asset.file);
  if (!bytes) {
    bytes = fs.readFileSync(path.join(ROOT, asset.file));
    files.set(asset.file, bytes);
  }
  return bytes;
}

function send(res: ServerResponse, contentType: string, body: string | Buffer): void {
  res.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Answers `GET` (and `HEAD`) for the files in {@link PAGE_ASSETS}; false for anything else. */
export function handlePageAssets(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const image = (category: BrandingAsset['category']) => {
    const asset = brandingAsset(category);
    send(res, asset.contentType, assetFile(asset));
  };
  switch (url.pathname) {
    case PAGE_ASSETS.style:
      stylesheet ??= pageStylesheet();
      send(res, 'text/css; charset=utf-8', stylesheet);
      return true;
    case PAGE_ASSETS.script:
      send(res, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
      return true;
    case PAGE_ASSETS.logo:
      image('FORM_LOGO');
      return true;
    case PAGE_ASSETS.faviconSvg:
      image('FAVICON_SVG');
      return true;
    case PAGE_ASSETS.faviconIco:
      image('FAVICON_ICO');
      return true;
    default:
      return false;
  }
}
