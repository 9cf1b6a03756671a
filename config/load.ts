/**
 * Loads the config: the JSON file named by `KMS_CONFIG` (relative to the working directory), or
 * the embedded default that mirrors the console walk-through.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import defaultConfig from './default-config.json';
import { ConfigError, parseOrThrow } from './errors';
import { type AppConfig, configSchema } from './schema';

/** The environment variable that names the config file. */
export const CONFIG_ENV_VAR = 'KMS_CONFIG';

/** Validates a config object; throws ConfigError with every problem. */
export function parseConfig(input: unknown, source = 'config'): AppConfig {
  return parseOrThrow(configSchema, input, source);
}

/** Reads and validates the config named by `KMS_CONFIG`, or the embedded default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const file = env[CONFIG_ENV_VAR];
  if (file === undefined || file === '') return parseConfig(defaultConfig, 'embedded default config');
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`${CONFIG_ENV_VAR}=${file}`, [`cannot read the config file: ${reason}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(json, file);
}
