/** Builds the cdktf App: one stack per environment of a validated config. */
import { App } from 'cdktf';
import type { AppConfig } from '../config/schema';
import { EnvironmentStack } from './environment-stack';
import { type OutputFormat, STACK_FILE, withCdktfOutputFormat } from './output-format';
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
  /**
   * What each stack folder gets: Terraform JSON (`cdk.tf.json`) or HCL (`cdk.tf`). Only
   * `npm run synth -- --hcl` asks for HCL; the `SYNTH_HCL_OUTPUT` of the environment is ignored.
   * @default 'json'
   */
  readonly format?: OutputFormat;
}

/** The app and its stacks, not yet synthesized. */
export function buildApp(config: AppConfig, options: BuildOptions): { app: App; stacks: EnvironmentStack[] } {
  const format = options.format ?? 'json';
  // cdktf reads its format switch from process.env in these constructors only (output-format.ts).
  const built = withCdktfOutputFormat(format, () => {
    // Stack traces in the output metadata cost time on every resource and are of no use here.
    const app = new App({ outdir: options.synthDir ?? options.layout.outdir, stackTraces: false, hclOutput: format === 'hcl' });
    acceptAnyStackName(app);
    const stacks = config.environments.map((environment) => new EnvironmentStack(app, environment, options.layout));
    return { app, stacks };
  });
  checkFormat(built.app, built.stacks, format);
  return built;
}

/**
 * The file name and the renderer cdktf settled on must both be `format`'s: a cdktf that read its
 * switch elsewhere or with other rules would otherwise write HCL into `cdk.tf.json` or JSON into
 * `cdk.tf`. Both fields are internal to cdktf 0.21 (`Manifest.stackFileName`,
 * `StackSynthesizer.hclOutput`).
 */
function checkFormat(app: App, stacks: readonly EnvironmentStack[], format: OutputFormat): void {
  const fileName = (app.manifest as unknown as { stackFileName?: unknown }).stackFileName;
  const renderers = stacks.map((stack) => (stack.synthesizer as unknown as { hclOutput?: unknown }).hclOutput);
  if (fileName !== STACK_FILE[format] || renderers.some((hcl) => hcl !== (format === 'hcl'))) {
    throw new Error(
      `internal: cdktf was asked for ${STACK_FILE[format]} but would write ${String(fileName)} with ` +
        `${renderers.map((hcl) => (hcl ? 'HCL' : 'JSON')).join(', ')} stacks (app/build-app.ts, app/output-format.ts)`,
    );
  }
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
