/**
 * Local state paths are normalised and confined before anything is compared or written, and
 * environments that would share a state or a stack folder are refused (docs/safety.md).
 */
import { parseConfig } from '../../config';
import { problems } from './helpers';
import { normalizeStatePath, stateCollision } from '../../config/state-path';

type Json = Record<string, unknown>;

const env = (name: string, backend?: Json): Json => ({
  region: 'eu-west-1',
  accountId: '111122223333',
  key: { alias: `${name}-key` },
  ...(backend ? { backend } : {}),
});
const local = (path: string) => ({ type: 'local', path });

describe('confined, normalised local state', () => {
  test.each([
    ['sub/../x.tfstate', 'x.tfstate'],
    ['./x.tfstate', 'x.tfstate'],
    ['state//p.tfstate', 'state/p.tfstate'],
    ['state/./prod/../p.tfstate', 'state/p.tfstate'],
    ['cdktf.output/p.tfstate', 'cdktf.output/p.tfstate'],
  ])('%j is kept as %j', (input, normalized) => {
    expect(normalizeStatePath(input)).toEqual({ path: normalized });
    const [prod] = parseConfig({ environments: { prod: env('prod', local(input)) } }).environments;
    expect(prod.backend).toEqual({ type: 'local', path: normalized });
  });

  test.each([
    ['../../etc/x', '"../../etc/x" leaves the project folder (it resolves to "../../etc/x"); state must stay inside the project'],
    [
      'state/../../x.tfstate',
      '"state/../../x.tfstate" leaves the project folder (it resolves to "../x.tfstate"); state must stay inside the project',
    ],
    ['.', '"." names a folder, not a file; give a file name such as "state/prod.tfstate"'],
    ['state/', '"state/" names a folder, not a file; give a file name such as "state/prod.tfstate"'],
    ['state/..', '"state/.." names a folder, not a file; give a file name such as "state/prod.tfstate"'],
    [
      'cdktf.out/stacks/old/terraform.tfstate',
      '"cdktf.out/stacks/old/terraform.tfstate" is inside cdktf.out, which synth rewrites; keep state outside it, e.g. "state/<environment>.tfstate"',
    ],
    [
      'x/../CDKTF.OUT/p.tfstate',
      '"x/../CDKTF.OUT/p.tfstate" is inside cdktf.out, which synth rewrites; keep state outside it, e.g. "state/<environment>.tfstate"',
    ],
    ['cdktf.out', '"cdktf.out" names the cdktf.out folder, not a file'],
    ['node_modules/p.tfstate', '"node_modules/p.tfstate" is inside node_modules, which `npm ci` deletes; keep state outside it'],
    ['/var/state.tfstate', '"/var/state.tfstate" is an absolute path; give a path relative to the project root'],
    ['C:/state.tfstate', '"C:/state.tfstate" is an absolute path; give a path relative to the project root'],
    ['state\\p.tfstate', '"state\\\\p.tfstate" contains "\\"; separate folders with "/" so the output works on every machine'],
    ['p\u0000.tfstate', '"p\\u0000.tfstate" contains a control character'],
    ['', 'must not be empty; give a file name such as "state/prod.tfstate"'],
    ['a'.repeat(1025), 'is 1025 characters long; at most 1024 are allowed'],
  ])('%j is refused', (input, message) => {
    expect(normalizeStatePath(input)).toEqual({ problem: message });
    expect(problems({ environments: { prod: env('prod', local(input)) } })).toEqual([`environments.prod.backend.path: ${message}`]);
  });

  test('a path that is not a string is refused with its type', () => {
    expect(problems({ environments: { prod: env('prod', local(7 as unknown as string)) } })).toEqual([
      'environments.prod.backend.path: expected a string, got 7',
    ]);
  });
});

describe('two environments never share a state', () => {
  test.each([
    ['sub/../x.tfstate', 'x.tfstate', 'keeps its state in "x.tfstate", the state file of environment "a"'],
    ['state//p.tfstate', 'state/p.tfstate', 'keeps its state in "state/p.tfstate", the state file of environment "a"'],
    [
      'State/P.tfstate',
      'state/p.tfstate',
      'keeps its state in "state/p.tfstate", which is "State/P.tfstate" on file systems that ignore case (macOS, Windows), the state file of environment "a"',
    ],
    [
      'p.tfstate',
      'p.tfstate/q.tfstate',
      'keeps its state in "p.tfstate/q.tfstate", which would need "p.tfstate" to be both a file and a folder: the state file of environment "a"',
    ],
    [
      'p.tfstate',
      'p.tfstate.backup',
      'keeps its state in "p.tfstate.backup", the name Terraform gives the backup of "p.tfstate", the state file of environment "a"',
    ],
  ])('%j and %j collide', (first, second, message) => {
    const config = { environments: { a: env('a', local(first)), b: env('b', local(second)) } };
    expect(problems(config)).toEqual([`environments.b.backend: ${message}; two stacks must not share a state`]);
  });

  test('S3 keys and Terraform Cloud workspaces are compared too', () => {
    const config = {
      environments: {
        a: env('a', { type: 's3', bucket: 'state-bucket', key: 'kms/terraform.tfstate' }),
        b: env('b', { type: 's3', bucket: 'state-bucket', key: 'kms/terraform.tfstate' }),
        c: env('c', { type: 'cloud', organization: 'acme', workspace: 'kms' }),
        d: env('d', { type: 'cloud', organization: 'acme', workspace: 'kms' }),
      },
    };
    expect(problems(config)).toEqual([
      'environments.b.backend: keeps its state in s3://state-bucket/kms/terraform.tfstate, the state of environment "a"; two stacks must not share a state',
      'environments.d.backend: uses the workspace acme/kms, the workspace of environment "c"; two stacks must not share a state',
    ]);
  });

  test('unrelated paths pass', () => {
    expect(stateCollision('state/a.tfstate', 'state/ab.tfstate')).toBeUndefined();
    expect(stateCollision('a.tfstate', 'a.tfstate.d/x')).toBeUndefined();
  });
});

describe('case-insensitive file systems', () => {
  test('environment names that differ only in case are refused, naming both', () => {
    const config = { environments: { prod: env('prod'), Prod: env('Prod2') } };
    expect(problems(config)).toEqual([
      'environments.Prod.backend: keeps its state in "terraform.Prod.tfstate", which is "terraform.prod.tfstate" on file systems that ignore case (macOS, Windows), the state file of environment "prod"; two stacks must not share a state',
      'environments.Prod: differs from environment "prod" only in case; on macOS and Windows both would use one stack folder and one state file, so rename one',
    ]);
  });
});
