/**
 * The environment Terraform runs with in the harness: the caller's environment without anything
 * that points Terraform or the AWS SDK somewhere else (AWS profiles, credentials, endpoints, CLI
 * configuration, plugin cache, workspace), plus what keeps it offline.
 */

/** Variables kept from the caller although they start with `TF_`: logging only. */
const KEPT_TF_VARIABLES = new Set(['TF_LOG', 'TF_LOG_CORE', 'TF_LOG_PROVIDER', 'TF_LOG_PATH']);

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/**
 * A proxy that refuses every connection (nothing listens on the discard port): a request that
 * was not sent to the loopback stand-in fails at once instead of reaching the network. Go never
 * proxies loopback addresses, so the stand-in is still reached directly.
 */
export const REFUSING_PROXY = 'http://127.0.0.1:9';

/** The child environment for offline Terraform runs that use the CLI configuration `cliConfigFile`. */
export function offlineTerraformEnv(cliConfigFile: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name.startsWith('AWS_')) continue;
    if (name.startsWith('TF_') && !KEPT_TF_VARIABLES.has(name)) continue;
    if (PROXY_VARIABLES.includes(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTP_PROXY: REFUSING_PROXY,
    HTTPS_PROXY: REFUSING_PROXY,
    NO_PROXY: '127.0.0.1,localhost',
  };
}
