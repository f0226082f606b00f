import packageJson from '../package.json' with { type: 'json' };

/** Cubby's version, from package.json; safe to show publicly. */
export const APP_VERSION: string = packageJson.version;
