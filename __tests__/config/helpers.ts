/** Shared by the config tests: the problems a config is refused with. */
import { ConfigError, parseConfig } from '../../config';

/** Every problem `parseConfig` names for `config`; fails the test when the config is accepted. */
export function problems(config: unknown): string[] {
  try {
    parseConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}
