/** Declares an environment's Terraform backend. */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import { join } from 'node:path';
import type { ResolvedBackend } from '../config/schema';
import { type OutputLayout, portableRelative } from './project';

/** The `path` of a local backend: from `<outdir>/stacks/<environment>` to `<projectRoot>/<statePath>`. */
export function localBackendPath(layout: OutputLayout, environment: string, statePath: string): string {
  return portableRelative(join(layout.outdir, 'stacks', environment), join(layout.projectRoot, statePath));
}

/** Adds the backend described by `backend` to the stack of `environment`. */
export function addBackend(stack: TerraformStack, environment: string, backend: ResolvedBackend, layout: OutputLayout): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: localBackendPath(layout, environment, backend.path) });
      return;
    case 's3': {
      new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: backend.encrypt });
      // cdktf 0.21's S3Backend has no use_lockfile (Terraform >= 1.10 native S3 locking).
      if (backend.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
