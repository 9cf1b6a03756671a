/** Builds the cdktf App: one stack per environment of a validated config. */
import { App } from 'cdktf';
import type { AppConfig } from '../config/schema';
import { EnvironmentStack } from './environment-stack';

/** The app and its stacks, not yet synthesized. */
export function buildApp(config: AppConfig, outdir?: string): { app: App; stacks: EnvironmentStack[] } {
  // Stack traces in the output metadata cost time on every resource and are of no use here.
  const app = new App({ outdir, stackTraces: false });
  const stacks = config.environments.map((environment) => new EnvironmentStack(app, environment));
  return { app, stacks };
}
