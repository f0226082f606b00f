/**
 * The root's door to infra/ (its own package, so the app's install stays lean):
 * - `node scripts/infra.ts synth` (`npm run synth`): prints the CloudFormation template;
 * - `node scripts/infra.ts test` (`npm run test:infra`): infra's vitest, then a synth that must succeed.
 * Both first run `npm ci` in infra/ when its node_modules is missing or older than its lockfile.
 * The test run is hermetic: no AWS credentials, profile or CUBBY_* parameter of the caller reaches it,
 * so it works offline and gives the same template everywhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const INFRA = path.join(import.meta.dirname, '..', 'infra');
const REPORT = path.join(import.meta.dirname, '..', '.reports', 'infra.json');
const TEMPLATE = path.join(INFRA, 'cdk.out', 'Cubby.template.json');

/** Runs npm in infra/; exits with its status when it fails. `quiet` sends its stdout to stderr, so stdout stays the template. */
function npm(args: string[], env: NodeJS.ProcessEnv = process.env, quiet = false): void {
  const result = spawnSync('npm', args, { cwd: INFRA, env, stdio: quiet ? ['inherit', 2, 2] : 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** True when infra/node_modules is missing or predates infra/package-lock.json. */
function installNeeded(): boolean {
  const installed = path.join(INFRA, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) return true;
  return fs.statSync(installed).mtimeMs < fs.statSync(path.join(INFRA, 'package-lock.json')).mtimeMs;
}

/** The caller's environment without AWS credentials, profiles, region or CUBBY_* parameters. */
function hermeticEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(AWS_|CDK_DEFAULT_|CUBBY_)/.test(name)) delete env[name];
  const nowhere = path.join(INFRA, 'cdk.out', 'no-aws-config');
  return { ...env, AWS_CONFIG_FILE: nowhere, AWS_SHARED_CREDENTIALS_FILE: nowhere, AWS_EC2_METADATA_DISABLED: 'true' };
}

const command = process.argv[2];
if (command !== 'synth' && command !== 'test') {
  console.error('usage: node scripts/infra.ts synth|test');
  process.exit(2);
}

if (installNeeded()) {
  console.error('--- npm ci in infra/');
  npm(['ci', '--no-audit', '--no-fund'], process.env, true);
}

if (command === 'synth') {
  npm(['run', '--silent', 'synth']);
} else {
  const env = hermeticEnv();
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  npm(['test', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`], env);
  npm(['run', '--silent', 'synth', '--', '--quiet'], env);
  const template = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as { Resources: object; Outputs: object };
  const resources = Object.keys(template.Resources).length;
  const outputs = Object.keys(template.Outputs).length;
  console.log(`infra synth: ${fs.statSync(TEMPLATE).size} bytes, ${resources} resources, ${outputs} outputs`);
}
