/**
 * Reading the config file never crashes, never hangs and never silently drops part of it
 * (docs/safety.md, "Never crash, never hang"): duplicate keys, syntax errors, deep nesting, byte
 * order marks, folders, devices, oversized files and pipes, and where a relative KMS_CONFIG points.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config';
import { configPath, MAX_CONFIG_BYTES, readConfigText } from '../../config/load';
import { MAX_JSON_DEPTH, parseJsonStrict } from '../../config/json';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kms-reading-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const VALID = { environments: { prod: { region: 'eu-west-1', key: { alias: 'app' } } } };

function problemsOf(run: () => unknown): { source: string; problems: readonly string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return { source: error.source, problems: error.problems };
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('duplicate keys are refused with line and column', () => {
  test('two environments of the same name: both named, nothing kept silently', () => {
    const text = [
      '{',
      '  "environments": {',
      '    "prod": { "region": "eu-west-1", "key": { "alias": "a" } },',
      '    "prod": { "region": "eu-west-2", "key": { "alias": "b" } }',
      '  }',
      '}',
    ].join('\n');
    expect(problemsOf(() => parseJsonStrict(text, 'kms.json'))).toEqual({
      source: 'kms.json',
      problems: [
        'environments.prod: appears twice (line 3, then line 4, column 5); JSON.parse would silently keep the last one, so remove one',
      ],
    });
  });

  test('every duplicate is reported, at any depth, also for keys that need quoting', () => {
    const text = '{"environments":{"p":{"key":{"alias":"a","alias":"b"},"tags":{"Cost Center":"1","Cost Center":"2"}}}}';
    expect(problemsOf(() => parseJsonStrict(text, 'kms.json')).problems).toEqual([
      'environments.p.key.alias: appears twice (line 1, then line 1, column 42); JSON.parse would silently keep the last one, so remove one',
      'environments.p.tags["Cost Center"]: appears twice (line 1, then line 1, column 81); JSON.parse would silently keep the last one, so remove one',
    ]);
  });
});

describe('syntax errors give line and column', () => {
  test.each([
    ['{ "environments": ', 'not valid JSON at line 1, column 19: Unexpected end of input found.'],
    ['{\n  "environments": {},\n}', 'not valid JSON at line 3, column 1: Unexpected "}" found.'],
    ['{\n  "a": tru\n}', "not valid JSON at line 2, column 8: Unexpected identifier 'tru' found."],
    ['', 'not valid JSON at line 1, column 1: Unexpected end of input found.'],
  ])('%j', (text, message) => {
    expect(problemsOf(() => parseJsonStrict(text, 'kms.json')).problems).toEqual([message]);
  });
});

describe('never crash, never hang', () => {
  test('deeply nested JSON is refused before parsing', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(problemsOf(() => parseJsonStrict(deep, 'kms.json')).problems).toEqual([
      `not valid config JSON: nested more than ${MAX_JSON_DEPTH} levels deep at line 1, column ${MAX_JSON_DEPTH + 1}`,
    ]);
    // Brackets inside strings do not count.
    expect(parseJsonStrict(JSON.stringify({ a: '['.repeat(1000) }), 'kms.json')).toEqual({ a: '['.repeat(1000) });
  });

  test('a UTF-8 byte order mark is accepted', () => {
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(VALID)}`);
    expect(loadConfig({ KMS_CONFIG: 'bom.json' }, dir).environments[0].name).toBe('prod');
  });

  test('__proto__ is kept as an ordinary key', () => {
    const value = parseJsonStrict('{"tags":{"__proto__":"x","Team":"y"}}', 'kms.json') as { tags: Record<string, string> };
    expect(Object.keys(value.tags)).toEqual(['__proto__', 'Team']);
    expect(Object.getPrototypeOf(value.tags)).toBe(Object.prototype);
  });

  test('KMS_CONFIG naming a folder is refused by name', () => {
    mkdirSync(join(dir, 'conf'));
    expect(problemsOf(() => loadConfig({ KMS_CONFIG: 'conf' }, dir))).toEqual({
      source: `KMS_CONFIG=${join(dir, 'conf')}`,
      problems: ['is a folder; name a JSON file'],
    });
  });

  test('KMS_CONFIG naming a device is refused without reading it (/dev/zero would never end)', () => {
    expect(problemsOf(() => loadConfig({ KMS_CONFIG: '/dev/zero' }, dir))).toEqual({
      source: 'KMS_CONFIG=/dev/zero',
      problems: ['is a device, not a file; name a JSON file'],
    });
  });

  test('a missing file names the resolved path', () => {
    expect(problemsOf(() => loadConfig({ KMS_CONFIG: 'nope.json' }, dir))).toEqual({
      source: `KMS_CONFIG=${join(dir, 'nope.json')}`,
      problems: ['cannot read the config file: no such file'],
    });
  });

  test('a file larger than 10 MB is refused, naming the limit', () => {
    writeFileSync(join(dir, 'big.json'), ' '.repeat(MAX_CONFIG_BYTES + 1));
    expect(problemsOf(() => readConfigText(join(dir, 'big.json'))).problems).toEqual([
      `is larger than 10 MB (${MAX_CONFIG_BYTES} bytes), the most a config may be`,
    ]);
    writeFileSync(join(dir, 'edge.json'), ' '.repeat(MAX_CONFIG_BYTES));
    expect(readConfigText(join(dir, 'edge.json'))).toHaveLength(MAX_CONFIG_BYTES);
  });

  test('text that is not UTF-8 is refused', () => {
    writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
    expect(problemsOf(() => readConfigText(join(dir, 'latin1.json'))).problems).toEqual(['is not UTF-8 text']);
  });

  test('a pipe works (KMS_CONFIG=<(jq ...)), and a pipe larger than 10 MB is refused', () => {
    // A shell writes into a FIFO, as a process substitution does; this process reads it.
    const throughPipe = (producer: string) => {
      const fifo = join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const writer = spawn('sh', ['-c', `${producer} > ${fifo}`], { stdio: 'ignore' });
      try {
        return readConfigText(fifo);
      } finally {
        writer.kill();
      }
    };
    expect(JSON.parse(throughPipe(`printf '%s' '${JSON.stringify(VALID)}'`))).toEqual(VALID);
    expect(problemsOf(() => throughPipe(`head -c ${MAX_CONFIG_BYTES + 10} /dev/zero | tr '\\0' ' '`)).problems).toEqual([
      `is larger than 10 MB (${MAX_CONFIG_BYTES} bytes), the most a config may be`,
    ]);
  });
});

describe('a relative KMS_CONFIG is resolved where the user ran npm', () => {
  test('INIT_CWD (set by npm) first, else the working directory', () => {
    expect(configPath({ KMS_CONFIG: 'kms.json', INIT_CWD: '/home/me/project/sub' }, '/home/me/project')).toBe(
      '/home/me/project/sub/kms.json',
    );
    expect(configPath({ KMS_CONFIG: 'kms.json' }, '/home/me/project')).toBe('/home/me/project/kms.json');
    expect(configPath({ KMS_CONFIG: '/etc/kms.json', INIT_CWD: '/x' }, '/y')).toBe('/etc/kms.json');
    expect(configPath({}, '/y')).toBeUndefined();
  });
});
