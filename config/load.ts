/**
 * Loads the config: the JSON file named by `KMS_CONFIG`, or the embedded default that mirrors the
 * console walk-through. A relative `KMS_CONFIG` is resolved against the folder the user ran npm
 * from (`INIT_CWD`, which npm sets), else the working directory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import defaultConfig from './default-config.json';
import { ConfigError, fsReason, parseOrThrow } from './errors';
import { parseJsonStrict } from './json';
import { type AppConfig, configSchema } from './schema';

/** The environment variable that names the config file. */
export const CONFIG_ENV_VAR = 'KMS_CONFIG';

/** The largest config read, in bytes: far beyond any real config, small enough to read at once. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/** Validates a config object; throws ConfigError with every problem. */
export function parseConfig(input: unknown, source = 'config'): AppConfig {
  return parseOrThrow(configSchema, input, source);
}

/** The absolute path `KMS_CONFIG` names, or undefined when it is unset (the embedded default). */
export function configPath(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string | undefined {
  const file = env[CONFIG_ENV_VAR];
  if (file === undefined || file === '') return undefined;
  return resolve(env.INIT_CWD || cwd, file);
}

/**
 * The text of a config file: regular files, pipes (`KMS_CONFIG=<(jq ...)`) and `/dev/stdin` are
 * read, up to `MAX_CONFIG_BYTES`; folders and devices are refused by name (reading `/dev/zero`
 * would never end), and so is text that is not UTF-8.
 */
export function readConfigText(path: string): string {
  const refuse = (problem: string) => new ConfigError(`${CONFIG_ENV_VAR}=${path}`, [problem]);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw refuse(`cannot read the config file: ${fsReason(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw refuse('is a folder; name a JSON file');
    if (stat.isCharacterDevice() || stat.isBlockDevice()) throw refuse('is a device, not a file; name a JSON file');
    const tooLarge = () =>
      refuse(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB (${MAX_CONFIG_BYTES} bytes), the most a config may be`);
    if (stat.isFile() && stat.size > MAX_CONFIG_BYTES) throw tooLarge();
    // Read in chunks rather than by the reported size: pipes report none, and files can grow.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw refuse(`cannot read the config file: ${fsReason(error)}`);
      }
      if (read === 0) break;
      total += read;
      if (total > MAX_CONFIG_BYTES) throw tooLarge();
      chunks.push(chunk.subarray(0, read));
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.concat(chunks));
    } catch {
      throw refuse('is not UTF-8 text');
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads and validates the config named by `KMS_CONFIG`, or the embedded default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const path = configPath(env, cwd);
  if (path === undefined) return parseConfig(defaultConfig, 'embedded default config');
  return parseConfig(parseJsonStrict(readConfigText(path), path), path);
}
