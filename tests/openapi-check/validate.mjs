// Validates an OpenAPI document with an implementation independent of the one that wrote it
// (@apidevtools/swagger-parser: OpenAPI schema, $ref resolution, unique operation ids).
// Usage: node validate.mjs <openapi.json>   exit 0 when valid, 1 with the reason on stderr otherwise.
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs <openapi.json>');
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  console.log(`valid: OpenAPI ${api.openapi}, ${Object.keys(api.paths ?? {}).length} paths`);
} catch (error) {
  console.error(`invalid: ${error.message}`);
  process.exit(1);
}
