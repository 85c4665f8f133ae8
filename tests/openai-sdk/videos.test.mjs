// The unmodified openai SDK against a running SoraEvents service (started by OpenAiSdkTests.cs, or by hand):
//   SORAEVENTS_BASE_URL=http://localhost:5080/v1 [SORAEVENTS_API_KEY=sk_…] node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI, { toFile } from 'openai';

const baseURL = process.env.SORAEVENTS_BASE_URL ?? 'http://localhost:5080/v1';
const apiKey = process.env.SORAEVENTS_API_KEY;
// The SDK insists on a key; an open API (no keys configured) ignores whatever is sent.
const client = new OpenAI({ baseURL, apiKey: apiKey ?? 'sk-open-api', maxRetries: 0 });

/** The header of a PNG of the given size: all the service's image checks read. */
function png(width, height) {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bytes, 0);
  bytes.writeInt32BE(width, 16);
  bytes.writeInt32BE(height, 20);
  bytes[24] = 8;
  bytes[25] = 2;
  return bytes;
}

async function untilEnded(id) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const video = await client.videos.retrieve(id);
    if (video.status === 'completed' || video.status === 'failed') return video;
    assert.ok(Date.now() < deadline, `video ${id} still ${video.status} after two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('create with JSON, retrieve until completed, download the MP4', async () => {
  // The SDK's videos.create always uploads a form; plain JSON is what other clients (curl, LiteLLM) send.
  const created = await client.post('/videos', { body: { prompt: 'A calm lake at dawn', seconds: '4', size: '1280x720' } });
  assert.equal(created.object, 'video');
  assert.ok(['queued', 'in_progress'].includes(created.status));

  const done = await untilEnded(created.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
  assert.equal(done.progress, 100);
  assert.equal(done.seconds, '4');
  assert.ok(done.completed_at >= done.created_at);

  const content = await client.videos.downloadContent(done.id);
  assert.equal(content.headers.get('content-type'), 'video/mp4');
  assert.ok((await content.arrayBuffer()).byteLength > 0);
});

test('create with a file upload', async () => {
  const video = await client.videos.create({
    prompt: 'Make the harbour come alive',
    model: 'sora-2-pro',
    seconds: '4',
    size: '1280x720',
    input_reference: await toFile(png(1280, 720), 'frame.png', { type: 'image/png' }),
  });
  assert.equal(video.model, 'sora-2-pro');
  const done = await untilEnded(video.id);
  assert.equal(done.status, 'completed', JSON.stringify(done.error));
});

test('list one video per page across pages, then delete', async () => {
  const first = await client.videos.create({ prompt: 'First of the list', seconds: '4' });
  const second = await client.videos.create({ prompt: 'Second of the list', seconds: '4' });

  const page = await client.videos.list({ limit: 1 });
  assert.equal(page.data.length, 1);
  assert.equal(page.has_more, true);
  const seen = [];
  for await (const video of client.videos.list({ limit: 1 })) seen.push(video.id);
  assert.equal(new Set(seen).size, seen.length, 'no video twice');
  assert.ok(seen.includes(first.id) && seen.includes(second.id));
  assert.ok(seen.indexOf(second.id) < seen.indexOf(first.id), 'newest first');

  await untilEnded(first.id);
  const deleted = await client.videos.delete(first.id);
  assert.deepEqual([deleted.id, deleted.object, deleted.deleted], [first.id, 'video.deleted', true]);
  await assert.rejects(client.videos.retrieve(first.id), OpenAI.NotFoundError);
});

test('the same idempotency key gives the same video', async () => {
  // The OpenAI client sends no Idempotency-Key of its own (its idempotencyKey option is inert there), so it goes in as a header.
  const options = { headers: { 'Idempotency-Key': `sdk-test-${randomUUID()}` } };
  const once = await client.videos.create({ prompt: 'Only once', seconds: '4' }, options);
  const again = await client.videos.create({ prompt: 'Only once', seconds: '4' }, options);
  assert.equal(again.id, once.id);
});

test('errors raise the SDK error classes with param and code', async () => {
  const unknownModel = await client.videos.create({ prompt: 'A beach', model: 'sora-0' }).catch((e) => e);
  assert.ok(unknownModel instanceof OpenAI.BadRequestError, String(unknownModel));
  assert.equal(unknownModel.param, 'model');
  assert.equal(unknownModel.code, 'model_not_found');
  assert.match(unknownModel.message, /sora-2-pro/);

  const badSeconds = await client.videos.create({ prompt: 'A beach', seconds: '4.5' }).catch((e) => e);
  assert.ok(badSeconds instanceof OpenAI.BadRequestError, String(badSeconds));
  assert.equal(badSeconds.param, 'seconds');

  const missing = await client.videos.retrieve(randomUUID()).catch((e) => e);
  assert.ok(missing instanceof OpenAI.NotFoundError, String(missing));
  assert.equal(missing.code, 'video_not_found');

  const remix = await client.videos.remix(randomUUID(), { prompt: 'again' }).catch((e) => e);
  assert.ok(remix instanceof OpenAI.BadRequestError, String(remix));
});

test('a wrong key is an AuthenticationError', { skip: apiKey ? false : 'no SORAEVENTS_API_KEY: the API is open' }, async () => {
  const stranger = new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 });
  await assert.rejects(stranger.videos.list(), OpenAI.AuthenticationError);
});
