import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverProviderMirror } from '../../tools/terraform/discover-mirror';

describe('finding a provider mirror when TF_PROVIDER_MIRROR is unset', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'mirror-search-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const provider = (...parts: string[]) =>
    mkdirSync(join(root, ...parts, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0'), { recursive: true });

  test('returns the folder that holds registry.terraform.io/hashicorp/aws', () => {
    provider('opt', 'plugins');
    expect(discoverProviderMirror(undefined, root)).toBe(join(root, 'opt', 'plugins'));
  });

  test('the shallowest mirror wins', () => {
    provider('a', 'b', 'c');
    provider('x');
    expect(discoverProviderMirror(undefined, root)).toBe(join(root, 'x'));
  });

  test('a registry folder without the AWS provider does not count', () => {
    mkdirSync(join(root, 'opt', 'registry.terraform.io', 'hashicorp', 'random', '3.0.0'), { recursive: true });
    expect(discoverProviderMirror(undefined, root)).toBeUndefined();
  });

  test('looks no deeper than asked and never inside node_modules', () => {
    provider('a', 'b', 'c');
    expect(discoverProviderMirror(undefined, root, 2)).toBeUndefined();
    rmSync(join(root, 'a'), { recursive: true });
    provider('node_modules');
    expect(discoverProviderMirror(undefined, root)).toBeUndefined();
  });
});
