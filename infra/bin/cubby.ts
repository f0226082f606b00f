/**
 * The CDK app (cdk.json runs `node bin/cubby.ts` on Node 24's type stripping). Parameters come
 * from `-c name=value` or CUBBY_* variables (see infra/README.md); bad ones end the run with one
 * message listing every problem.
 */
import fs from 'node:fs';
import { App } from 'aws-cdk-lib';
import { CubbyStack } from '../lib/cubby-stack.ts';
import { ParamsError, readParams } from '../lib/params.ts';

const app = new App();
try {
  const readFile = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const { params, exampleUsed } = readParams({ context: (key) => app.node.tryGetContext(key), env: process.env, readFile });
  if (exampleUsed.length > 0) {
    console.error(`Example values for ${exampleUsed.join(', ')}: fine for synth, set real ones before deploying.`);
  }
  new CubbyStack(app, params);
  app.synth();
} catch (error) {
  if (!(error instanceof ParamsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
