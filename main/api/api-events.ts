/** The events the screens follow (`counter`, `status`, `device`), typed by the contract. */
import type { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from './contract';

export type ApiEvents = EventEmitter<{ [E in EventName]: [EventPayload<E>] }>;
