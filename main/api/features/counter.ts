/** The sale at the counter: scans, quantities, pre-settlement with the patient's choices, settlement, next patient. */
import { yuanToFen } from '../../platform/money';
import { SaleError } from '../../settlement/sale-error';
import { EDITABLE } from '../../settlement/sale-state';
import type { Feature } from '../feature';
import { afterSettleNotice } from './tender';
import { DONE_STATES, offlineRefused } from '../views';

export const counterHandlers: Feature<'getState' | 'submitScan' | 'setQuantity' | 'removeLine' | 'presettle' | 'settle' | 'nextPatient'> = (ctx) => {
  const { counter, terminal } = ctx;
  return {
    getState: async () => counter.state(),
    submitScan: async ({ code }) => counter.deviceScan(code.trim()),
    setQuantity: async ({ saleId, lineNo, cnt }) =>
      counter.step(null, () => {
        counter.checkCurrent(saleId);
        const v = terminal.sales.setQuantity(saleId, lineNo, cnt);
        const line = v.lines.find((l) => l.lineNo === lineNo);
        return line ? `${line.name} 数量改为 ${line.cnt}` : '已移除该行';
      }),
    removeLine: async ({ saleId, lineNo }) =>
      counter.step(null, () => {
        counter.checkCurrent(saleId);
        terminal.sales.removeLine(saleId, lineNo);
        return '已移除该行';
      }),
    presettle: async ({ saleId, useAccount, useWallet, walletCap }) =>
      counter.step('正在预结算 (2101)…', async () => {
        counter.checkCurrent(saleId);
        const choices: { useAccount?: boolean; useWallet?: boolean; walletCapFen?: number | null } = {};
        if (useAccount !== undefined) choices.useAccount = useAccount;
        if (useWallet !== undefined) choices.useWallet = useWallet;
        if (walletCap !== undefined) choices.walletCapFen = walletCap === null ? null : yuanToFen(walletCap);
        const v = await terminal.sales.presettle(saleId, choices);
        // The prompt invites Enter only when Enter will settle.
        if (ctx.view.requireTraceCodes && v.traceMissingTotal > 0) {
          return `预结算完成, 但追溯码还缺 ${v.traceMissingTotal} 个: 请扫齐每盒的追溯码, 再按 Enter 结算`;
        }
        if (offlineRefused(v)) {
          counter.say('warn', `离线不能医保结算: ${v.lastError}. 请改为全自费收款, 或等联网后再结算`);
          return null;
        }
        return '预结算完成: 请向患者确认金额, 按 Enter 确认结算';
      }),
    settle: async ({ saleId }) =>
      counter.step('正在结算 (2102)…', async () => {
        counter.checkCurrent(saleId);
        const v = await terminal.sales.settle(saleId);
        // What to collect next (收款, features/tender.ts); the receipt prints once collected.
        if (v.state === 'settled') return afterSettleNotice(ctx, saleId, '结算成功');
        if (DONE_STATES.includes(v.state) && v.presettle) {
          return afterSettleNotice(ctx, saleId, v.state === 'self_paid' ? '已按全自费' : '离线结算完成, 已记入待上传队列');
        }
        return null; // in doubt then resolved: lastError tells what happened
      }),
    nextPatient: async () =>
      counter.step(null, () => {
        const v = counter.currentView();
        if (v && EDITABLE.includes(v.state)) {
          terminal.sales.discard(v.id);
          counter.show(null);
          return `已作废 ${v.patient.psnName} 的未结算销售: 请识别下一位患者`;
        }
        if (v && (v.state === 'in_doubt' || v.state === 'sending')) {
          throw new SaleError('IN_DOUBT', '该笔结算结果未知, 不能离开: 请按 F10 冲正确认 (平台仍连不上时稍后再按), 或联系运维');
        }
        counter.show(null);
        counter.clearNotice();
        return null;
      }),
  };
};
