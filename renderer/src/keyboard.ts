/**
 * One keyboard listener for the whole window. A keyboard-wedge scanner types like a very fast person
 * and ends with Enter: KeystrokeTimingDecoder tells the two apart by timing, wherever focus is. A scan
 * typed into a text field is taken back out of it and handled as a scan.
 */
import { useEffect, useRef, useState } from 'react';
import { KeystrokeTimingDecoder } from './keystroke-timing';

export interface KeyboardHandlers {
  /** A code from a keyboard-wedge scanner. */
  onScan(code: string): void;
  /** Text typed by hand outside any field, then Enter (manual barcode entry). */
  onManual(text: string): void;
  /** Any other key (F-keys, Enter, Esc, arrows, +/-, Del). */
  onKey(e: KeyboardEvent, inField: boolean): void;
}

const SHORTCUT_CHARS = '+-=*';

export function isField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable === true;
}

/** Removes a scanned code from the end of a text field (React sees the change). */
function takeBack(el: HTMLElement, code: string): void {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return;
  if (!el.value.endsWith(code)) return;
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  setter?.call(el, el.value.slice(0, el.value.length - code.length));
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Returns the text typed by hand so far (shown on screen). */
export function useKeyboard(handlers: KeyboardHandlers): string {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [typed, setTyped] = useState('');
  useEffect(() => {
    let decoder = new KeystrokeTimingDecoder();
    let buffer = '';
    const set = (text: string) => {
      buffer = text;
      setTyped(text);
    };
    const listener = (e: KeyboardEvent) => {
      const inField = isField(e.target);
      const printable = e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey;
      if (printable) {
        if (!inField && SHORTCUT_CHARS.includes(e.key)) {
          decoder = new KeystrokeTimingDecoder();
          set('');
          ref.current.onKey(e, inField);
          return;
        }
        decoder.push(e.key, e.timeStamp);
        if (!inField) {
          set(buffer + e.key);
          e.preventDefault();
        }
        return;
      }
      if (e.key === 'Enter') {
        const r = decoder.push('Enter', e.timeStamp);
        if (r?.type === 'scan') {
          e.preventDefault();
          e.stopPropagation();
          if (inField) takeBack(e.target as HTMLElement, r.code);
          set('');
          ref.current.onScan(r.code);
          return;
        }
        if (!inField && buffer) {
          const text = buffer;
          set('');
          e.preventDefault();
          ref.current.onManual(text);
          return;
        }
      } else if (!inField && buffer && (e.key === 'Backspace' || e.key === 'Escape')) {
        e.preventDefault();
        set(e.key === 'Backspace' ? buffer.slice(0, -1) : '');
        if (e.key === 'Escape') decoder = new KeystrokeTimingDecoder();
        return;
      }
      ref.current.onKey(e, inField);
    };
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);
  return typed;
}
