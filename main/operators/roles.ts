/**
 * Who may do what. A technician may also sell, an administrator may do everything; technician actions
 * (queue export/import, exceptions, sync, offline switch, devices, reconciliation, logs export) need a
 * technician's sign-in.
 */
import type { OperatorRole } from '../../db/operators-repo';
import { SaleError } from '../settlement/sale-error';

export type { OperatorRole } from '../../db/operators-repo';
export const ROLES = ['cashier', 'technician', 'administrator'] as const satisfies readonly OperatorRole[];

export const ROLE_TEXT: Record<OperatorRole, string> = { cashier: '收银员', technician: '运维', administrator: '管理员' };

const RANK: Record<OperatorRole, number> = { cashier: 0, technician: 1, administrator: 2 };

export function mayAct(role: OperatorRole, needed: OperatorRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** An operator as the rest of the terminal knows him: never his PIN nor its hash. */
export interface Operator {
  code: string;
  name: string;
  role: OperatorRole;
}

/** A refusal about operators: what happened and what to do next, in Chinese. */
export class OperatorError extends SaleError {
  constructor(
    code: string,
    message: string,
    /** The HTTP status the API answers with (403 for a missing right, 409 for a refused sign-in). */
    readonly status = 409,
  ) {
    super(code, message);
    this.name = 'OperatorError';
  }
}
