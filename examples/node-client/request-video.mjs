// Asks SoraEvents for one video over RabbitMQ and waits for its outcome: prints `VideoCompleted <jobId> <provider>
// <url>` and exits 0, or prints `VideoFailed <jobId> <code>: <reason>` and exits 1; exits 2 when nothing came in time.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { ENVELOPE_CONTENT_TYPE, exchangeOf, messageNameOf, unwrap, wrap } from './masstransit-envelope.mjs';

const settings = {
  url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@localhost:5672/',
  // `envelope`: a MassTransit envelope published to the GenerateVideo exchange; `plain`: plain JSON to the queue.
  sendAs: process.env.SEND_AS ?? 'envelope',
  queue: process.env.QUEUE ?? 'node-client-example',
  jobId: process.env.JOB_ID ?? randomUUID(),
  prompt: process.env.PROMPT ?? 'A lighthouse in a storm, waves breaking on the rocks',
  patienceMs: Number(process.env.PATIENCE_SECONDS ?? 600) * 1000,
};
if (!['envelope', 'plain'].includes(settings.sendAs)) throw new Error(`SEND_AS must be envelope or plain, not ${settings.sendAs}`);

// Exchanges as MassTransit declares them; asserting them here lets this client start before SoraEvents has.
const declareMassTransitExchange = (channel, name) => channel.assertExchange(name, 'fanout', { durable: true });

const connection = await amqp.connect(settings.url);
const channel = await connection.createConfirmChannel();

// A durable queue of this service's own, bound to the event exchanges, set up before the command goes out so no
// outcome can be missed. Every subscriber gets every job's events; this one picks its own job by jobId.
await channel.assertQueue(settings.queue, { durable: true });
for (const event of ['VideoCompleted', 'VideoFailed']) {
  await declareMassTransitExchange(channel, exchangeOf(event));
  await channel.bindQueue(settings.queue, exchangeOf(event), '');
}

const outcome = new Promise((resolve) => {
  const seen = new Set(); // a terminal event re-published after a crash carries the same messageId
  channel.consume(settings.queue, (delivery) => {
    if (delivery === null) return;
    const envelope = unwrap(delivery.content);
    channel.ack(delivery);
    if (envelope === null || seen.has(envelope.messageId)) return;
    seen.add(envelope.messageId);
    if (envelope.message.jobId === settings.jobId) resolve({ name: messageNameOf(envelope), event: envelope.message });
  });
});

const command = {
  jobId: settings.jobId,
  prompt: settings.prompt,
  size: '1280x720',
  seconds: 4,
  metadata: { requestedBy: 'node-client-example' },
};
if (settings.sendAs === 'envelope') {
  await declareMassTransitExchange(channel, exchangeOf('GenerateVideo'));
  const envelope = wrap('GenerateVideo', command);
  channel.publish(exchangeOf('GenerateVideo'), '', Buffer.from(JSON.stringify(envelope)),
    { contentType: ENVELOPE_CONTENT_TYPE, messageId: envelope.messageId, persistent: true });
} else {
  channel.sendToQueue('generate-video', Buffer.from(JSON.stringify(command)),
    { contentType: 'application/json', messageId: randomUUID(), persistent: true });
}
await channel.waitForConfirms();
console.log(`Published GenerateVideo ${settings.jobId} (${settings.sendAs})`);

let timer;
const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), settings.patienceMs); });
const ended = await Promise.race([outcome, timeout]);
clearTimeout(timer);

if (ended === null) {
  console.log(`No outcome for ${settings.jobId} within ${settings.patienceMs / 1000} s`);
  process.exitCode = 2;
} else if (ended.name === 'VideoCompleted') {
  console.log(`VideoCompleted ${ended.event.jobId} ${ended.event.provider} ${ended.event.videoUrl}`);
} else {
  console.log(`VideoFailed ${ended.event.jobId} ${ended.event.code}: ${ended.event.reason}`);
  process.exitCode = 1;
}
await connection.close();
