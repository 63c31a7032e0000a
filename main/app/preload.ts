/**
 * The preload (sandboxed, context-isolated): window.pos with one function per operation of the
 * contract and `on` for events. Nothing else of Electron or Node reaches the page. Only types are
 * imported from the contract, so this file needs no bundling beyond a CommonJS transpile.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, Method, PosBridge } from '../api/contract';

/** Every method of the contract, exactly (the compiler checks both ways). */
const OPERATIONS = {
  getState: true, getStatus: true, submitScan: true, setQuantity: true, removeLine: true, presettle: true, settle: true,
  nextPatient: true, identifyByIdNumber: true, findSales: true, getSale: true, cancelSale: true, resolveSale: true, printReceipt: true,
  getDeviceConfig: true, saveDeviceConfig: true, listPersonas: true, listDrugs: true, findDrugs: true, virtualCard: true, virtualQr: true,
  virtualScan: true, virtualTrace: true, simOutage: true, getQueue: true, resolveException: true, syncNow: true,
  setManualOffline: true, reconcileDay: true, exportQueue: true, importQueue: true, getLogs: true, exportLogs: true,
  retryTraceReport: true,
  listInterrupted: true, resolveInterrupted: true, releaseInterrupted: true, redoInterrupted: true, parkSale: true, listParked: true,
  recallSale: true, planExport: true, listExports: true, unexportQueue: true,
  deskInfo: true, deskSearch: true, deskOpen: true, deskDiagnose: true, deskImportFees: true, deskAddItem: true, deskRemoveFee: true,
  deskPresettle: true, deskSettle: true, deskCancel: true, deskUnregister: true, deskResolve: true, deskSelfPay: true, deskGetVisit: true,
  deskListVisits: true, deskPrint: true, setStation: true,
  getSession: true, operatorSignIn: true, operatorSignOut: true, lockScreen: true, unlockScreen: true,
  technicianSignIn: true, technicianSignOut: true,
  tender: true, selfPay: true, beginSelfPay: true, getShift: true, closeShift: true, printShift: true, exportShift: true,
  closeDay: true,
} as const satisfies Record<Method, true>;

const EVENTS = { counter: true, status: true, device: true, session: true, desk: true } as const satisfies Record<EventName, true>;

const bridge = Object.fromEntries(
  (Object.keys(OPERATIONS) as Method[]).map((m) => [m, (args: unknown) => ipcRenderer.invoke(`pos:${m}`, args ?? {})]),
) as unknown as Omit<PosBridge, 'on'>;

const pos = {
  ...bridge,
  /** The desktop's save dialog (main/app/save-file.ts): a file's name and text, written where the technician chooses. */
  saveFile: (fileName: string, content: string) => ipcRenderer.invoke('pos:save-file', { fileName, content }),
  /** The window printed to PDF with its print stylesheet, saved where the cashier chooses (main/app/save-pdf.ts). */
  savePdf: (fileName: string) => ipcRenderer.invoke('pos:save-pdf', { fileName }),
  on(listener: (event: EventName, payload: unknown) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
      if (typeof event === 'string' && event in EVENTS) listener(event as EventName, payload);
    };
    ipcRenderer.on('pos:event', wrapped);
    return () => ipcRenderer.removeListener('pos:event', wrapped);
  },
} satisfies PosBridge;

contextBridge.exposeInMainWorld('pos', pos);
