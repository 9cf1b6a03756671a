// cdktf's jest matchers: toHaveResourceWithProperties, toHaveDataSourceWithProperties, toBeValidTerraform, ...
const { Testing } = require('cdktf');
Testing.setupJest();

// The AWS SDK's own switch for its Node-version warning (see docs/verify.md): CI runs on Node 20,
// which the SDK warns about in every test that creates a client. Users' runs keep the warning.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
