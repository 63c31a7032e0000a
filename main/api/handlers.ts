/** The shape of the API's implementation: one async handler per method of the contract, arguments parsed. */
import type { z } from 'zod';
import type { Method, Methods, Result } from './contract';

export type ParsedArgs<M extends Method> = z.output<Methods[M]['args']>;
export type Handlers = { [M in Method]: (args: ParsedArgs<M>) => Promise<Result<M>> };
