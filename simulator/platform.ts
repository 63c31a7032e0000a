// The platform: one handler per transaction code (simulator/tx/), over the repositories
// (simulator/repo/); the admin and 医保码 helpers live in admin.ts. Each handler returns the envelope's
// `output` or throws a Refusal; everything that writes runs inside one SQLite transaction.
import type { Db } from './db';
import type { Envelope } from './envelope';
import * as admin from './admin';
import { LedgerRepo } from './repo/ledger';
import { PeopleRepo } from './repo/people';
import { SalesRepo } from './repo/sales';
import { VisitsRepo } from './repo/visits';
import { cancel, reverse } from './tx/cancel';
import { FileAnswer, Refusal, type Handler, type Out, type TxContext } from './tx/context';
import { download, upload } from './tx/files';
import { cancelVisitSettlement } from './tx/outpatient-cancel';
import { removeFees, uploadFees } from './tx/outpatient-fees';
import { preSettleVisit, settleVisit } from './tx/outpatient-settle';
import { register, unregister, uploadMdtrtinfo } from './tx/outpatient-visit';
import { personInfo } from './tx/person';
import { detail, totals } from './tx/reconcile';
import { preSettle, settle } from './tx/settle';
import { signIn, signOut } from './tx/sign';
import { sale, saleBatch, saleReturn } from './tx/trace';

export { FileAnswer, Refusal };

export interface PlatformOptions { db: Db; now: () => number; secret: string; qrTtlSeconds: number }

const HANDLERS: Record<string, Handler> = {
  '9001': signIn, '9002': signOut, '1101': personInfo, '2101': preSettle, '2102': settle, '2103': cancel,
  '2601': reverse,
  '2201': register, '2202': unregister, '2203': uploadMdtrtinfo, '2203A': uploadMdtrtinfo, '2204': uploadFees, '2205': removeFees,
  '2206': preSettleVisit, '2207': settleVisit, '2208': cancelVisitSettlement, '3201': totals, '3202': detail, '9101': upload, '9102': download, '3505': sale, '3505A': saleBatch, '3506': saleReturn,
};

/** Nodes whose psn_no makes insuplc_admdvs required in the envelope (reference §1.1 #4). */
const PSN_NODES = ['data', 'druginfo', 'mdtrtinfo', 'feedetail', 'selinfo', 'selinfoDetail'];

export class Platform {
  private readonly ctx: TxContext;

  constructor(o: PlatformOptions) {
    this.ctx = {
      db: o.db, people: new PeopleRepo(o.db), ledger: new LedgerRepo(o.db), sales: new SalesRepo(o.db), visits: new VisitsRepo(o.db),
      now: o.now, secret: o.secret, qrTtlSeconds: o.qrTtlSeconds,
    };
  }

  /** Dispatch one validated envelope. */
  handle(env: Envelope): Out | FileAnswer {
    const handler = HANDLERS[env.infno];
    if (!handler) throw new Refusal('UNKNOWN_INFNO', `不支持的交易编号: ${env.infno}`);
    if (env.infno !== '9001') this.checkSignNo(env);
    this.checkInsuplcGiven(env);
    return handler(this.ctx, env);
  }

  /** sign_no is optional (reference §1.1 #17), but one that is sent must be a live sign-in of this institution. */
  private checkSignNo(env: Envelope): void {
    if (!env.sign_no) return;
    const row = this.ctx.ledger.signIn(env.sign_no);
    if (!row || row.fixmedins_code !== env.fixmedins_code) throw new Refusal('SIGN_NO_INVALID', '签到编号无效，请重新签到');
    if (row.signout_time) throw new Refusal('SIGN_NO_INVALID', '签到编号已签退，请重新签到');
  }

  private checkInsuplcGiven(env: Envelope): void {
    if (env.insuplc_admdvs) return;
    for (const node of PSN_NODES) {
      const value = env.input[node];
      const rows = (Array.isArray(value) ? value : [value]) as (Record<string, unknown> | undefined)[];
      const i = rows.findIndex((row) => typeof row?.psn_no === 'string' && row.psn_no !== '');
      if (i >= 0) {
        const at = Array.isArray(value) ? `input.${node}[${i}]` : `input.${node}`;
        throw new Refusal('INVALID_FIELD', `insuplc_admdvs: required when ${at}.psn_no is given`);
      }
    }
  }

  issueQrCode(key: string) {
    return admin.issueQrCode(this.ctx, key);
  }

  queryQrCode(payload: string) {
    return admin.queryQrCode(this.ctx, payload);
  }

  listPersons(): Out[] {
    return admin.listPersons(this.ctx);
  }

  personDetail(key: string): Out | undefined {
    return admin.personDetail(this.ctx, key);
  }

  listDiagnoses(): Out[] {
    return admin.listDiagnoses(this.ctx);
  }

  listItems(): Out[] {
    return admin.listItems(this.ctx);
  }

  visitDetail(mdtrtId: string): Out | undefined {
    return admin.visitDetail(this.ctx, mdtrtId);
  }

  walletTransfer(from: string, to: string, fen: number): Out {
    return admin.walletTransfer(this.ctx, from, to, fen);
  }
}
