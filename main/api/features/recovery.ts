/**
 * Recovery at the counter: a sale whose 2102/2103 outcome was not seen (a crash, a lost answer) is shown
 * on the waiting screen with what is known, and one key takes it to the end: 2601 of its msgid first
 * (main/sales/in-doubt.ts, through main/sending/send-once.ts), then release it (its boxes are already
 * free) or redo it (a new sale with the same lines, put on the counter and presettled).
 */
import { maskName } from '../../../devices/mask';
import { chinaDateTime } from '../../platform/china-time';
import { fenToYuan } from '../../platform/money';
import { SaleError } from '../../settlement/sale-error';
import type { SaleViewEx } from '../../sales/sale-service';
import type { Terminal } from '../../terminal';
import type { InterruptedSaleDto } from '../contract-recovery';
import type { Feature } from '../feature';

const MESSAGE_TEXT: Record<string, string> = {
  sending: '已发出, 结果未知',
  unknown: '结果未知',
  ok: '平台已受理',
  refused: '平台拒绝',
  not_delivered: '平台未收到',
  reversed: '已冲正',
};

export const recoveryHandlers: Feature<'listInterrupted' | 'resolveInterrupted' | 'releaseInterrupted' | 'redoInterrupted'> = (ctx) => {
  const { counter, terminal } = ctx;
  const list = () => interruptedSales(terminal, counter.currentId);
  return {
    listInterrupted: async () => ({ sales: list() }),
    resolveInterrupted: async ({ saleId }) =>
      counter.serial(async () => {
        requireListed(list(), saleId);
        try {
          const v = await terminal.sales.resolve(saleId);
          ctx.status.markPlatform(true);
          return { message: `销售 ${saleId} 已冲正确认: ${v.lastError ?? v.stateLabel}. 按 Enter 重做, 或按 Del 放弃`, sales: list() };
        } catch (error) {
          if (error instanceof SaleError && error.code.startsWith('PLATFORM_UN')) ctx.status.markPlatform(false);
          throw error;
        }
      }),
    releaseInterrupted: async ({ saleId }) =>
      counter.serial(async () => {
        requireListed(list(), saleId);
        terminal.sales.release(saleId);
        return { message: `销售 ${saleId} 已放弃, 未扣款; 其药品追溯码已释放, 可重新销售`, sales: list() };
      }),
    redoInterrupted: async ({ saleId }) =>
      counter.step('正在重做并预结算 (2101)…', async () => {
        requireListed(list(), saleId);
        counter.makeRoomForPatient();
        const redone = terminal.sales.redo(saleId);
        counter.show(redone.id);
        await terminal.sales.presettle(redone.id);
        return `已按销售 ${saleId} 的药品重新开单 (销售 ${redone.id}) 并预结算: 请向患者确认金额, 按 Enter 确认结算`;
      }),
  };
};

/** Interrupted sales not on the counter right now, oldest first, in the panel's words. */
export function interruptedSales(terminal: Terminal, currentId: number | null): InterruptedSaleDto[] {
  return terminal.sales
    .interrupted()
    .filter((v) => v.id !== currentId)
    .map((v) => toInterrupted(v, terminal.sales.messagesOf(v.id)));
}

function toInterrupted(v: SaleViewEx, messages: { msgid: string; infno: string; status: string }[]): InterruptedSaleDto {
  const sent = messages.filter((m) => m.infno === '2102' || m.infno === '2103').at(-1) ?? null;
  const next = v.state === 'reversed' || v.state === 'failed' ? 'release_or_redo' : v.state === 'sending' ? 'wait' : 'resolve';
  return {
    saleId: v.id,
    createdAt: chinaDateTime(v.createdAt),
    state: v.state,
    stateText: v.stateLabel,
    psnName: maskName(v.patient.psnName),
    maskedCertno: v.patient.maskedCertno,
    amount: fenToYuan(v.medfeeFen),
    lineCount: v.lines.length,
    msgid: sent?.msgid ?? null,
    msgidText: sent ? `${sent.infno === '2102' ? '结算' : '撤销'} ${MESSAGE_TEXT[sent.status] ?? sent.status}` : '未发出',
    note: v.lastError,
    next,
  };
}

function requireListed(list: InterruptedSaleDto[], saleId: number): void {
  if (!list.some((s) => s.saleId === saleId)) throw new SaleError('NOT_INTERRUPTED', `销售 ${saleId} 不是待处理的中断销售: 请刷新`);
}
