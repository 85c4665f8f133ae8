// Reads {"secret", "headers", "body"} as JSON on stdin and verifies the delivery with Standard Webhooks' own
// library and with the openai SDK's webhooks.verifySignature. Prints "verified" and exits 0, or the error and 1.
import { Webhook } from "standardwebhooks";
import OpenAI from "openai";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);

try {
  // The library takes the key without its "whsec_" prefix, as base64.
  const payload = new Webhook(secret.replace(/^whsec_/, "")).verify(body, headers);
  if (typeof payload !== "object" || payload === null) throw new Error("standardwebhooks returned no payload");
  const client = new OpenAI({ apiKey: "unused", webhookSecret: secret });
  await client.webhooks.verifySignature(body, headers);
  const event = await client.webhooks.unwrap(body, headers);
  console.log(JSON.stringify({ verified: true, type: event.type, id: event.id }));
} catch (error) {
  console.log(JSON.stringify({ verified: false, error: String(error?.message ?? error) }));
  process.exit(1);
}
