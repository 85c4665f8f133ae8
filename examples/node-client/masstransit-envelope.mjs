// MassTransit's JSON envelope, as SoraEvents publishes and reads it: the payload sits under `message`, and the
// message type is a URN made of the contract's namespace and record name.
import { randomUUID } from 'node:crypto';

export const ENVELOPE_CONTENT_TYPE = 'application/vnd.masstransit+json';

/** The exchange MassTransit publishes a SoraEvents message type to, e.g. `SoraEvents.Contracts:VideoCompleted`. */
export const exchangeOf = (messageName) => `SoraEvents.Contracts:${messageName}`;

/** `payload` wrapped the way a MassTransit publisher would, with a fresh `messageId`. */
export function wrap(messageName, payload) {
  return {
    messageId: randomUUID(),
    messageType: [`urn:message:${exchangeOf(messageName)}`],
    sentTime: new Date().toISOString(),
    message: payload,
  };
}

/** The envelope of a delivery, or null when its body is not a MassTransit envelope. */
export function unwrap(body) {
  try {
    const envelope = JSON.parse(body.toString('utf8'));
    return envelope && typeof envelope.message === 'object' && Array.isArray(envelope.messageType) ? envelope : null;
  } catch {
    return null;
  }
}

/** The contract name (`VideoCompleted`, `VideoFailed`, …) an envelope carries, or null. */
export function messageNameOf(envelope) {
  const prefix = 'urn:message:SoraEvents.Contracts:';
  const urn = envelope.messageType.find((type) => type.startsWith(prefix));
  return urn ? urn.slice(prefix.length) : null;
}
