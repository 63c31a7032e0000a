/**
 * Which station the devices read for. A terminal that is both a pharmacy counter and a billing desk
 * (counter.kind both) shows one of them at a time; the screen tells the main process which one (setStation,
 * checked against counter.kind), and the device hub hands every card read and serial/HID scan to that one
 * only. On the desk a card or a 医保码 identifies the patient and registers the visit (2201) with the open
 * form's department and doctor, as a keyboard-wedge scan into the form does; the screen learns the outcome
 * from the `desk` event. Everything runs in the counter's queue, one step at a time.
 */
import { classifyScan } from '../../../devices/classify';
import type { CardRecord } from '../../../devices/types';
import type { IdentifySource } from '../../sales/identify';
import { SaleError } from '../../settlement/sale-error';
import type { DeskEventDto, StationDto } from '../contract';
import type { DeviceInputs, Station } from '../device-hub';
import { ApiError, toApiError } from '../errors';
import type { ApiContext, Feature } from '../feature';
import { toVisitDto } from './outpatient';

interface DeskForm {
  deptCode: string;
  doctorCode: string;
}

/** The station the terminal starts with: the desk on a desk-only terminal, else the pharmacy counter. */
export function firstStation(kind: 'pharmacy' | 'desk' | 'both'): Station {
  return kind === 'desk' ? 'desk' : 'counter';
}

export class DeskStation {
  /** The desk's open form while it waits for a patient; null while a visit is on the desk's screen. */
  private form: DeskForm | null = null;

  constructor(private readonly ctx: ApiContext) {}

  /** Validated against counter.kind and the desk's catalog; the hub reads for `station` from now on. */
  use(station: StationDto, form: DeskForm | null): { station: StationDto; deskWaiting: boolean } {
    const kind = this.ctx.terminal.config.counter.kind;
    if (station === 'desk' && kind === 'pharmacy') throw new ApiError('BAD_INPUT', 'station: 本机是药店柜台 (counter.kind pharmacy), 没有门诊收费处', 400);
    if (station === 'counter' && kind === 'desk') throw new ApiError('BAD_INPUT', 'station: 本机只是门诊收费处 (counter.kind desk), 没有药店柜台', 400);
    if (station === 'desk' && form) this.registration(form);
    this.ctx.devices.useStation(station);
    this.form = station === 'desk' ? form : null;
    return { station, deskWaiting: this.form !== null };
  }

  /** What the desk does with a device's input. */
  inputs(): DeviceInputs {
    return {
      card: (record: CardRecord) => this.take({ kind: 'card', record }, '正在读取参保信息…'),
      scan: (code: string) => {
        const c = classifyScan(code);
        if (c.ok && c.kind === 'medical-qr') return this.take({ kind: 'qr', payload: c.code }, '正在识别医保码…');
        const why = c.ok ? `门诊收费处只认医保码和社保卡: 扫到的条码 ${c.code} 未使用` : `无法识别的条码: ${c.reason}. 请重扫`;
        return this.ctx.counter.serial(async () => this.emit({ error: why }));
      },
      rejected: (device: string, reason: string) =>
        this.ctx.counter.serial(async () => this.emit({ error: `设备 ${device} 送来的数据无法识别: ${reason}. 请重扫/重读` })),
    };
  }

  /** Identify and register (2201) with the waiting form's department and doctor; the screen shows the visit. */
  private take(source: IdentifySource, doing: string): Promise<void> {
    return this.ctx.counter.serial(async () => {
      try {
        this.ctx.desk.require('cashier');
        const form = this.form;
        if (!form) throw new SaleError('DESK_BUSY', '当前就诊尚未完成: 按 Enter 下一位 (未结算的先 F10 退号) 后再读卡/扫码');
        this.emit({ busy: `${doing} 正在挂号…` });
        const view = await this.ctx.terminal.outpatient.open(source, { kind: 'register', registration: this.registration(form) });
        this.form = null; // a visit is on the desk now: a second read does not open another
        this.emit({ visit: toVisitDto(this.ctx, view) });
      } catch (error) {
        this.emit({ error: toApiError(error, this.ctx.log).message });
      }
    });
  }

  private registration(form: DeskForm) {
    const { departments, doctors } = this.ctx.terminal.outpatient.catalog.entries;
    const dept = departments.find((d) => d.code === form.deptCode);
    const doctor = doctors.find((d) => d.code === form.doctorCode);
    if (!dept) throw new ApiError('BAD_INPUT', `deskForm.deptCode: 没有科室 ${form.deptCode}`, 400);
    if (!doctor) throw new ApiError('BAD_INPUT', `deskForm.doctorCode: 没有医生 ${form.doctorCode}`, 400);
    return { dept, doctor: { code: doctor.code, name: doctor.name } };
  }

  private emit(e: Partial<Omit<DeskEventDto, 'at'>>): void {
    this.ctx.events.emit('desk', { visit: null, busy: null, error: null, ...e, at: new Date().toISOString() });
  }
}

export const deskStationHandlers =
  (station: DeskStation): Feature<'setStation'> =>
  () => ({
    setStation: async ({ station: which, deskForm }) => station.use(which, deskForm ?? null),
  });
