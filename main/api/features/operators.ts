/**
 * Who is at the counter, over the API: sign-in with operator code and PIN (9001 for him), sign-out
 * (9002), the screen lock and the technician session (main/operators/counter-desk.ts). withRoles() is
 * the one place where a method's role (the contract's `role`) is checked, for both bindings.
 */
import type { Handlers } from '../handlers';
import { requiredRole, type Method, type SessionDto } from '../contract';
import type { ApiContext, Feature } from '../feature';
import type { OperatorError } from '../../operators/roles';
import { EDITABLE } from '../../settlement/sale-state';
import { ApiError } from '../errors';
import { DONE_STATES } from '../views';

type OperatorMethods =
  | 'getSession' | 'operatorSignIn' | 'operatorSignOut' | 'lockScreen' | 'unlockScreen' | 'technicianSignIn' | 'technicianSignOut';

export const operatorHandlers: Feature<OperatorMethods> = (ctx) => {
  const { desk, counter } = ctx;
  desk.events.on('change', () => {
    ctx.events.emit('session', sessionOf(ctx));
    ctx.status.push();
  });
  const session = () => sessionOf(ctx);
  return {
    async getSession() {
      await ctx.terminal.operators.ensureDemoOperators();
      return session();
    },
    async operatorSignIn({ code, pin }) {
      await desk.signIn(code, pin);
      clearFinishedSale(ctx);
      return session();
    },
    async operatorSignOut() {
      await desk.signOut();
      clearFinishedSale(ctx);
      counter.clearNotice();
      counter.push();
      return session();
    },
    async lockScreen() {
      desk.lock();
      return session();
    },
    async unlockScreen({ pin }) {
      await desk.unlock(pin);
      return session();
    },
    async technicianSignIn({ code, pin }) {
      await desk.technicianSignIn(code, pin);
      return session();
    },
    async technicianSignOut() {
      desk.technicianSignOut();
      return session();
    },
  };
};

export function sessionOf(ctx: ApiContext): SessionDto {
  const { operators } = ctx.terminal;
  return {
    ...ctx.desk.view(),
    demoOperators: operators.demoOperators(),
    setupHint: operators.setupHint(),
  };
}

/** Why the counter cannot change hands now: the patient of an unfinished sale, or null. */
export function unfinishedSale(ctx: ApiContext): string | null {
  const v = ctx.counter.currentView();
  if (!v || DONE_STATES.includes(v.state)) return null;
  if (EDITABLE.includes(v.state) && v.lines.length === 0) return null;
  return v.patient.psnName;
}

/** A finished sale (or a patient identified with nothing in the cart) leaves the counter with its operator. */
function clearFinishedSale(ctx: ApiContext): void {
  const v = ctx.counter.currentView();
  if (!v || unfinishedSale(ctx)) return;
  if (!DONE_STATES.includes(v.state)) ctx.terminal.sales.discard(v.id);
  ctx.counter.show(null);
  ctx.counter.push();
}

/** Every method with a role in the contract, wrapped so that it runs only when the desk allows it (else 403). */
export function withRoles(handlers: Handlers, ctx: ApiContext): Handlers {
  const guarded = { ...handlers } as Record<Method, (args: never) => Promise<unknown>>;
  for (const method of Object.keys(handlers) as Method[]) {
    const role = requiredRole(method);
    if (!role) continue;
    const handler = handlers[method] as (args: never) => Promise<unknown>;
    guarded[method] = async (args: never) => {
      try {
        ctx.desk.require(role);
      } catch (error) {
        const e = error as OperatorError;
        throw new ApiError(e.code, e.message, e.status);
      }
      return handler(args);
    };
  }
  return guarded as Handlers;
}
