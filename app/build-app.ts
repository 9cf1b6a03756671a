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
  const stacks = config.environments.map((environment) => new EnvironmentStack(app, environment, options.layout));
  return { app, stacks };
}
