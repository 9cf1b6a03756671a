/** Builds the cdktf App: one stack per environment of a validated config. */
import { App } from 'cdktf';
import type { AppConfig } from '../config/schema';
import { EnvironmentStack } from './environment-stack';
import type { OutputLayout } from './project';

/** Where the app's output goes. */
export interface BuildOptions {
  /** The project and the output folder Terraform will run in; local state paths are computed from them. */
  readonly layout: OutputLayout;
  /**
   * The folder cdktf writes into. `npm run synth` writes into a staging folder and moves the files
   * into `layout.outdir` afterwards.
   * @default layout.outdir
   */
  readonly synthDir?: string;
}

/** The app and its stacks, not yet synthesized. */
export function buildApp(config: AppConfig, options: BuildOptions): { app: App; stacks: EnvironmentStack[] } {
  // Stack traces in the output metadata cost time on every resource and are of no use here.
  const app = new App({ outdir: options.synthDir ?? options.layout.outdir, stackTraces: false });
  acceptAnyStackName(app);
  const stacks = config.environments.map((environment) => new EnvironmentStack(app, environment, options.layout));
  return { app, stacks };
}

/**
 * Environment names such as `constructor` or `toString` are valid, but `constructs` (its children)
 * and cdktf (its manifest) keep stacks in plain objects and look names up with `obj[name]`, which
 * finds `Object.prototype`'s members: the first refuses the stack as a duplicate, the second
 * returns `Object` as the stack's manifest. Giving both tables no prototype, before any stack is
 * added, makes every name an ordinary key. Checked by the tests with such names
 * (`__tests__/app/app.test.ts`); both fields are internal to constructs 10.4 and cdktf 0.21.
 */
function acceptAnyStackName(app: App): void {
  const node = app.node as unknown as { _children?: Record<string, unknown> };
  const manifest = app.manifest as unknown as { stacks?: Record<string, unknown> };
  if (typeof node._children !== 'object' || typeof manifest.stacks !== 'object') {
    throw new Error('internal: constructs or cdktf no longer keep children and stacks where this app expects them (app/build-app.ts)');
  }
  node._children = Object.create(null) as Record<string, unknown>;
  manifest.stacks = Object.create(null) as Record<string, unknown>;
}
